import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

describe('activation', () => {
  it('is installed from the .vsix, activates within budget and contributes its commands', async () => {
    const extension = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    assert.equal(extension.isActive, false, 'DeepLint activated before any relevant document was opened');
    // Module loading plus activate(): what VS Code counts as the extension's activation time.
    const started = performance.now();
    const api = await extension.activate();
    const total = performance.now() - started;
    console.log(`      activation: ${total.toFixed(1)} ms including module load; activate() itself ${api.activationMs.toFixed(1)} ms`);
    assert.ok(api.activationMs < 50, `activate() took ${api.activationMs} ms`);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['deeplint.showRuleDocs', 'deeplint.explainConcept', 'deeplint.fixAll', 'deeplint.insertSnippet', 'deeplint.openSample', 'deeplint.showLog']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });
});
