import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { readSnippets, resolveSnippetBody, SNIPPET_FRAMEWORKS, SNIPPET_LANGUAGES } from '../../../src/extension/snippet-catalog';

const ROOT = path.join(__dirname, '../../..');
const SNIPPETS = path.join(ROOT, 'snippets');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('model snippets', () => {
  it('resolves placeholders to their defaults', () => {
    assert.equal(resolveSnippetBody('class ${1:MLP}(nn.Module):\n    n = ${2:1${3:0}}\n$0'), 'class MLP(nn.Module):\n    n = 10\n');
    assert.equal(resolveSnippetBody("act = ${1|'relu','gelu'|}; x = $2${3}; cost = \\$5"), "act = 'relu'; x = ; cost = $5");
  });

  it('are contributed to the languages of their framework', () => {
    const contributed = (pkg.contributes.snippets as { language: string; path: string }[]).map((entry) => `${entry.path}:${entry.language}`).sort();
    const expected = SNIPPET_FRAMEWORKS.flatMap((framework) => SNIPPET_LANGUAGES[framework].map((language) => `./snippets/${framework}.json:${language}`)).sort();
    assert.deepEqual(contributed, expected);
  });

  for (const framework of SNIPPET_FRAMEWORKS) {
    for (const snippet of readSnippets(SNIPPETS, framework)) {
      it(`${framework}: "${snippet.name}" analyses with zero findings`, () => {
        const text = resolveSnippetBody(snippet.body);
        assert.doesNotMatch(text, /\$\{?\d/, 'a placeholder was left in the text');
        const kind = framework === 'tfjs' ? 'javascript' : 'python';
        const analysis = analyzeText(kind, text, defaultConfig());
        assert.deepEqual(analysis.errors, []);
        assert.deepEqual(analysis.program?.syntaxErrors, []);
        assert.deepEqual(analysis.findings.map((finding) => `${finding.code}: ${finding.message}`), []);
        // Zero findings must mean "understood and clean", not "nothing recognised": each snippet shows the IR what it is.
        const program = analysis.program!;
        if (/MLP|CNN|residual block/i.test(snippet.name) && !/Keras residual/.test(snippet.name)) assert.equal(program.models.length, 1, 'model not recognised');
        if (/training loop/i.test(snippet.name)) {
          const [loop] = program.loops;
          assert.ok(loop, 'training loop not recognised');
          assert.equal(loop.zeroGrad.length, 1);
          assert.equal(loop.clip.length, 1);
          assert.equal(program.noGrad.length, 1);
          assert.deepEqual(program.modeCalls.map((call) => call.mode), ['train', 'eval']);
        }
      });
    }
  }
});
