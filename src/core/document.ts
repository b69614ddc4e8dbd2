import { analyzeText, type AnalyzeOptions, type FileAnalysis, type SourceKind } from './analyze';
import type { DeepLintConfig } from './config';
import { LineIndex } from './ir/text';
import type { Span } from './ir/types';
import type { Finding } from './rules/types';
import { IncrementalPythonParser } from './parse/python';

/** One replacement in a document, in offsets of the text before it (the editor's content change). */
export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

/** Maps a span through one change; a span that the change touches has no image and is dropped. */
export function mapSpan(span: Span, change: TextChange): Span | undefined {
  if (span.end <= change.start) return span;
  const delta = change.newText.length - (change.end - change.start);
  if (span.start >= change.end) return { start: span.start + delta, end: span.end + delta };
  return undefined;
}

function mapFinding(finding: Finding, change: TextChange): Finding | undefined {
  const span = mapSpan(finding.span, change);
  if (!span) return undefined;
  let fix = finding.fix;
  if (fix) {
    const edits = fix.edits.map((edit) => {
      const mapped = mapSpan(edit.span, change);
      return mapped ? { ...edit, span: mapped } : undefined;
    });
    // A fix whose edits the change touched would now edit the wrong text.
    fix = edits.every((edit) => edit !== undefined) ? { ...fix, edits: edits as NonNullable<(typeof edits)[number]>[] } : null;
  }
  return { ...finding, span, fix };
}

export interface DocumentResult {
  analysis: FileAnalysis;
  /**
   * True when the text does not parse and the findings shown are the last good ones, moved through the
   * edits since then, so they do not flicker away on every keystroke.
   */
  stale: boolean;
}

/**
 * Analyses one open document across edits. TypeScript's parser gives up on the first syntax error, so while
 * a JS/TS file is half-typed the last good findings stay, their positions mapped through each change.
 */
export class DocumentAnalyzer {
  private lastGood: FileAnalysis | undefined;
  private readonly python = new IncrementalPythonParser();

  constructor(
    private readonly kind: SourceKind,
    private readonly options: AnalyzeOptions = {},
  ) {}

  update(text: string, config: DeepLintConfig, changes: readonly TextChange[] | undefined): DocumentResult {
    // Python documents reuse their previous syntax tree across edits; notebooks are rebuilt from cells each time.
    const parsePython = this.kind === 'python' ? (source: string) => this.python.parse(source, changes) : undefined;
    const analysis = analyzeText(this.kind, text, config, { ...this.options, ...(parsePython ? { parsePython } : {}) });
    const failed = analysis.program !== null && analysis.program.syntaxErrors.length > 0 && (this.kind === 'javascript' || this.kind === 'typescript');
    if (!failed) {
      this.lastGood = analysis;
      return { analysis, stale: false };
    }
    if (!this.lastGood || changes === undefined) {
      // Without the edits that led here, old positions cannot be trusted.
      this.lastGood = undefined;
      return { analysis, stale: false };
    }
    let findings = this.lastGood.findings;
    for (const change of changes) {
      findings = findings.flatMap((finding) => mapFinding(finding, change) ?? []);
    }
    this.lastGood = { ...this.lastGood, text, lines: new LineIndex(text), findings };
    return { analysis: { ...analysis, findings }, stale: true };
  }
}
