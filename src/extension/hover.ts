// Hovers: the concept note's summary, facts about the call under the cursor from the IR, and findings on it.
// Other API names the notes explain (augmentation transforms, DataLoader...) get their note alone.
import * as vscode from 'vscode';
import { renderHover, type HoverFact } from '../core/notes/render';
import type { AnalysisManager } from './analysis-manager';
import type { Ctx } from './ctx';
import { hoverTargetAt } from './hover-facts';

// A dotted API name, or a quoted string such as 'relu'.
const NAME = /(['"])[\w-]+\1|[A-Za-z_][\w.]*/;

/** `batch_size=…` written in the call that starts at `from` (for DataLoader hovers). */
function batchSizeOf(document: vscode.TextDocument, from: vscode.Position): string | undefined {
  const text = document.getText(new vscode.Range(from, document.positionAt(document.offsetAt(from) + 400)));
  const call = /^[\w.]+\s*\(([^()]*)/.exec(text);
  return call ? /\bbatch_?[sS]ize\s*[=:]\s*([\w.]+)/.exec(call[1]!)?.[1] : undefined;
}

export class DeepLintHovers implements vscode.HoverProvider {
  constructor(
    private readonly ctx: Ctx,
    private readonly manager: AnalysisManager,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const view = await this.manager.viewFor(document);
    if (!view || token.isCancellationRequested) return undefined;
    const { analysis } = view;
    if (analysis.program) {
      const target = hoverTargetAt(analysis.program, analysis.text, analysis.findings, view.offsetAt(position));
      const range = target && view.rangeOf(target.span);
      if (target && range) {
        const note = target.noteKey ? this.ctx.notes.lookup(target.noteKey) : undefined;
        const heading = target.heading ?? (note ? undefined : target.noteKey);
        const markdown = renderHover({ ...(note ? { note } : {}), ...(heading ? { heading } : {}), facts: target.facts, findings: target.findings });
        return new vscode.Hover(new vscode.MarkdownString(markdown), range);
      }
    }
    return this.nameHover(document, position);
  }

  /** A note for an API name the IR does not model, written as a call, a dotted name or a string. */
  private nameHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const range = document.getWordRangeAtPosition(position, NAME);
    if (!range) return undefined;
    const name = document.getText(range);
    const after = document.lineAt(range.end.line).text.slice(range.end.character);
    const quoted = /^['"]/.test(name);
    // Plain variables (`dropout = 0.1`) are not API names: only calls, attribute paths and strings are looked up.
    if (!quoted && !name.includes('.') && !/^\s*\(/.test(after)) return undefined;
    const note = this.ctx.notes.lookup(name);
    if (!note) return undefined;
    const facts: HoverFact[] = [];
    if (/(^|\.)DataLoader$/.test(name)) {
      const batch = batchSizeOf(document, range.start);
      if (batch) facts.push({ label: 'batch size', value: batch });
    }
    return new vscode.Hover(new vscode.MarkdownString(renderHover({ note, facts })), range);
  }
}
