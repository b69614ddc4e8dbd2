import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../core/analyze';
import { applyFixes } from '../core/fix';
import type { AnalyzedFile } from './run-files';

/** How often a file is re-analysed and re-fixed, as ESLint does, so fixes that overlapped get their turn. */
const MAX_PASSES = 10;

export interface FixOutcome {
  path: string;
  /** Number of findings fixed, by code. */
  fixed: Map<string, number>;
  /** Why the file was not written, when it was not. */
  refusal?: string;
}

/** Writes through a temporary file in the same folder and a rename, so a crash never leaves half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.deeplint-${process.pid}.tmp`);
  const mode = fs.statSync(file).mode;
  fs.writeFileSync(temporary, text, { mode });
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Applies fixes to one analysed file until none is left (or MAX_PASSES), and writes it only if it changed.
 * Returns the final analysis so the report shows what remains.
 */
export function fixFile(file: AnalyzedFile, includeUnsafe: boolean): { outcome: FixOutcome; analysis: AnalyzedFile['analysis'] } {
  const outcome: FixOutcome = { path: file.path, fixed: new Map() };
  let analysis = file.analysis;
  const fixable = analysis.findings.some((finding) => finding.fix && (includeUnsafe || finding.fix.safe));
  if (!fixable) return { outcome, analysis };
  if (analysis.kind === 'notebook') {
    outcome.refusal = 'fixes are not applied to notebooks from the command line; use the editor';
    return { outcome, analysis };
  }
  if (fs.lstatSync(file.path).isSymbolicLink()) {
    outcome.refusal = 'is a symbolic link; not written';
    return { outcome, analysis };
  }
  const original = analysis.text;
  let text = original;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const result = applyFixes(text, analysis.findings, includeUnsafe);
    if (result.applied.length === 0) break;
    for (const finding of result.applied) outcome.fixed.set(finding.code, (outcome.fixed.get(finding.code) ?? 0) + 1);
    text = result.text;
    analysis = analyzeText(analysis.kind, text, file.config, { fileName: file.path });
  }
  if (text !== original) writeAtomically(file.path, text);
  return { outcome, analysis };
}
