// Quick fixes read from the stored analysis (never a re-lint): each finding's fix, "Disable DLxxx for this
// line", "Show documentation for DLxxx", and fix-all for the safe fixes (also as source.fixAll.deeplint, so
// editor.codeActionsOnSave can run it).
import * as vscode from 'vscode';
import { applyFixes } from '../core/fix';
import type { AnalysisManager } from './analysis-manager';
import { CommandId } from './commands/ids';
import { suppressionEdit } from './suppression-comment';
import type { DocumentView, MappedFinding } from './views';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('deeplint');
export const FIX_ALL_TITLE = 'Fix all safe DeepLint problems';

interface FixAll {
  edit: vscode.WorkspaceEdit;
  count: number;
}

// Code actions are asked for on every cursor move; a view never changes, so its fix-all is computed once.
const fixAllByView = new WeakMap<DocumentView, FixAll | null>();

/** The safe fixes of a view that can be applied together (the CLI's `--fix` choice), as one edit. */
export function fixAllEdit(view: DocumentView): FixAll | undefined {
  let cached = fixAllByView.get(view);
  if (cached === undefined) {
    cached = computeFixAll(view) ?? null;
    fixAllByView.set(view, cached);
  }
  return cached ?? undefined;
}

function computeFixAll(view: DocumentView): FixAll | undefined {
  const fixable = view.findings.filter((mapped) => mapped.edits !== null && mapped.finding.fix?.safe);
  if (fixable.length === 0) return undefined;
  const { applied } = applyFixes(view.analysis.text, fixable.map((mapped) => mapped.finding));
  const chosen = new Set(applied);
  const edit = new vscode.WorkspaceEdit();
  let count = 0;
  for (const mapped of fixable) {
    if (!chosen.has(mapped.finding)) continue;
    for (const change of mapped.edits!) edit.replace(view.uri, change.range, change.newText);
    count++;
  }
  return count > 0 ? { edit, count } : undefined;
}

function fixAction(mapped: MappedFinding, uri: vscode.Uri): vscode.CodeAction {
  const fix = mapped.finding.fix!;
  const action = new vscode.CodeAction(`${fix.title} (${mapped.finding.code})`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  for (const change of mapped.edits!) action.edit.replace(uri, change.range, change.newText);
  action.diagnostics = [mapped.diagnostic];
  // Only safe fixes may be applied by a single keystroke (Ctrl+. then Enter, or "auto fix").
  action.isPreferred = fix.safe;
  return action;
}

function disableAction(document: vscode.TextDocument, view: DocumentView, mapped: MappedFinding): vscode.CodeAction | undefined {
  const line = document.lineAt(mapped.range.start.line);
  const change = suppressionEdit(line.text, mapped.finding.code, view.marker);
  if (!change) return undefined;
  const action = new vscode.CodeAction(`Disable ${mapped.finding.code} for this line`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(document.uri, new vscode.Range(line.lineNumber, change.start, line.lineNumber, change.end), change.text);
  action.diagnostics = [mapped.diagnostic];
  return action;
}

function docsAction(code: string): vscode.CodeAction {
  const action = new vscode.CodeAction(`Show documentation for ${code}`, vscode.CodeActionKind.QuickFix);
  action.command = { command: CommandId.ShowRuleDocs, title: `Show documentation for ${code}`, arguments: [code] };
  return action;
}

export class DeepLintCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly manager: AnalysisManager) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const view = await this.manager.viewFor(document);
    if (!view || token.isCancellationRequested) return [];
    const only = context.only;
    if (only && !only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(only)) {
      // Asked for source actions (on save, or "Fix all" from the source action menu).
      if (!only.contains(FIX_ALL_KIND) && !FIX_ALL_KIND.contains(only)) return [];
      const all = fixAllEdit(view);
      if (!all) return [];
      const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
      action.edit = all.edit;
      return [action];
    }
    const fixes: vscode.CodeAction[] = [];
    const others: vscode.CodeAction[] = [];
    const offered = new Set<string>();
    for (const mapped of view.findings) {
      if (!mapped.range.intersection(range)) continue;
      if (mapped.edits) fixes.push(fixAction(mapped, document.uri));
      const code = mapped.finding.code;
      const lineKey = `disable ${code} ${mapped.range.start.line}`;
      if (!offered.has(lineKey)) {
        offered.add(lineKey);
        const disable = disableAction(document, view, mapped);
        if (disable) others.push(disable);
      }
      if (!offered.has(`docs ${code}`)) {
        offered.add(`docs ${code}`);
        others.push(docsAction(code));
      }
    }
    if (fixes.length + others.length === 0) return [];
    const all = fixAllEdit(view);
    if (all) others.push(new FixAllQuickFix(`${FIX_ALL_TITLE} (${all.count})`, view));
    return [...fixes, ...others];
  }

  resolveCodeAction(action: vscode.CodeAction): vscode.CodeAction {
    if (action instanceof FixAllQuickFix) action.edit = fixAllEdit(action.view)?.edit;
    return action;
  }
}

/**
 * Fix-all in the quick-fix list. Its edit spans the whole file and the list is asked for on every cursor move, so
 * the edit is attached only when the user picks it (resolveCodeAction).
 */
class FixAllQuickFix extends vscode.CodeAction {
  constructor(
    title: string,
    readonly view: DocumentView,
  ) {
    super(title, vscode.CodeActionKind.QuickFix);
  }
}
