import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeActions, codeOf, deeplintDiagnostics, diagnosticCodes, fixture, hoverAt, titles, waitFor } from './helpers';

describe('Jupyter notebooks', () => {
  let notebook: vscode.NotebookDocument;

  // The tests below edit the notebook: they work on a copy, so the fixture stays as it is for the screenshots.
  const copy = () => fixture('notebook-edited.ipynb');

  before(async () => {
    fs.copyFileSync(fixture('notebook.ipynb').fsPath, copy().fsPath);
    notebook = await vscode.workspace.openNotebookDocument(copy());
    await vscode.window.showNotebookDocument(notebook);
  });
  after(async () => {
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  const cell = (index: number) => notebook.cellAt(index).document;

  it('analyses the code cells together and reports on each cell (IPython magics masked)', async () => {
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    // Cell 2 defines the model, cell 3 trains it without zero_grad(); cell 1 holds `%matplotlib` and `!pip`.
    const model = await diagnosticCodes(cell(2).uri, ['DL201', 'DL201', 'DL201']);
    assert.deepEqual(model.map((diagnostic) => diagnostic.range.start.line), [1, 2, 3]);
    assert.equal(cell(2).getText(model[0]!.range), 'nn.Tanh');
    const [loop] = await diagnosticCodes(cell(3).uri, ['DL601']);
    assert.equal(loop!.range.start.line, 1);
    assert.deepEqual(deeplintDiagnostics(cell(1).uri), []);
  });

  it('hovers a layer inside a cell', async () => {
    const document = cell(2);
    const position = document.positionAt(document.getText().indexOf('nn.Linear(10, 32)') + 4);
    const text = await hoverAt(document.uri, position, /10 → 32/);
    // 10 · 32 weights + 32 biases.
    assert.match(text, /\| parameters \| 352 \|/);
  });

  it('applies a quick fix inside a cell', async () => {
    const document = cell(2);
    const [first] = await diagnosticCodes(document.uri, ['DL201', 'DL201', 'DL201']);
    const actions = await codeActions(document.uri, first!.range);
    const fix = actions.find((action) => /\(DL201\)$/.test(action.title));
    assert.ok(fix?.edit, titles(actions));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.lineAt(1).text, /nn\.Linear\(10, 32\), nn\.ReLU\(\),/);
  });

  it('re-analyses when a cell changes', async () => {
    const document = cell(3);
    const edit = new vscode.WorkspaceEdit();
    const line = document.lineAt(2);
    edit.insert(document.uri, line.range.start, '    opt.zero_grad()\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('DL601 to go away', () => (deeplintDiagnostics(document.uri).some((diagnostic) => codeOf(diagnostic) === 'DL601') ? undefined : true));
  });
});
