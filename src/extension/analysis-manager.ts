// Keeps every open Python/JS/TS document and Jupyter notebook analysed: debounced after edits, one analysis
// at a time per document, results dropped when the document changed meanwhile, diagnostics published per
// document (per cell for notebooks) and the views kept for code actions and hovers.
import * as vscode from 'vscode';
import type { SourceKind } from '../core/analyze';
import type { AnalysisClient } from './analysis-client';
import type { ConfigResolver } from './config';
import type { Ctx } from './ctx';
import { joinCells } from './notebook-cells';
import { SETTING_DEFAULTS } from './settings';
import { cellView, textDocumentView, type DocumentView } from './views';

export const DOCUMENT_LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'] as const;
const KINDS: Record<string, SourceKind> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
};
const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';
const NOTEBOOK_TYPE = 'jupyter-notebook';

/** What the status item shows for a document. */
export type AnalysisStatus =
  | { state: 'analysing' }
  | { state: 'done'; models: number; milliseconds: number; stale: boolean; configFile?: string }
  | { state: 'skipped'; bytes: number; limit: number }
  | { state: 'disabled' }
  | { state: 'failed'; message: string };

/** The language of a text document DeepLint analyses on its own (not a notebook cell), if any. */
export function documentKind(document: vscode.TextDocument): SourceKind | undefined {
  if (document.uri.scheme === NOTEBOOK_CELL_SCHEME) return undefined;
  return KINDS[document.languageId];
}

interface Unit {
  key: string;
  timer?: ReturnType<typeof setTimeout>;
  /** The run in progress; `again` asks it to go once more with the newest text. */
  running?: Promise<void>;
  again: boolean;
  status?: AnalysisStatus;
  /** Documents whose diagnostics this unit published (a notebook's cells). */
  published: Set<string>;
  analyse(): Promise<void>;
  debounceMs(): number;
}

