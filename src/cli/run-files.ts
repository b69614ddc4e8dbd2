import * as fs from 'node:fs';
import { analyzeText, sourceKindOf, type FileAnalysis } from '../core/analyze';
import { ConfigResolver, type DeepLintConfig } from '../core/config';
import { cellAt } from '../core/notebook';
import { decodeSource } from '../core/source';
import type { Span } from '../core/ir/types';
import { collectFiles } from './files';

/** A 1-based place in a file; `cell` is set for notebooks, and lines then count within the cell. */
export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  cell?: number;
}

export interface FileError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export interface AnalyzedFile {
  path: string;
  analysis: FileAnalysis;
  config: DeepLintConfig;
  /** Converts a span of the analysed text to a 1-based location in the file. */
  locate(span: Span): Location;
}

export interface RunOutcome {
  files: AnalyzedFile[];
  errors: FileError[];
}

export function locator(analysis: FileAnalysis): (span: Span) => Location {
  return (span) => {
    const start = analysis.lines.positionAt(span.start);
    const end = analysis.lines.positionAt(span.end);
    const cell = analysis.cells ? cellAt(analysis.cells, span.start) : undefined;
    if (!cell) {
      return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
    }
    const firstLine = analysis.lines.positionAt(cell.start).line;
    return {
      cell: cell.index + 1,
      line: start.line - firstLine + 1,
      column: start.character + 1,
      endLine: end.line - firstLine + 1,
      endColumn: end.character + 1,
    };
  };
}

/** Reads and analyses every file under the targets; unreadable files become errors, never exceptions. */
export function analyzeTargets(targets: string[], resolver: ConfigResolver): RunOutcome {
  const { files, problems } = collectFiles(targets);
  const errors: FileError[] = problems.map((problem) => ({ path: problem.path, message: problem.message }));
  const analyzed: AnalyzedFile[] = [];
  for (const file of files) {
    const kind = sourceKindOf(file);
    if (!kind) {
      errors.push({ path: file, message: 'not a Python, notebook, JavaScript or TypeScript file; skipped' });
      continue;
    }
    const loaded = resolver.resolve(file);
    for (const problem of resolver.takeProblems(loaded)) errors.push({ path: loaded.source ?? file, message: problem });
    let bytes: Buffer;
    try {
      const size = fs.statSync(file).size;
      if (size > loaded.config.maxFileBytes) {
        errors.push({
          path: file,
          message: `file is ${(size / 1024 / 1024).toFixed(1)} MB, above the ${(loaded.config.maxFileBytes / 1024 / 1024).toFixed(1)} MB limit (max-file-bytes); skipped`,
        });
        continue;
      }
      bytes = fs.readFileSync(file);
    } catch (error) {
      errors.push({ path: file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      continue;
    }
    const decoded = decodeSource(bytes);
    if (decoded.refusal) {
      errors.push({ path: file, message: decoded.refusal });
      continue;
    }
    for (const warning of decoded.warnings) errors.push({ path: file, message: warning });
    const analysis = analyzeText(kind, decoded.text, loaded.config, { fileName: file });
    const locate = locator(analysis);
    for (const error of analysis.errors) {
      const place = error.offset === undefined ? undefined : locate({ start: error.offset, end: error.offset });
      errors.push({ path: file, message: error.message, ...(place ? { line: place.line, column: place.column } : {}) });
    }
    analyzed.push({ path: file, analysis, config: loaded.config, locate });
  }
  return { files: analyzed, errors };
}
