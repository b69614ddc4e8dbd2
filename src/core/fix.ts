import type { Finding, TextEdit } from './rules/types';

export interface AppliedFixes {
  text: string;
  /** Findings whose fixes were applied. */
  applied: Finding[];
  /** Findings whose fixes overlapped an earlier fix and were left for another pass. */
  skipped: Finding[];
}

/** Applies one set of edits whose spans must not overlap, in one pass over the text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Joining the pieces once keeps fix-all linear in the text size, where splicing per edit was quadratic.
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const pieces: string[] = [];
  let copied = 0;
  for (const edit of sorted) {
    pieces.push(text.slice(copied, edit.span.start), edit.newText);
    copied = edit.span.end;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at the same point conflict too: their order would be arbitrary.
  return a.span.start < b.span.end && b.span.start < a.span.end || a.span.start === b.span.start;
}

/**
 * Applies the fixes of the given findings, skipping any fix that overlaps one already taken,
 * the way ESLint does; callers re-analyse and repeat to converge.
 */
export function applyFixes(text: string, findings: readonly Finding[], includeUnsafe = false): AppliedFixes {
  const taken: TextEdit[] = [];
  const applied: Finding[] = [];
  const skipped: Finding[] = [];
  const candidates = findings
    .filter((finding) => finding.fix && (includeUnsafe || finding.fix.safe))
    .sort((a, b) => a.span.start - b.span.start);
  for (const finding of candidates) {
    const edits = finding.fix!.edits;
    if (edits.some((edit) => taken.some((other) => overlaps(edit, other)))) {
      skipped.push(finding);
      continue;
    }
    taken.push(...edits);
    applied.push(finding);
  }
  return { text: applyEdits(text, taken), applied, skipped };
}
