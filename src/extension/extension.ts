// The VS Code adapter: diagnostics, quick fixes and hovers over the shared analysis core. Everything about deep
// learning lives in src/core; this file only translates between the core's offsets and the editor's API.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sourceKindOf, type FileAnalysis, type SourceKind } from '../core/analyze';
import { applyConfigTable, defaultConfig, findConfigFile, loadConfigFile, type DeepLintConfig } from '../core/config';
import { DocumentAnalyzer, type TextChange } from '../core/document';
import { ruleDocsUrl } from '../core/docs';
import type { Layer, Model } from '../core/ir/types';
import { loadNotes, type NotesStore } from '../core/notes/store';
import { renderHover, renderNoteMarkdown, type HoverFact } from '../core/notes/render';
import { findRule } from '../core/rules/registry';
import { renderRuleMarkdown } from '../core/rules/docs-markdown';
import type { Finding } from '../core/rules/types';

const LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

interface DocumentState {
  analyzer: DocumentAnalyzer;
  pending: TextChange[];
  timer?: ReturnType<typeof setTimeout>;
  /** The last analysis and the document version it belongs to: code actions and hovers read it, never re-lint. */
  result?: { version: number; analysis: FileAnalysis };
}

function kindOf(document: vscode.TextDocument): SourceKind | undefined {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled' && document.uri.scheme !== 'vscode-remote') return undefined;
  if (document.languageId === 'python') return 'python';
  if (document.languageId === 'javascript' || document.languageId === 'javascriptreact') return 'javascript';
  if (document.languageId === 'typescript' || document.languageId === 'typescriptreact') return 'typescript';
  return sourceKindOf(document.fileName);
}

/** Logs each distinct problem once, so a broken config or a failing file does not flood the log. */
function logOnce(log: vscode.LogOutputChannel, reported: Set<string>, level: 'warn' | 'error', message: string): void {
  if (reported.has(message)) return;
  reported.add(message);
  log[level](message);
}

/** Settings under `deeplint.` on top of the nearest deeplint.toml / [tool.deeplint], so the editor and CLI agree. */
function configFor(document: vscode.TextDocument, log: vscode.LogOutputChannel, reported: Set<string>): DeepLintConfig {
  let config = defaultConfig();
  if (document.uri.scheme === 'file') {
    const file = findConfigFile(path.dirname(document.uri.fsPath));
    if (file) {
      const loaded = loadConfigFile(file, config);
      config = loaded.config;
      for (const problem of loaded.problems) logOnce(log, reported, 'warn', problem);
    }
  }
  const settings = vscode.workspace.getConfiguration('deeplint', document.uri);
  const table: Record<string, unknown> = {};
  const select = settings.get<string[]>('select');
  const ignore = settings.get<string[]>('ignore');
  const severity = settings.get<Record<string, string>>('severity');
  const rules = settings.get<Record<string, Record<string, number | boolean>>>('rules');
  if (select && select.length > 0) table['select'] = select;
  if (ignore && ignore.length > 0) table['extend-ignore'] = ignore;
  if (severity && Object.keys(severity).length > 0) table['severity'] = severity;
  if (rules && Object.keys(rules).length > 0) table['rules'] = rules;
  const problems: string[] = [];
  config = applyConfigTable(config, table, problems);
  config.maxFileBytes = settings.get<number>('maxFileBytes', config.maxFileBytes);
  for (const problem of problems) logOnce(log, reported, 'warn', `settings: ${problem}`);
  return config;
}

