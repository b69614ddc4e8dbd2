import { LineIndex } from '../ir/text';
import type { Span } from '../ir/types';

/** One `deeplint: ignore[...]` comment. `codes` empty means every code. */
export interface Suppression {
  scope: 'line' | 'file';
  codes: string[];
  /** The 0-based line the suppression applies to (line scope). */
  line: number;
  /** The span of the whole directive, from `deeplint:` to `]`. */
  span: Span;
  /** Spans of each code inside the brackets, to remove one code at a time. */
  codeSpans: Span[];
  /** The comment marker through the end of the directive, to remove it whole. */
  commentSpan: Span;
  /** Whether the comment is alone on its line (then it applies to the next code line). */
  ownLine: boolean;
}

const DIRECTIVE = /(#|\/\/)\s*deeplint:\s*(ignore-file|ignore)\b(?:\[([^\]\n]*)\])?/g;

/** Finds suppression comments. Python uses `#`, JS/TS `//`; the other marker is ignored. */
export function findSuppressions(text: string, commentMarker: '#' | '//'): Suppression[] {
  const lines = new LineIndex(text);
  const found: Suppression[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    if (match[1] !== commentMarker) continue;
    const start = match.index;
    const position = lines.positionAt(start);
    const before = lines.lineText(position.line).slice(0, position.character);
    const ownLine = before.trim() === '';
    const codes: string[] = [];
    const codeSpans: Span[] = [];
    if (match[3] !== undefined) {
      const listStart = start + match[0].indexOf('[') + 1;
      for (const part of match[3].matchAll(/[A-Za-z0-9-]+/g)) {
        codes.push(part[0].toUpperCase());
        codeSpans.push({ start: listStart + part.index, end: listStart + part.index + part[0].length });
      }
    }
    let line = position.line;
    if (ownLine) {
      // A directive alone on its line covers the next line that holds code.
      line = position.line + 1;
      while (line < lines.lineCount && /^\s*(#|\/\/|$)/.test(lines.lineText(line))) line++;
    }
    const directiveStart = start + match[0].indexOf('deeplint:');
    // Removing a trailing comment also removes the spaces before it.
    const commentStart = ownLine ? lines.lineStart(position.line) : start - (before.length - before.trimEnd().length);
    let commentEnd = start + match[0].length;
    if (ownLine && lines.lineText(position.line).slice(commentEnd - lines.lineStart(position.line)).trim() === '') {
      // A directive alone on its line is removed with its line break.
      commentEnd = position.line + 1 < lines.lineCount ? lines.lineStart(position.line + 1) : text.length;
    }
    found.push({
      scope: match[2] === 'ignore-file' ? 'file' : 'line',
      codes,
      line,
      span: { start: directiveStart, end: start + match[0].length },
      codeSpans,
      commentSpan: { start: commentStart, end: commentEnd },
      ownLine,
    });
  }
  return found;
}

export function suppressionMatches(suppression: Suppression, code: string, name: string): boolean {
  if (suppression.codes.length === 0) return true;
  return suppression.codes.some((entry) => entry === code || entry === name.toUpperCase());
}
