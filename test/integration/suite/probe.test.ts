import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { closeAll, deeplintApi, diagnosticsWhere, fixture, open, revert, screenshot, screenshotsWanted, waitFor } from './helpers';

interface ProbeResultShape {
  model: string;
  device: string;
  layers: { name?: string; gradNorm: number }[];
  verdict: { status: string; explanation: string };
}

describe('gradient-health probe', () => {
  after(closeAll);

  it('offers a CodeLens above each model and runs the probe with onnxruntime from the .vsix', async function () {
    this.timeout(120_000);
    const uri = fixture('sample_model.py');
    await open(uri);
    await diagnosticsWhere(uri, 'diagnostics', (found) => found.length === 8);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    const lens = lenses.find((candidate) => candidate.command?.command === 'deeplint.probeModel');
    assert.ok(lens?.command, 'no probe CodeLens');
    assert.match(lens.command.title, /Probe gradient health/);
    assert.deepEqual(lens.command.arguments?.map(String), [uri.toString(), 'Classifier']);
    const result = await vscode.commands.executeCommand<ProbeResultShape | undefined>(lens.command.command, ...(lens.command.arguments ?? []));
    assert.ok(result, 'the probe returned no result (see the DeepLint log)');
    assert.equal(result.model, 'Classifier');
    assert.deepEqual(result.layers.map((layer) => layer.name), ['fc1', 'fc2', 'fc3', 'fc4', 'fc5', 'out']);
    // Five sigmoid layers: the first layer's gradient is orders of magnitude below the last one's.
    const first = result.layers[0]!.gradNorm;
    const last = result.layers[5]!.gradNorm;
    assert.ok(first > 0 && first < last / 100, `‖dL/dW‖ fc1 ${first}, out ${last}`);
    assert.equal(result.verdict.status, 'vanishing');
    // The workbench reports the new tab a moment after the panel is created.
    const panel = await waitFor('the probe panel tab', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('deeplint.probe')),
    );
    assert.equal(panel.label, 'Probe: Classifier');
    // The page's script reports once it runs: the page rendered, the nonce script ran under the policy, and the
    // chart in the page has a mark for each layer.
    const api = await deeplintApi();
    const ready = await waitFor('the probe page to report it loaded', () => {
      const report = api.probePageReady();
      return report?.state === 'result' ? report : undefined;
    });
    assert.equal(ready.layers, 6);
    if (screenshotsWanted()) {
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
      await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
      // The harness waits until the webview shows the chart before it takes the picture.
      await screenshot('probe', 'svg.chart');
      await vscode.commands.executeCommand('workbench.action.toggleSidebarVisibility');
    }
  });

  it('puts diagnostics on the layers the verdict flags, replaced by the next probe and cleared by an edit', async function () {
    this.timeout(60_000);
    const uri = fixture('sample_model.py');
    const editor = await open(uri);
    await diagnosticsWhere(uri, 'diagnostics', (found) => found.length === 8);
    const probeDiagnostics = () => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'deeplint probe');
    for (let run = 0; run < 2; run++) {
      const result = await vscode.commands.executeCommand<ProbeResultShape | undefined>('deeplint.probeModel', uri, 'Classifier');
      assert.equal(result?.verdict.status, 'vanishing');
      const found = await waitFor('the probe diagnostics', () => (probeDiagnostics().length > 0 ? probeDiagnostics() : undefined));
      // fc1 and fc2, whose gradients are below a thousandth of the last layer's, on their declarations.
      assert.deepEqual(
        found.map((diagnostic) => editor.document.getText(diagnostic.range)),
        ['nn.Linear(784, 512)', 'nn.Linear(512, 256)'],
      );
      assert.deepEqual(
        found.map((diagnostic) => diagnostic.range.start.line + 1),
        [11, 12],
      );
      for (const [i, diagnostic] of found.entries()) {
        assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
        assert.match(diagnostic.message, new RegExp(`^Vanishing gradient at initialization: ‖dL/dW‖ of 'fc${i + 1}' is \\d\\.\\d\\de-5, .*× the 0\\.06\\d of the last layer 'out'\\.$`));
      }
    }
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# edited\n'));
    await waitFor('the probe diagnostics to clear', () => (probeDiagnostics().length === 0 ? true : undefined));
    await revert(uri);
    assert.deepEqual(probeDiagnostics(), []);
  });

  it('opens the walkthrough sample model, which has the documented problems', async () => {
    const opened = await vscode.commands.executeCommand<string>('deeplint.openSample');
    const uri = vscode.Uri.parse(opened);
    assert.equal(uri.scheme, 'untitled');
    await diagnosticsWhere(uri, 'the sample’s problems', (found) => found.length === 8);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
