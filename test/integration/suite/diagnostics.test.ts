import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, codeOf, diagnosticCodes, diagnosticsWhere, fixture, open, revert } from './helpers';

describe('diagnostics', () => {
  after(closeAll);

  it('reports DL201 on each hidden sigmoid with code, docs link, range, severity and message', async () => {
    const uri = fixture('deep_sigmoid.py');
    const editor = await open(uri);
    const diagnostics = await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201']);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.range.start.line), [4, 6, 8]);
    for (const diagnostic of diagnostics) {
      assert.equal(editor.document.getText(diagnostic.range), 'nn.Sigmoid');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(diagnostic.source, 'deeplint');
      const code = diagnostic.code as { value: string; target: vscode.Uri };
      assert.equal(code.value, 'DL201');
      assert.match(code.target.toString(), /\/DL201\.md$/);
      assert.match(diagnostic.message, /sigmoid as a hidden activation in a 4-layer stack: its derivative is at most 1\/4/);
    }
  });

  it('reports several rules in one PyTorch file, in document order', async () => {
    const uri = fixture('classifier.py');
    const editor = await open(uri);
    const diagnostics = await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    const text = (code: string) => editor.document.getText(diagnostics.find((diagnostic) => codeOf(diagnostic) === code)!.range);
    assert.equal(text('DL304'), 'F.dropout(torch.sigmoid(self.fc3(x)), 0.2)');
    assert.match(text('DL501'), /^F\.softmax/);
    assert.match(diagnostics[5]!.message, /never zero_grad\(\)/);
  });

  it('analyses Keras, TF.js JavaScript and TypeScript files', async () => {
    await open(fixture('keras_mlp.py'));
    await diagnosticCodes(fixture('keras_mlp.py'), ['DL303', 'DL501']);
    const js = await open(fixture('deep_tanh.js'));
    const tanh = await diagnosticCodes(fixture('deep_tanh.js'), ['DL201', 'DL201', 'DL201', 'DL201']);
    assert.equal(js.document.getText(tanh[0]!.range), "'tanh'");
    const ts = await open(fixture('model.ts'));
    const [rate] = await diagnosticCodes(fixture('model.ts'), ['DL303']);
    assert.equal(ts.document.getText(rate!.range), '0.95');
  });

  it('fades an unused suppression (Unnecessary tag, information severity)', async () => {
    const uri = fixture('unused_suppression.py');
    await open(uri);
    const [unused] = await diagnosticCodes(uri, ['DL001']);
    assert.deepEqual(unused!.tags, [vscode.DiagnosticTag.Unnecessary]);
    assert.equal(unused!.severity, vscode.DiagnosticSeverity.Information);
  });

  it('follows edits: a finding appears and disappears with the text', async () => {
    const uri = fixture('training.py');
    const editor = await open(uri);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'deeplint'), []);
    const zeroGrad = editor.document.getText().indexOf('            optimizer.zero_grad()\n');
    const line = editor.document.positionAt(zeroGrad).line;
    await editor.edit((edit) => edit.delete(editor.document.lineAt(line).rangeIncludingLineBreak));
    await diagnosticCodes(uri, ['DL601']);
    await vscode.commands.executeCommand('undo');
    await diagnosticsWhere(uri, 'no diagnostics after undo', (found) => found.length === 0);
    await revert(uri);
  });
});
