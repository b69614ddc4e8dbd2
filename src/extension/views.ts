// A document's view of an analysis: the findings mapped into its coordinates, with the diagnostics shown for
// them and the fix edits code actions apply. A text document views its own analysis; a notebook cell views
// its part of the notebook's joined analysis.
import * as vscode from 'vscode';
import type { FileAnalysis } from '../core/analyze';
import { ruleDocsUrl } from '../core/docs';
import type { CellRange } from '../core/notebook';
import type { Span } from '../core/ir/types';
import type { Finding } from '../core/rules/types';
import { spanInCell } from './notebook-cells';

export interface MappedEdit {
  range: vscode.Range;
  newText: string;
}

export interface MappedFinding {
  finding: Finding;
  range: vscode.Range;
  diagnostic: vscode.Diagnostic;
  /** The fix's edits in this document; null without a fix or when the fix reaches outside this document. */
  edits: MappedEdit[] | null;
}

export interface DocumentView {
  uri: vscode.Uri;
  /** The document version the analysis was made from: code actions and hovers use a view only while it is current. */
  version: number;
  analysis: FileAnalysis;
  /** The comment marker of the document's language, for suppression comments. */
  marker: '#' | '//';
  findings: MappedFinding[];
  /** The offset in `analysis.text` of a position in this document. */
  offsetAt(position: vscode.Position): number;
  /** This document's range for a span of `analysis.text`; undefined when the span lies elsewhere (another cell). */
  rangeOf(span: Span): vscode.Range | undefined;
}

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

// A large file can carry thousands of findings: parse each rule's docs link once, not once per diagnostic.
const docsTargets = new Map<string, vscode.Uri>();

function docsTarget(code: string): vscode.Uri {
  let target = docsTargets.get(code);
  if (!target) {
    target = vscode.Uri.parse(ruleDocsUrl(code));
    docsTargets.set(code, target);
  }
  return target;
}

export function toDiagnostic(finding: Finding, range: vscode.Range): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
  diagnostic.source = 'deeplint';
  diagnostic.code = { value: finding.code, target: docsTarget(finding.code) };
  if (finding.tags?.includes('unnecessary')) diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  return diagnostic;
}

function mapFindings(analysis: FileAnalysis, rangeOf: (span: Span) => vscode.Range | undefined): MappedFinding[] {
  const mapped: MappedFinding[] = [];
  for (const finding of analysis.findings) {
    const range = rangeOf(finding.span);
    if (!range) continue;
    let edits: MappedEdit[] | null = null;
    if (finding.fix) {
      const candidate = finding.fix.edits.map((edit) => {
        const editRange = rangeOf(edit.span);
        return editRange ? { range: editRange, newText: edit.newText } : undefined;
      });
      // A fix that would also edit another cell cannot be applied from this one.
      if (candidate.every((edit) => edit !== undefined)) edits = candidate as MappedEdit[];
    }
    mapped.push({ finding, range, diagnostic: toDiagnostic(finding, range), edits });
  }
  return mapped;
}

function toRange(analysis: FileAnalysis, span: Span, lineOffset = 0): vscode.Range {
  const start = analysis.lines.positionAt(span.start);
  const end = analysis.lines.positionAt(span.end);
  return new vscode.Range(start.line - lineOffset, start.character, end.line - lineOffset, end.character);
}

export function textDocumentView(uri: vscode.Uri, version: number, analysis: FileAnalysis): DocumentView {
  const rangeOf = (span: Span) => toRange(analysis, span);
  return {
    uri,
    version,
    analysis,
    marker: analysis.kind === 'python' || analysis.kind === 'notebook' ? '#' : '//',
    findings: mapFindings(analysis, rangeOf),
    offsetAt: (position) => analysis.lines.offsetAt({ line: position.line, character: position.character }),
    rangeOf,
  };
}

/** The view of one cell of a notebook analysed as its joined code cells. */
export function cellView(uri: vscode.Uri, version: number, analysis: FileAnalysis, cell: CellRange): DocumentView {
  // Each cell starts at the beginning of a line of the joined text, so only lines shift.
  const firstLine = analysis.lines.positionAt(cell.start).line;
  const rangeOf = (span: Span) => {
    const inside = spanInCell(cell, span);
    return inside ? toRange(analysis, span, firstLine) : undefined;
  };
  return {
    uri,
    version,
    analysis,
    marker: '#',
    findings: mapFindings(analysis, rangeOf),
    offsetAt: (position) => Math.min(cell.end, analysis.lines.offsetAt({ line: position.line + firstLine, character: position.character })),
    rangeOf,
  };
}
