// An unclosed bracket makes Python join every following line into one expression, so a half-typed
// `self.fc = nn.Linear(` would swallow the rest of the file. Before parsing, the line that opened a bracket
// still open when a new top-level `class`/`def`/decorator starts is blanked, which keeps every offset.

export interface Repair {
  text: string;
  /** The blanked ranges, reported as syntax errors. */
  blanked: { start: number; end: number; reason: string }[];
}

// Brackets nested deeper than this are blanked: the parser's tree building recurses per level.
const MAX_DEPTH = 500;

const TOP_LEVEL_START = /^(class\s|def\s|async\s+def\s|@)/;

/** Blanks unclosed bracketed lines before top-level definitions; returns the text unchanged when none. */
export function repairUnclosedBrackets(text: string): Repair {
  const blanked: { start: number; end: number; reason: string }[] = [];
  let depth = 0;
  let deepest = 0;
  let openedAt = -1;
  let quote: string | null = null;
  let lineStart = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (index === lineStart && depth > 0 && quote === null && TOP_LEVEL_START.test(text.slice(index, index + 10))) {
      const start = text.lastIndexOf('\n', openedAt) + 1;
      blanked.push({ start, end: index, reason: 'unclosed bracket; the rest of this statement was skipped' });
      depth = 0;
    }
    if (char === '\n') {
      lineStart = index + 1;
      // A single-quoted string cannot continue past the line end.
      if (quote !== null && quote.length === 1) quote = null;
      continue;
    }
    if (quote !== null) {
      if (char === '\\') index++;
      else if (text.startsWith(quote, index)) {
        index += quote.length - 1;
        quote = null;
      }
      continue;
    }
    if (char === '#') {
      const end = text.indexOf('\n', index);
      index = (end < 0 ? text.length : end) - 1;
    } else if (char === '"' || char === "'") {
      quote = text.startsWith(char.repeat(3), index) ? char.repeat(3) : char;
      index += quote.length - 1;
    } else if (char === '(' || char === '[' || char === '{') {
      if (depth === 0) {
        openedAt = index;
        deepest = 0;
      }
      depth++;
      deepest = Math.max(deepest, depth);
    } else if ((char === ')' || char === ']' || char === '}') && depth > 0) {
      depth--;
      if (depth === 0 && deepest > MAX_DEPTH) {
        const start = text.lastIndexOf('\n', openedAt) + 1;
        const lineEnd = text.indexOf('\n', index);
        blanked.push({ start, end: lineEnd < 0 ? text.length : lineEnd, reason: `brackets nested ${deepest} deep; this statement was skipped` });
      }
    }
  }
  if (depth > 0 && deepest > MAX_DEPTH) {
    blanked.push({ start: text.lastIndexOf('\n', openedAt) + 1, end: text.length, reason: 'brackets nested too deeply; the rest of the file was skipped' });
  }
  if (blanked.length === 0) return { text, blanked };
  blanked.sort((a, b) => a.start - b.start);
  let repaired = '';
  let cursor = 0;
  for (const range of blanked) {
    // Ranges may overlap (an unclosed bracket inside a too-deep statement): blank each character once.
    const start = Math.max(range.start, cursor);
    if (range.end <= start) continue;
    repaired += text.slice(cursor, start) + text.slice(start, range.end).replace(/[^\n]/g, ' ');
    cursor = range.end;
  }
  repaired += text.slice(cursor);
  return { text: repaired, blanked };
}
