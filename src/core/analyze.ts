import * as path from 'node:path';
import type { DeepLintConfig } from './config';
import { LineIndex } from './ir/text';
import type { Program } from './ir/types';
import { notebookToProgram, type CellRange } from './notebook';
import { parsePython } from './parse/python';
import { parseJavaScript } from './parse/tfjs';
import { runRules } from './rules/runner';
import type { Finding } from './rules/types';

export type SourceKind = 'python' | 'notebook' | 'javascript' | 'typescript';

export interface AnalysisError {
  message: string;
  /** Where the problem is, when it has a place (syntax errors). */
  offset?: number;
}

export interface FileAnalysis {
  kind: SourceKind;
  /** The analysed text; for notebooks the code cells joined, see `cells`. */
  text: string;
  lines: LineIndex;
  program: Program | null;
  findings: Finding[];
  errors: AnalysisError[];
  cells?: CellRange[];
}

const EXTENSIONS: Record<string, SourceKind> = {
  '.py': 'python',
  '.pyi': 'python',
  '.ipynb': 'notebook',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
};

export function sourceKindOf(file: string): SourceKind | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

export function isAnalyzable(file: string): boolean {
  return sourceKindOf(file) !== undefined;
}

export interface AnalyzeOptions {
  /** The file name, when known: `.tsx` files are parsed with JSX. */
  fileName?: string;
  /** Parses Python with reuse of an earlier tree (the editor passes its incremental parser). */
  parsePython?: (text: string) => Program;
}

function parse(kind: SourceKind, text: string, options: AnalyzeOptions): Program {
  switch (kind) {
    case 'python':
    case 'notebook':
      return (options.parsePython ?? parsePython)(text);
    case 'javascript':
      // Plain JS may hold JSX; only TypeScript needs to tell `<T>x` casts from JSX by extension.
      return parseJavaScript(text, { language: 'javascript', jsx: true });
    case 'typescript':
      return parseJavaScript(text, { language: 'typescript', jsx: /\.tsx$/i.test(options.fileName ?? '') });
  }
}

/** Analyses one document's text: parse, build the IR, run the enabled rules, apply suppressions. */
export function analyzeText(kind: SourceKind, source: string, config: DeepLintConfig, options: AnalyzeOptions = {}): FileAnalysis {
  let text = source;
  let cells: CellRange[] | undefined;
  const errors: AnalysisError[] = [];
  if (kind === 'notebook') {
    try {
      const notebook = notebookToProgram(source);
      text = notebook.text;
      cells = notebook.cells;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind, text: '', lines: new LineIndex(''), program: null, findings: [], errors: [{ message }] };
    }
  }
  const lines = new LineIndex(text);
  let program: Program;
  try {
    program = parse(kind, text, options);
  } catch (error) {
    errors.push({ message: `internal error while parsing: ${error instanceof Error ? error.message : String(error)}` });
    return { kind, text, lines, program: null, findings: [], errors, ...(cells ? { cells } : {}) };
  }
  if ((kind === 'javascript' || kind === 'typescript') && program.syntaxErrors.length > 0) {
    // typescript-estree stops at the first error, so nothing after it was read: say so instead of staying silent.
    const [first] = program.syntaxErrors;
    errors.push({ message: `cannot parse: ${first!.message}`, offset: first!.span.start });
  }
  const result = runRules(program, text, config);
  for (const message of result.errors) errors.push({ message: `internal error: ${message}` });
  return { kind, text, lines, program, findings: result.findings, errors, ...(cells ? { cells } : {}) };
}