export class AnalysisManager implements vscode.Disposable {
  private readonly units = new Map<string, Unit>();
  /** Notebook cell document → its notebook's unit key. */
  private readonly cellOwners = new Map<string, string>();
  private readonly views = new Map<string, DocumentView>();
  private readonly statusEmitter = new vscode.EventEmitter<void>();
  /** Fires when any document's analysis status changes. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  private disposed = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly client: AnalysisClient,
    private readonly configs: ConfigResolver,
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {}

  /** Starts following the documents and notebooks open now and those opened later. */
  listen(): void {
    const { ctx } = this;
    ctx.own(vscode.workspace.onDidOpenTextDocument((document) => this.openDocument(document)));
    ctx.own(vscode.workspace.onDidCloseTextDocument((document) => this.closeDocument(document)));
    ctx.own(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        const owner = this.cellOwners.get(event.document.uri.toString());
        const unit = this.units.get(owner ?? event.document.uri.toString());
        if (unit) this.schedule(unit);
      }),
    );
    ctx.own(vscode.workspace.onDidOpenNotebookDocument((notebook) => this.openNotebook(notebook)));
    ctx.own(vscode.workspace.onDidCloseNotebookDocument((notebook) => this.closeUnit(notebook.uri.toString())));
    ctx.own(
      vscode.workspace.onDidChangeNotebookDocument((event) => {
        // Cells added, removed or moved; edits inside cells arrive as text document changes.
        if (event.contentChanges.length === 0 && !event.cellChanges.some((change) => change.document)) return;
        const unit = this.units.get(event.notebook.uri.toString());
        if (unit) this.schedule(unit);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.openDocument(document);
    for (const notebook of vscode.workspace.notebookDocuments) this.openNotebook(notebook);
  }

  /** Analyses everything again, after settings or a configuration file changed. */
  refreshAll(): void {
    for (const unit of this.units.values()) void this.runNow(unit);
  }

  statusOf(document: vscode.TextDocument): AnalysisStatus | undefined {
    const key = this.cellOwners.get(document.uri.toString()) ?? document.uri.toString();
    return this.units.get(key)?.status;
  }

  /** The view of a document's current version, analysing it now if the last analysis is older. */
  async viewFor(document: vscode.TextDocument): Promise<DocumentView | undefined> {
    const current = this.views.get(document.uri.toString());
    if (current && current.version === document.version) return current;
    const key = this.cellOwners.get(document.uri.toString()) ?? document.uri.toString();
    const unit = this.units.get(key);
    if (!unit) return undefined;
    await this.runNow(unit);
    const view = this.views.get(document.uri.toString());
    return view && view.version === document.version ? view : undefined;
  }

  /** The view as last analysed, current or not (for commands that re-check versions themselves). */
  lastView(uri: vscode.Uri): DocumentView | undefined {
    return this.views.get(uri.toString());
  }

  private setStatus(unit: Unit, status: AnalysisStatus): void {
    unit.status = status;
    this.statusEmitter.fire();
  }

  private schedule(unit: Unit): void {
    if (unit.timer) clearTimeout(unit.timer);
    unit.timer = setTimeout(() => {
      unit.timer = undefined;
      void this.runNow(unit);
    }, unit.debounceMs());
  }

  /** Runs the unit's analysis now; while one runs, asks it to run once more and waits for both. */
  private runNow(unit: Unit): Promise<void> {
    if (unit.timer) {
      clearTimeout(unit.timer);
      unit.timer = undefined;
    }
    if (unit.running) {
      unit.again = true;
      return unit.running;
    }
    const run = async () => {
      do {
        unit.again = false;
        try {
          await unit.analyse();
        } catch (error) {
          this.ctx.errorOnce(`DeepLint failed on ${unit.key}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          this.setStatus(unit, { state: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      } while (unit.again && !this.disposed && this.units.get(unit.key) === unit);
    };
    unit.running = run().finally(() => {
      unit.running = undefined;
    });
    return unit.running;
  }

  private publish(unit: Unit, views: DocumentView[]): void {
    const now = new Set(views.map((view) => view.uri.toString()));
    for (const stale of unit.published) {
      if (!now.has(stale)) {
        this.diagnostics.delete(vscode.Uri.parse(stale));
        this.views.delete(stale);
      }
    }
    for (const view of views) {
      this.views.set(view.uri.toString(), view);
      this.diagnostics.set(view.uri, view.findings.map((mapped) => mapped.diagnostic));
    }
    unit.published = now;
  }

  private clear(unit: Unit): void {
    this.publish(unit, []);
    this.client.forget(unit.key);
  }

  private debounceOf(uri: vscode.Uri): () => number {
    return () => {
      const value = vscode.workspace.getConfiguration('deeplint', uri).get<number>('debounceMs', SETTING_DEFAULTS.debounceMs);
      return Number.isFinite(value) && value >= 0 ? value : SETTING_DEFAULTS.debounceMs;
    };
  }

  /** Checks the enable and size settings; false when the unit must not be analysed now. */
  private admit(unit: Unit, enabled: boolean, bytes: number, limit: number): boolean {
    if (!enabled) {
      this.clear(unit);
      this.setStatus(unit, { state: 'disabled' });
      return false;
    }
    if (bytes > limit) {
      this.clear(unit);
      this.ctx.warnOnce(`${unit.key}: ${bytes} bytes is above deeplint.maxFileBytes (${limit}); not analysed`);
      this.setStatus(unit, { state: 'skipped', bytes, limit });
      return false;
    }
    return true;
  }

  private reportErrors(key: string, errors: readonly { message: string }[]): void {
    for (const error of errors) if (error.message.startsWith('internal')) this.ctx.errorOnce(`${key}: ${error.message}`);
  }

  private openDocument(document: vscode.TextDocument): void {
    const kind = documentKind(document);
    const key = document.uri.toString();
    const existing = this.units.get(key);
    if (!kind) {
      // A document switched to a language DeepLint does not read.
      if (existing) this.closeUnit(key);
      return;
    }
    if (existing) {
      // Reopened under another language id: analyse again with the new parser.
      void this.runNow(existing);
      return;
    }
    const unit: Unit = {
      key,
      again: false,
      published: new Set(),
      debounceMs: this.debounceOf(document.uri),
      analyse: async () => {
        if (document.isClosed) return;
        const currentKind = documentKind(document);
        if (!currentKind) return;
        const version = document.version;
        const text = document.getText();
        const { config, settings, file } = this.configs.resolve(document.uri);
        if (!this.admit(unit, settings.enable, Buffer.byteLength(text, 'utf8'), config.maxFileBytes)) return;
        this.setStatus(unit, { state: 'analysing' });
        const outcome = await this.client.analyze(key, currentKind, document.fileName, text, config);
        // A newer version is already scheduled; these results would point at old positions.
        if (document.isClosed || document.version !== version || this.units.get(key) !== unit) return;
        this.publish(unit, [textDocumentView(document.uri, version, outcome.analysis)]);
        this.reportErrors(key, outcome.analysis.errors);
        const models = outcome.analysis.program?.models.length ?? 0;
        this.setStatus(unit, { state: 'done', models, milliseconds: outcome.milliseconds, stale: outcome.stale, ...(file ? { configFile: file } : {}) });
      },
    };
    this.units.set(key, unit);
    void this.runNow(unit);
  }

  private closeDocument(document: vscode.TextDocument): void {
    if (document.uri.scheme === NOTEBOOK_CELL_SCHEME) return;
    this.closeUnit(document.uri.toString());
  }

  private closeUnit(key: string): void {
    const unit = this.units.get(key);
    if (!unit) return;
    if (unit.timer) clearTimeout(unit.timer);
    this.units.delete(key);
    this.clear(unit);
    for (const [cell, owner] of this.cellOwners) if (owner === key) this.cellOwners.delete(cell);
    this.statusEmitter.fire();
  }

  private openNotebook(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const key = notebook.uri.toString();
    if (this.units.has(key)) return;
    const unit: Unit = {
      key,
      again: false,
      published: new Set(),
      debounceMs: this.debounceOf(notebook.uri),
      analyse: async () => {
        if (notebook.isClosed) return;
        const codeCells = () => notebook.getCells().filter((cell) => cell.kind === vscode.NotebookCellKind.Code && cell.document.languageId === 'python');
        const cells = codeCells();
        for (const cell of notebook.getCells()) this.cellOwners.set(cell.document.uri.toString(), key);
        const versions = cells.map((cell) => cell.document.version);
        const shape = (list: vscode.NotebookCell[]) => list.map((cell) => `${cell.document.uri.toString()}@${cell.document.version}`).join('\n');
        const before = shape(cells);
        const joined = joinCells(cells.map((cell) => ({ index: cell.index, text: cell.document.getText() })));
        const { config, settings, file } = this.configs.resolve(notebook.uri);
        if (!this.admit(unit, settings.enable, Buffer.byteLength(joined.text, 'utf8'), config.maxFileBytes)) return;
        this.setStatus(unit, { state: 'analysing' });
        const outcome = await this.client.analyze(key, 'python', notebook.uri.fsPath, joined.text, config);
        // Cells edited, added or removed meanwhile: a newer run is scheduled.
        if (notebook.isClosed || this.units.get(key) !== unit || shape(codeCells()) !== before) return;
        const views = cells.map((cell, i) => cellView(cell.document.uri, versions[i]!, outcome.analysis, joined.cells[i]!));
        this.publish(unit, views);
        this.reportErrors(key, outcome.analysis.errors);
        const models = outcome.analysis.program?.models.length ?? 0;
        this.setStatus(unit, { state: 'done', models, milliseconds: outcome.milliseconds, stale: outcome.stale, ...(file ? { configFile: file } : {}) });
      },
    };
    this.units.set(key, unit);
    void this.runNow(unit);
  }

  dispose(): void {
    this.disposed = true;
    for (const unit of this.units.values()) if (unit.timer) clearTimeout(unit.timer);
    this.units.clear();
    this.views.clear();
    this.statusEmitter.dispose();
  }
}
