// On a machine that can download VS Code, @vscode/test-electron runs the same suite in a desktop VS Code:
// `npx tsx test/integration/runTest.ts` once the suite is built into out/test/suite (npm run test:integration builds it).
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/test/suite/index.js'),
    launchArgs: [path.join(root, 'test/integration/fixtures/workspace'), '--disable-extensions'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
