// The VS Code adapter over the analysis core: wiring only. Analysis runs in a worker thread; everything about
// deep learning lives in src/core.
import * as vscode from 'vscode';
import { AnalysisClient } from './analysis-client';
import { AnalysisManager, DOCUMENT_LANGUAGES } from './analysis-manager';
import { DeepLintCodeActions } from './code-actions';
import { registerExplainConcept } from './commands/explain-concept';
import { registerFixAll } from './commands/fix-all';
import { registerInsertSnippet } from './commands/insert-snippet';
import { registerOpenSample } from './commands/open-sample';
import { registerProbeModel } from './commands/probe-model';
import { registerShowLog } from './commands/show-log';
import { registerShowRuleDocs } from './commands/show-rule-docs';
import { ConfigResolver } from './config';
import { Ctx } from './ctx';
import { DOCS_SCHEME, DocsContentProvider } from './docs-view';
import { DeepLintHovers } from './hover';
import { ProbeCodeLenses } from './probe/code-lens';
import { ProbePanel, type ProbePageReady } from './probe/panel';
import { SETTINGS_SECTION } from './settings';
import { registerStatus } from './status';

/** What activate() returns to other extensions (and to the integration tests). */
export interface DeepLintApi {
  /** How long activate() took, in milliseconds. */
  activationMs: number;
  /** Test hook: what the probe panel's page reported once its script ran, undefined before it did. */
  probePageReady(): ProbePageReady | undefined;
}

// Notebook cells are text documents with the cell's language, so the python entry covers them too.
const SELECTOR: vscode.DocumentFilter[] = DOCUMENT_LANGUAGES.map((language) => ({ language }));

export function activate(context: vscode.ExtensionContext): DeepLintApi {
  const started = performance.now();
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);

  const client = AnalysisClient.bundled((message) => ctx.errorOnce(message));
  ctx.own({ dispose: () => void client.dispose() });
  const configs = new ConfigResolver((problem) => ctx.warnOnce(problem));
  const diagnostics = ctx.own(vscode.languages.createDiagnosticCollection('deeplint'));
  const manager = ctx.own(new AnalysisManager(ctx, client, configs, diagnostics));

  ctx.own(vscode.languages.registerCodeActionsProvider(SELECTOR, new DeepLintCodeActions(manager), DeepLintCodeActions.metadata));
  ctx.own(vscode.languages.registerHoverProvider(SELECTOR, new DeepLintHovers(ctx, manager)));
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, new DocsContentProvider(ctx)));
  ctx.own(vscode.languages.registerCodeLensProvider(SELECTOR, ctx.own(new ProbeCodeLenses(manager))));

  registerShowRuleDocs(ctx);
  registerExplainConcept(ctx);
  registerFixAll(ctx, manager);
  registerInsertSnippet(ctx);
  registerOpenSample(ctx);
  registerProbeModel(ctx, manager, configs);
  registerShowLog(ctx);
  registerStatus(ctx, manager);

  ctx.own(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      configs.clearSettings();
      manager.refreshAll();
    }),
  );
  // The CLI reads these files too: a change re-analyses every document so both agree at once.
  const watcher = ctx.own(vscode.workspace.createFileSystemWatcher('**/{deeplint.toml,pyproject.toml}'));
  const configFileChanged = () => {
    configs.clear();
    manager.refreshAll();
  };
  ctx.own(watcher.onDidCreate(configFileChanged));
  ctx.own(watcher.onDidChange(configFileChanged));
  ctx.own(watcher.onDidDelete(configFileChanged));

  manager.listen();
  const activationMs = performance.now() - started;
  ctx.log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, probePageReady: () => ProbePanel.pageReady() };
}

export function deactivate(): void {
  // Everything is owned by the Ctx in context.subscriptions, which VS Code disposes.
}
