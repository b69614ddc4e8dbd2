// Screenshots for the README and the walkthrough, taken by the harness's browser (run.mjs --screenshots).
import * as vscode from 'vscode';
import { closeAll, diagnosticCodes, fixture, open, positionOf, screenshot, screenshotsWanted } from './helpers';

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('screenshots', function () {
  before(async function () {
    if (!screenshotsWanted()) this.skip();
    // The empty secondary side bar would only take room from the editor.
    await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  });
  after(closeAll);

  it('a model with squiggles and the Problems panel', async () => {
    await closeAll();
    const uri = fixture('classifier.py');
    const editor = await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await pause(1500);
    await screenshot('problems');
  });

  it('a hover with the concept note and facts', async () => {
    const uri = fixture('classifier.py');
    const editor = await open(uri);
    const position = positionOf(editor.document, 'nn.Linear(784, 512)', 4);
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.showHover');
    await pause(1500);
    await screenshot('hover');
    await vscode.commands.executeCommand('editor.action.hideHover');
  });

  it('the quick-fix menu', async () => {
    const uri = fixture('classifier.py');
    const editor = await open(uri);
    const position = positionOf(editor.document, 'F.dropout', 2);
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.quickFix');
    await pause(1500);
    await screenshot('quick-fix');
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });

  it('a notebook with findings in its cells', async () => {
    await closeAll();
    const notebook = await vscode.workspace.openNotebookDocument(fixture('notebook.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await diagnosticCodes(notebook.cellAt(2).document.uri, ['DL201', 'DL201', 'DL201']);
    await pause(1500);
    await screenshot('notebook');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the walkthrough', async () => {
    await closeAll();
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'deeplint.deeplint#gettingStarted', false);
    await pause(2500);
    await screenshot('walkthrough');
  });
});
