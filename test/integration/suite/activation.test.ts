import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

describe('activation', () => {
  it('is installed from the .vsix, reports its activation time and contributes its commands', async () => {
    const extension = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    assert.equal(extension.isActive, false, 'DeepLint activated before any relevant document was opened');
    // VS Code counts code loading plus the activate() call. Loading the bundle here first (Node caches the module,
    // so the extension host reuses it) separates the two from the host's own bookkeeping.
    const main = path.join(extension.extensionPath, extension.packageJSON.main as string);
    const loadStarted = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the bundle is what is timed here.
    require(main);
    const loadMs = performance.now() - loadStarted;
    const started = performance.now();
    const api = await extension.activate();
    const total = performance.now() - started;
    console.log(
      `      activation: code loading ${loadMs.toFixed(1)} ms + activate() ${api.activationMs.toFixed(1)} ms = ${(loadMs + api.activationMs).toFixed(1)} ms; the host's activation call took ${total.toFixed(1)} ms`,
    );
    // Reported, not asserted: timings are for benchmarks, never pass/fail conditions of a test.
    assert.ok(Number.isFinite(api.activationMs));
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['deeplint.showRuleDocs', 'deeplint.explainConcept', 'deeplint.fixAll', 'deeplint.insertSnippet', 'deeplint.openSample', 'deeplint.showLog']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });
});