function toRange(analysis: FileAnalysis, span: { start: number; end: number }): vscode.Range {
  const start = analysis.lines.positionAt(span.start);
  const end = analysis.lines.positionAt(span.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

function toDiagnostic(analysis: FileAnalysis, finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(analysis, finding.span), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = 'deeplint';
  diagnostic.code = { value: finding.code, target: vscode.Uri.parse(ruleDocsUrl(finding.code)) };
  if (finding.tags?.includes('unnecessary')) diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** Facts about one layer for its hover: sizes, parameters, initialization. */
function layerFacts(layer: Layer): HoverFact[] {
  const facts: HoverFact[] = [];
  if (layer.in !== null || layer.out !== null) facts.push({ label: 'in → out', value: `${layer.in ?? '?'} → ${layer.out ?? '?'}` });
  if (layer.params !== null) facts.push({ label: 'parameters', value: layer.params.toLocaleString('en-US') + (layer.repeat && layer.repeat !== 1 ? ` × ${layer.repeat}` : '') });
  if (layer.init) facts.push({ label: 'weight init', value: `${layer.init.name}${layer.init.source === 'default' ? ' (framework default)' : ''}` });
  if (layer.activation && layer.kind !== 'activation') facts.push({ label: 'activation', value: layer.activation });
  if (typeof layer.rate === 'number') facts.push({ label: 'drop probability', value: String(layer.rate) });
  return facts;
}

function modelFacts(model: Model): HoverFact[] {
  const dense = model.layers.filter((layer) => /linear|conv/.test(layer.kind));
  const activations = [...new Set(model.layers.flatMap((layer) => (layer.activation ? [layer.activation] : [])))];
  return [
    { label: 'framework', value: model.framework },
    { label: 'layers', value: String(model.layers.length) },
    { label: 'weight layers', value: String(dense.reduce((sum, layer) => sum + (layer.repeat ?? 1), 0)) },
    { label: 'parameters', value: model.parameterCount === null ? 'unknown' : model.parameterCount.toLocaleString('en-US') },
    ...(activations.length > 0 ? [{ label: 'activations', value: activations.join(', ') }] : []),
  ];
}

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('DeepLint', { log: true });
  const diagnostics = vscode.languages.createDiagnosticCollection('deeplint');
  const status = vscode.languages.createLanguageStatusItem('deeplint.status', LANGUAGES);
  status.name = 'DeepLint';
  status.text = 'DeepLint';
  const states = new Map<string, DocumentState>();
  const reported = new Set<string>();
  let notes: NotesStore | undefined;
  const notesStore = () => {
    if (!notes) {
      const loaded = loadNotes(path.join(context.extensionPath, 'media', 'notes'));
      for (const problem of loaded.problems) log.warn(problem);
      notes = loaded.store;
    }
    return notes;
  };
  context.subscriptions.push(log, diagnostics, status);

  const analyze = (document: vscode.TextDocument) => {
    const kind = kindOf(document);
    if (!kind || kind === 'notebook') return;
    const key = document.uri.toString();
    const state = states.get(key) ?? { analyzer: new DocumentAnalyzer(kind, { fileName: document.fileName }), pending: [] };
    states.set(key, state);
    const config = configFor(document, log, reported);
    const text = document.getText();
    if (text.length > config.maxFileBytes) {
      diagnostics.delete(document.uri);
      status.text = 'DeepLint: file too large';
      status.detail = `above deeplint.maxFileBytes (${config.maxFileBytes} bytes); not analysed`;
      return;
    }
    const changes = state.result ? state.pending : undefined;
    state.pending = [];
    try {
      const { analysis, stale } = state.analyzer.update(text, config, changes);
      state.result = { version: document.version, analysis };
      diagnostics.set(document.uri, analysis.findings.map((finding) => toDiagnostic(analysis, finding)));
      const models = analysis.program?.models.length ?? 0;
      status.text = stale ? 'DeepLint: waiting for valid syntax' : `DeepLint: ${models} model${models === 1 ? '' : 's'}`;
      status.detail = stale ? 'showing the last findings until the file parses again' : undefined;
      for (const error of analysis.errors) if (error.message.startsWith('internal')) logOnce(log, reported, 'error', error.message);
    } catch (error) {
      logOnce(log, reported, 'error', `analysis failed for ${document.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const schedule = (document: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[]) => {
    const state = states.get(document.uri.toString());
    if (!state) return analyze(document);
    for (const change of changes) state.pending.push({ start: change.rangeOffset, end: change.rangeOffset + change.rangeLength, newText: change.text });
    if (state.timer) clearTimeout(state.timer);
    const delay = vscode.workspace.getConfiguration('deeplint', document.uri).get<number>('debounceMs', 150);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      // A newer edit supersedes this analysis; the document's current text is what counts.
      analyze(document);
    }, delay);
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(analyze),
    vscode.workspace.onDidChangeTextDocument((event) => schedule(event.document, event.contentChanges)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      states.delete(document.uri.toString());
      diagnostics.delete(document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('deeplint')) for (const document of vscode.workspace.textDocuments) analyze(document);
    }),
  );

  const current = (document: vscode.TextDocument) => {
    const state = states.get(document.uri.toString());
    return state?.result && state.result.version === document.version ? state.result.analysis : undefined;
  };

  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(LANGUAGES, {
      provideCodeActions(document, range) {
        const analysis = current(document);
        if (!analysis) return [];
        const actions: vscode.CodeAction[] = [];
        const comment = analysis.kind === 'python' ? '#' : '//';
        for (const finding of analysis.findings) {
          const findingRange = toRange(analysis, finding.span);
          if (!findingRange.intersection(range)) continue;
          if (finding.fix) {
            const action = new vscode.CodeAction(`${finding.fix.title} (${finding.code})`, vscode.CodeActionKind.QuickFix);
            action.edit = new vscode.WorkspaceEdit();
            for (const edit of finding.fix.edits) action.edit.replace(document.uri, toRange(analysis, edit.span), edit.newText);
            action.isPreferred = finding.fix.safe;
            actions.push(action);
          }
          const line = document.lineAt(findingRange.start.line);
          const disable = new vscode.CodeAction(`Disable ${finding.code} for this line`, vscode.CodeActionKind.QuickFix);
          disable.edit = new vscode.WorkspaceEdit();
          const existing = new RegExp(`${comment === '#' ? '#' : '//'}\\s*deeplint:\\s*ignore\\[([^\\]]*)\\]`).exec(line.text);
          if (existing) {
            const close = line.range.start.translate(0, existing.index + existing[0].length - 1);
            disable.edit.insert(document.uri, close, `, ${finding.code}`);
          } else {
            disable.edit.insert(document.uri, line.range.end, `  ${comment} deeplint: ignore[${finding.code}]`);
          }
          actions.push(disable);
          const docs = new vscode.CodeAction(`Show documentation for ${finding.code}`, vscode.CodeActionKind.QuickFix);
          docs.command = { command: 'deeplint.showRuleDocs', title: 'Show documentation', arguments: [finding.code] };
          actions.push(docs);
        }
        return actions;
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerHoverProvider(LANGUAGES, {
      provideHover(document, position) {
        const analysis = current(document);
        if (!analysis?.program) return undefined;
        const offset = analysis.lines.offsetAt({ line: position.line, character: position.character });
        for (const model of analysis.program.models) {
          if (model.nameSpan.start <= offset && offset <= model.nameSpan.end) {
            const markdown = renderHover({ heading: `${model.name} (${model.framework} model)`, facts: modelFacts(model) });
            return new vscode.Hover(new vscode.MarkdownString(markdown), toRange(analysis, model.nameSpan));
          }
          for (const layer of model.layers) {
            if (layer.calleeSpan.start <= offset && offset <= layer.calleeSpan.end) {
              const findings = analysis.findings
                .filter((finding) => finding.span.start <= layer.span.end && layer.span.start <= finding.span.end)
                .map((finding) => ({ code: finding.code, message: finding.message, ...(finding.fix ? { fixTitle: finding.fix.title } : {}) }));
              const note = notesStore().lookup(layer.ctor);
              const markdown = renderHover({ ...(note ? { note } : { heading: layer.ctor }), facts: layerFacts(layer), findings });
              return new vscode.Hover(new vscode.MarkdownString(markdown), toRange(analysis, layer.calleeSpan));
            }
          }
        }
        // Other API names (optimizers, losses, init functions, backward) get their concept note.
        const wordRange = document.getWordRangeAtPosition(position, /[\w.]+/);
        if (!wordRange) return undefined;
        const note = notesStore().lookup(document.getText(wordRange));
        return note ? new vscode.Hover(new vscode.MarkdownString(renderHover({ note })), wordRange) : undefined;
      },
    }),
    vscode.commands.registerCommand('deeplint.showRuleDocs', async (code: string) => {
      const rule = findRule(code);
      const note = rule ? undefined : notesStore().lookup(code);
      const content = rule ? renderRuleMarkdown(rule) : note ? renderNoteMarkdown(note) : `No documentation for ${code}.`;
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  );

  for (const document of vscode.workspace.textDocuments) analyze(document);
  log.info('DeepLint activated');
}

export function deactivate(): void {}
