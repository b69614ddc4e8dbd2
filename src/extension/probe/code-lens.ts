// "Probe gradient health" above each model the analysis found.
import * as vscode from 'vscode';
import type { AnalysisManager } from '../analysis-manager';
import { CommandId } from '../commands/ids';

export class ProbeCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly manager: AnalysisManager) {
    // New analyses move models around: ask the editor to ask again.
    this.subscription = manager.onDidChangeStatus(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const view = await this.manager.viewFor(document);
    if (!view?.analysis.program || token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const model of view.analysis.program.models) {
      const range = view.rangeOf(model.nameSpan);
      if (range) lenses.push(new ModelLens(range, document.uri, model.name));
    }
    return lenses;
  }

  /** The command is attached only to lenses the editor shows: a large file can hold hundreds of models. */
  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (lens instanceof ModelLens) {
      lens.command = {
        title: '$(pulse) Probe gradient health',
        tooltip: `Run one random mini-batch through ${lens.model} and show per-layer gradient statistics`,
        command: CommandId.ProbeModel,
        arguments: [lens.uri, lens.model],
      };
    }
    return lens;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

class ModelLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly model: string,
  ) {
    super(range);
  }
}
