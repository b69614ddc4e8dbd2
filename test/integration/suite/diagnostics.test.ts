import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';

const WORKSPACE = vscode.workspace.workspaceFolders?.[0]?.uri;

function fixture(name: string): vscode.Uri {
  assert.ok(WORKSPACE, 'the test workspace is not open');
  return vscode.Uri.joinPath(WORKSPACE, name);
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function deeplintDiagnostics(uri: vscode.Uri, atLeast = 1): Promise<vscode.Diagnostic[]> {
  return waitFor(`DeepLint diagnostics on ${path.basename(uri.path)}`, () => {
    const found = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'deeplint');
    return found.length >= atLeast ? found : undefined;
  });
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

describe('DeepLint in a real VS Code', () => {
  it('shows diagnostics with code, docs link, range and severity', async () => {
    const uri = fixture('deep_sigmoid.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await deeplintDiagnostics(uri, 3);
    const dl201 = diagnostics.filter((diagnostic) => codeOf(diagnostic) === 'DL201');
    assert.equal(dl201.length, 3);
    const first = dl201.sort((a, b) => a.range.start.line - b.range.start.line)[0]!;
    assert.equal(document.getText(first.range), 'nn.Sigmoid');
    assert.equal(first.severity, vscode.DiagnosticSeverity.Warning);
    const code = first.code as { value: string; target: vscode.Uri };
    assert.match(code.target.toString(), /DL201\.md$/);
    assert.match(first.message, /derivative is at most 1\/4/);
  });

  it('hovers a layer with its concept note and facts', async () => {
    const uri = fixture('deep_sigmoid.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await deeplintDiagnostics(uri, 3);
    const offset = document.getText().indexOf('nn.Linear(64, 128)') + 4;
    const hovers = await waitFor('a hover', async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, document.positionAt(offset));
      const text = (result ?? []).flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))).join('\n');
      return text.includes('Linear') ? text : undefined;
    });
    assert.match(hovers, /Linear \(fully connected, Dense\) layers/);
    assert.match(hovers, /64 → 128/);
    assert.match(hovers, /8,320/);
    assert.match(hovers, /kaiming_uniform_\(a=√5\) \(framework default\)/);
  });

  it('applies a safe quick fix and the finding goes away', async () => {
    const uri = fixture('functional_dropout.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [diagnostic] = (await deeplintDiagnostics(uri, 1)).filter((candidate) => codeOf(candidate) === 'DL304');
    assert.ok(diagnostic);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Disable DL304 for this line'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for DL304'), titles.join(' | '));
    const fix = actions.find((action) => action.title.startsWith('Pass training=self.training'));
    assert.ok(fix?.edit, titles.join(' | '));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /F\.dropout\(self\.fc\(x\), 0\.1, training=self\.training\)/);
    await waitFor('DL304 to disappear', () =>
      vscode.languages.getDiagnostics(uri).some((candidate) => codeOf(candidate) === 'DL304') ? undefined : true,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
