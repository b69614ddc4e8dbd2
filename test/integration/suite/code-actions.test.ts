import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, codeActions, codeOf, diagnosticCodes, diagnosticsWhere, fixture, open, revert, titles } from './helpers';

describe('code actions', () => {
  afterEach(async () => {
    for (const name of ['functional_dropout.py', 'deep_sigmoid.py', 'classifier.py']) await revert(fixture(name));
  });
  after(closeAll);

  it('applies a safe fix (preferred), and the finding goes away', async () => {
    const uri = fixture('functional_dropout.py');
    const { document } = await open(uri);
    const diagnostics = await diagnosticCodes(uri, ['DL302', 'DL304']);
    const dl304 = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'DL304')!;
    const actions = await codeActions(uri, dl304.range);
    assert.ok(actions.some((action) => action.title === 'Disable DL304 for this line'), titles(actions));
    assert.ok(actions.some((action) => action.title === 'Show documentation for DL304'), titles(actions));
    const fix = actions.find((action) => action.title === 'Pass training=self.training (DL304)');
    assert.ok(fix?.edit, titles(actions));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /F\.dropout\(self\.fc\(x\), 0\.1, training=self\.training\)/);
    await diagnosticCodes(uri, ['DL302']);
  });

  it('offers an unsafe fix without preferring it', async () => {
    const uri = fixture('deep_sigmoid.py');
    const { document } = await open(uri);
    const [first] = await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201']);
    const actions = await codeActions(uri, first!.range);
    const fix = actions.find((action) => /\(DL201\)$/.test(action.title));
    assert.ok(fix?.edit, titles(actions));
    assert.notEqual(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(4).text.trim(), 'nn.ReLU(),');
  });

  it('disables a rule for one line, merging into an existing suppression comment', async () => {
    const uri = fixture('classifier.py');
    const { document } = await open(uri);
    const diagnostics = await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    const dl304 = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'DL304')!;
    const line = dl304.range.start.line;
    const disable304 = (await codeActions(uri, dl304.range)).find((action) => action.title === 'Disable DL304 for this line');
    assert.ok(disable304?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable304.edit));
    assert.match(document.lineAt(line).text, /\)  # deeplint: ignore\[DL304\]$/);
    const remaining = await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201', 'DL501', 'DL601']);
    const dl201 = remaining.find((diagnostic) => diagnostic.range.start.line === line)!;
    const disable201 = (await codeActions(uri, dl201.range)).find((action) => action.title === 'Disable DL201 for this line');
    assert.ok(disable201?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable201.edit));
    assert.match(document.lineAt(line).text, /# deeplint: ignore\[DL304, DL201\]$/);
    // Both suppressions are used, so no DL001 appears.
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL501', 'DL601']);
  });

  it('shows the rule documentation rendered from the rule data', async () => {
    const uri = fixture('functional_dropout.py');
    await open(uri);
    const dl304 = (await diagnosticCodes(uri, ['DL302', 'DL304']))[1]!;
    const docs = (await codeActions(uri, dl304.range)).find((action) => action.title === 'Show documentation for DL304');
    assert.ok(docs?.command);
    await vscode.commands.executeCommand(docs.command.command, ...(docs.command.arguments ?? []));
    const shown = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'deeplint-docs' && document.uri.path === '/DL304.md');
    assert.ok(shown, 'the documentation document is not open');
    assert.match(shown.getText(), /^# DL304 functional-dropout-always-on/);
    assert.match(shown.getText(), /## Why is this bad\?/);
  });

  it('fixes all safe problems at once (source.fixAll.deeplint and the command), leaving unsafe ones', async () => {
    const uri = fixture('classifier.py');
    const { document } = await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const [fixAll, ...others] = await codeActions(uri, whole, 'source.fixAll.deeplint');
    assert.equal(others.length, 0);
    assert.equal(fixAll?.title, 'Fix all safe DeepLint problems');
    assert.ok(fixAll?.edit && (await vscode.workspace.applyEdit(fixAll.edit)));
    assert.match(document.getText(), /training=self\.training/);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201', 'DL501', 'DL601']);
    await revert(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    assert.equal(await vscode.commands.executeCommand('deeplint.fixAll'), 1);
    await diagnosticsWhere(uri, 'DL304 fixed by the command', (found) => !found.some((diagnostic) => codeOf(diagnostic) === 'DL304'));
    await revert(uri);
    // In the quick-fix list, fix-all carries its edit only once resolved (the list is asked for on every cursor move).
    const [dropout] = (await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601'])).filter((diagnostic) => codeOf(diagnostic) === 'DL304');
    const listed = (await codeActions(uri, dropout!.range)).find((action) => action.title === 'Fix all safe DeepLint problems (1)');
    assert.ok(listed, 'no fix-all in the quick-fix list');
    assert.equal(listed.edit, undefined);
    const resolved = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, dropout!.range, undefined, 100)).find(
      (action) => action.title === listed.title,
    );
    assert.ok(resolved?.edit && (await vscode.workspace.applyEdit(resolved.edit)));
    assert.match(document.getText(), /training=self\.training/);
    await revert(uri);
  });
});
