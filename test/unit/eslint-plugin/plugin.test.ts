import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { RULES } from '../../../src/core/rules/registry';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';

// The built bundle is what a team installs, so that is what runs here (npm test builds first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plugin = require(path.join(__dirname, '../../../dist/eslint-plugin.js'));

function eslintWith(rules: Record<string, 'warn' | 'error'>, fix = false): ESLint {
  return new ESLint({
    overrideConfigFile: true,
    fix,
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.js'],
        languageOptions: { parser: tsParser },
        plugins: { deeplint: plugin },
        rules,
      },
    ],
  });
}

const UNUSED = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4]})]}); // deeplint: ignore[DL999]
`;

describe('eslint-plugin-deeplint (run by ESLint with @typescript-eslint/parser)', () => {
  it('exposes every rule under its name, with docs links, and a flat recommended config', () => {
    assert.deepEqual(Object.keys(plugin.rules).sort(), RULES.map((rule) => rule.name).sort());
    assert.match(plugin.rules['unused-suppression'].meta.docs.url, /DL001\.md$/);
    const recommended = plugin.configs.recommended;
    assert.equal(recommended.plugins.deeplint, plugin);
    for (const name of Object.keys(recommended.rules)) assert.ok(plugin.rules[name.replace('deeplint/', '')]);
  });

  it('reports the same message and range as the CLI', async () => {
    const [result] = await eslintWith({ 'deeplint/unused-suppression': 'warn' }).lintText(UNUSED, { filePath: 'model.ts' });
    const cli = analyzeText('typescript', UNUSED, defaultConfig()).findings;
    assert.equal(result!.messages.length, 1);
    const [message] = result!.messages;
    assert.equal(message!.ruleId, 'deeplint/unused-suppression');
    assert.equal(message!.message, cli[0]!.message);
    const lines = UNUSED.split('\n');
    const start = lines[0]!.length + 1;
    assert.equal(message!.line, 2);
    assert.equal(message!.column, cli[0]!.span.start - start + 1);
    assert.equal(message!.endColumn, cli[0]!.span.end - start + 1);
  });

  it('applies safe fixes on --fix exactly as the CLI would', async () => {
    const [result] = await eslintWith({ 'deeplint/unused-suppression': 'warn' }, true).lintText(UNUSED, { filePath: 'model.js' });
    assert.equal(result!.output, UNUSED.replace(' // deeplint: ignore[DL999]', ''));
  });
});

describe('eslint-plugin-deeplint on a real rule', () => {
  const DEEP_TANH = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 8, inputShape: [4], activation: 'tanh'}));
model.add(tf.layers.dense({units: 8, activation: 'tanh'}));
model.add(tf.layers.dense({units: 8, activation: 'tanh'}));
model.add(tf.layers.dense({units: 1}));
`;

  it('reports DL201 with the CLI message, and offers the unsafe fix only as a suggestion', async () => {
    const [result] = await eslintWith({ 'deeplint/sigmoid-in-deep-stack': 'error' }, true).lintText(DEEP_TANH, { filePath: 'model.js' });
    const cli = analyzeText('javascript', DEEP_TANH, defaultConfig()).findings.filter((finding) => finding.code === 'DL201');
    assert.equal(result!.messages.length, 3);
    assert.deepEqual(result!.messages.map((message) => message.message), cli.map((finding) => finding.message));
    assert.deepEqual(result!.messages.map((message) => message.line), [3, 4, 5]);
    assert.equal(result!.output, undefined, 'eslint --fix must not apply an unsafe fix');
    assert.equal(result!.messages[0]!.suggestions?.length, 1);
  });
});
