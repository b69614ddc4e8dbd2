// The @vscode/test-electron contract: VS Code loads this file in the extension host and awaits run().
// The code-server harness (test/integration/run.mjs) loads it the same way through the smoke-test driver.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

// Activation is measured first, before any test opens a document that would activate DeepLint.
const FILES = ['activation', 'diagnostics', 'hovers', 'code-actions', 'settings', 'snippets', 'notebooks', 'processes', 'probe', 'large-files', 'screenshots'];

interface Result {
  tests: number;
  passes: number;
  failures: number;
  pending: number;
  failed: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const grep = process.env['DEEPLINT_IT_GREP'];
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const name of FILES) mocha.addFile(path.join(__dirname, `${name}.test.js`));
  return new Promise((resolve, reject) => {
    const failed: Result['failed'] = [];
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      const result: Result = { tests: stats?.tests ?? 0, passes: stats?.passes ?? 0, failures, pending: stats?.pending ?? 0, failed };
      const file = process.env['DEEPLINT_IT_RESULT'];
      if (file) fs.writeFileSync(file, JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('fail', (test, error: Error) => failed.push({ title: test.fullTitle(), error: error.message }));
  });
}
