// On a machine that can download VS Code, @vscode/test-electron runs the same suite in a desktop VS Code:
//   npx tsx test/integration/runTest.ts
// It builds the extension and the suite, copies the fixture workspace (the tests edit files) and runs the suite
// against this checkout as the development extension, with every other extension disabled.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'test/integration/harness/build.mjs')], { stdio: 'inherit' });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'deeplint-it-workspace-'));
  fs.cpSync(path.join(root, 'test/integration/fixtures/workspace'), workspace, { recursive: true });
  try {
    await runTests({
      // The minimum VS Code version the extension supports, as in package.json engines.
      version: '1.90.0',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/test/suite/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
