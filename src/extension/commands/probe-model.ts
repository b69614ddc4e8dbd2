import * as vscode from 'vscode';
import type { Model } from '../../core/ir/types';
import type { ProbeWorker } from '../../core/probe/client';
import type { ProbeResult } from '../../core/probe/probe';
import { trainedLoss } from '../../core/probe/trained-loss';
import type { AnalysisManager } from '../analysis-manager';
import type { ConfigResolver } from '../config';
import type { Ctx } from '../ctx';
import { probeFindings } from '../probe/findings';
import { ProbePanel } from '../probe/panel';
import type { DocumentView } from '../views';
import { CommandId } from './ids';

const STAGES = { building: 'building the graph', sampling: 'sampling weights', session: 'starting onnxruntime', running: 'running one mini-batch' } as const;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * "DeepLint: Probe gradient health": runs one random mini-batch through the model's forward and backward pass
 * (onnxruntime, in the probe's own process, started on first use) and shows per-layer statistics with a verdict.
 * Arguments (from the CodeLens): the document URI and the model name. Returns the result, for tests.
 */
export function registerProbeModel(ctx: Ctx, manager: AnalysisManager, configs: ConfigResolver): void {
  let worker: ProbeWorker | undefined;
  ctx.own({ dispose: () => void worker?.dispose() });
  // The probe measured the code as it was: an edit, or closing the document, makes its findings stale.
  const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection('deeplint-probe'));
  ctx.own(
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) diagnostics.delete(event.document.uri);
    }),
  );
  ctx.own(vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)));

  const publish = (document: vscode.TextDocument, view: DocumentView, result: ProbeResult): void => {
    const found = probeFindings(result).flatMap(({ position, message }) => {
      const range = view.rangeOf(result.layers[position]!.span);
      if (!range) return [];
      const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'deeplint probe';
      return [diagnostic];
    });
    diagnostics.set(document.uri, found);
  };

  const chooseModel = async (view: DocumentView, name: unknown): Promise<Model | undefined> => {
    const models = view.analysis.program?.models.filter((model) => view.rangeOf(model.nameSpan)) ?? [];
    if (typeof name === 'string') return models.find((model) => model.name === name);
    if (models.length <= 1) return models[0];
    const pick = await vscode.window.showQuickPick(models.map((model) => ({ label: model.name, description: `${model.framework}, ${model.layers.length} layers`, model })), {
      title: 'Probe which model?',
    });
    return pick?.model;
  };

  const probe = async (document: vscode.TextDocument, view: DocumentView, model: Model): Promise<ProbeResult | undefined> => {
    const { ProbeWorker } = await import('../../core/probe/client');
    worker ??= new ProbeWorker();
    const running = worker;
    const { config } = configs.resolve(document.uri);
    const panel = ProbePanel.createOrShow(ctx);
    const handlers = {
      reveal: (index: number) => {
        const layer = shown?.layers[index];
        const range = layer && view.rangeOf(layer.span);
        if (range) void vscode.window.showTextDocument(document, { selection: range, viewColumn: vscode.ViewColumn.One });
      },
      rerun: () => void vscode.commands.executeCommand(CommandId.ProbeModel, document.uri, model.name),
    };
    let shown: ProbeResult | undefined;
    diagnostics.delete(document.uri);
    panel.show({ kind: 'running', model: model.name }, handlers);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Probing ${model.name}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        try {
          shown = await running.probe(
            model,
            { batch: config.probe.batch, seed: config.probe.seed, device: config.probe.device, memoryBudget: config.probe.memoryBudgetBytes, loss: trainedLoss(view.analysis.program!, model) },
            { signal: abort.signal, timeoutMs: config.probe.timeoutMs, onProgress: (stage) => progress.report({ message: STAGES[stage] }) },
          );
          const lines = shown.layers.map((layer) => (view.rangeOf(layer.span)?.start.line ?? -1) + 1);
          panel.show({ kind: 'result', result: shown, lines }, handlers);
          // Ranges from an analysis of another version would point at the wrong code.
          if (document.version === view.version) publish(document, view, shown);
          ctx.log.info(`probe of ${model.name}: ${shown.verdict.status} in ${shown.timings.totalMs.toFixed(0)} ms on ${shown.device}`);
          return shown;
        } catch (error) {
          // A refusal (too large), a model the probe cannot build, a timeout or a crashed process: said in the panel.
          panel.show({ kind: 'error', model: model.name, message: message(error) }, handlers);
          ctx.log.warn(`probe of ${model.name} failed: ${message(error)}`);
          return undefined;
        }
      },
    );
  };

  ctx.own(
    vscode.commands.registerCommand(CommandId.ProbeModel, async (uri?: unknown, name?: unknown) => {
      const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!document) return undefined;
      const view = await manager.viewFor(document);
      const model = view && (await chooseModel(view, name));
      if (!view || !model) {
        vscode.window.setStatusBarMessage('DeepLint: no model to probe here', 4000);
        return undefined;
      }
      return probe(document, view, model);
    }),
  );
}
