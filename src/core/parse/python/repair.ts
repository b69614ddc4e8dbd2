// An unclosed bracket makes Python join every following line into one expression, so a half-typed
// `self.fc = nn.Linear(` would swallow the rest of the file. Before parsing, the line that opened a bracket
// still open when a new top-level `class`/`def`/decorator starts is blanked, which keeps every offset. Statements
// nesting brackets, or lines chaining operators, beyond what the parser's recursion can hold are blanked too.

import { countBelow } from '../../ir/sorted';
import { isNameChar } from './syntax';

export interface Repair {
  text: string;
  /** The blanked ranges, reported as syntax errors. */
  blanked: { start: number; end: number; reason: string }[];
}

// Brackets nested deeper than this are blanked: the parser's tree building recurses per level.
const MAX_DEPTH = 500;
// Operator chains (`a.b.c`, `f()()`, `1 + 1 + 1`) nest the tree as brackets do. Lines longer than this are
// checked for them; normal code never comes close, so normal files cost one indexOf per line.
const LONG_LINE = 4000;
// A line with more chained operators than this is blanked. The tree builder's stack grows with the chain, and
// past a few thousand links it overflows on some runs and not on others, which would make results unrepeatable.
const MAX_CHAIN = 1500;

const TOP_LEVEL_START = /^(class\s|def\s|async\s+def\s|@)/;

/**
 * Characters that change the scanner's state outside strings, inside brackets and outside them (where line ends
 * and closing brackets change nothing); the text between them is skipped in one step.
 */
const IN_BRACKETS = /[\n#'"()[\]{}]/g;
const OUTSIDE_BRACKETS = /[#'"([{]/g;
/** Where a string opened by each quote can end: its quote, an escape, or (single quotes) the line end. */
const STRING_END: Record<string, RegExp> = { "'": /['\\\n]/g, '"': /["\\\n]/g, "'''": /\\|'''/g, '"""': /\\|"""/g };

type Blanked = Repair['blanked'][number];

/** What one scan of the brackets found: its blanked ranges, and where it could start again. */
interface BracketScan {
  /** The ranges, in the order found, each with the position of the scan when it found it. */
  found: { at: number; range: Blanked }[];
  /** Every position the scan stood at outside all brackets, in order: from any of them it can resume alone. */
  resumable: number[] | undefined;
}

/** A scan that noted where it could resume. */
type ResumableScan = BracketScan & { resumable: number[] };

/**
 * Scans for unclosed and too-deep brackets from `from`, a position outside all brackets. `resync`, when given, is
 * asked at each position outside all brackets; when it says so the scan stops there and returns that position.
 */
function scanBrackets(text: string, from: number, scan: BracketScan, resync?: (index: number) => boolean): number | undefined {
  let depth = 0;
  let deepest = 0;
  let openedAt = -1;
  let index = from;
  for (;;) {
    if (depth === 0) {
      if (resync?.(index)) return index;
      scan.resumable?.push(index);
    }
    const special = depth > 0 ? IN_BRACKETS : OUTSIDE_BRACKETS;
    special.lastIndex = index;
    // test() finds the next character without making a match array, as exec() would for each one.
    if (!special.test(text)) break;
    const at = index;
    index = special.lastIndex - 1;
    const char = text[index]!;
    if (char === '\n') {
      const lineStart = index + 1;
      if (depth > 0 && TOP_LEVEL_START.test(text.slice(lineStart, lineStart + 10))) {
        const start = text.lastIndexOf('\n', openedAt) + 1;
        scan.found.push({ at, range: { start, end: lineStart, reason: 'unclosed bracket; the rest of this statement was skipped' } });
        depth = 0;
      }
      index = lineStart;
    } else if (char === '#') {
      const end = text.indexOf('\n', index);
      index = end < 0 ? text.length : end;
    } else if (char === '"' || char === "'") {
      const quote = text.startsWith(char.repeat(3), index) ? char.repeat(3) : char;
      index = stringEnd(text, index + quote.length, quote);
    } else if (char === '(' || char === '[' || char === '{') {
      if (depth === 0) {
        openedAt = index;
        deepest = 0;
      }
      depth++;
      deepest = Math.max(deepest, depth);
      index++;
    } else {
      if (depth > 0) {
        depth--;
        if (depth === 0 && deepest > MAX_DEPTH) {
          const start = text.lastIndexOf('\n', openedAt) + 1;
          const lineEnd = text.indexOf('\n', index);
          scan.found.push({ at, range: { start, end: lineEnd < 0 ? text.length : lineEnd, reason: `brackets nested ${deepest} deep; this statement was skipped` } });
        }
      }
      index++;
    }
  }
  if (depth > 0 && deepest > MAX_DEPTH) {
    scan.found.push({ at: text.length, range: { start: text.lastIndexOf('\n', openedAt) + 1, end: text.length, reason: 'brackets nested too deeply; the rest of the file was skipped' } });
  }
  return undefined;
}

/** The repair from the operator chains and a bracket scan of the text they leave. */
function repairOf(source: string, chains: readonly Blanked[], text: string, scan: BracketScan): Repair {
  if (chains.length === 0 && scan.found.length === 0) return { text, blanked: [] };
  const blanked = [...chains, ...scan.found.map((entry) => entry.range)].sort((a, b) => a.start - b.start);
  return { text: blank(source, blanked), blanked };
}

/**
 * Blanks lines with operator chains too long to parse safely, then unclosed bracketed lines before top-level
 * definitions; returns the text unchanged when there are none.
 */
export function repairUnclosedBrackets(source: string): Repair {
  const chains = longOperatorChains(source);
  const text = chains.length === 0 ? source : blank(source, chains);
  // A one-shot repair never resumes, so it does not note where it could.
  const scan: BracketScan = { found: [], resumable: undefined };
  scanBrackets(text, 0, scan);
  return repairOf(source, chains, text, scan);
}

/**
 * Some of the scan's steps read a few characters past the position they leave it at (a line's first ten, a
 * triple quote): a scan resumed this far before an edit reads only text that the edit left alone.
 */
const LOOKAHEAD = 16;

/** The position of the first number at or after `offset` in ascending numbers. */
function firstFrom(numbers: readonly number[], offset: number): number {
  return countBelow(numbers.length, (index) => numbers[index]!, offset);
}

/**
 * Repairs the versions of one document, scanning again after an edit only from the last position outside all
 * brackets before it to the first one after it where the scan of the last version stood too: from there on the
 * two scans read the same text in the same state, so the rest of the last scan is moved instead of done again.
 */
export class IncrementalRepair {
  private last: { text: string; scan: ResumableScan } | undefined;

  /** Repairs `source`, which is `previous` with `change` applied when both are given. */
  repair(source: string, previous?: string, change?: { start: number; end: number; newText: string }): Repair {
    const chains = longOperatorChains(source);
    const last = this.last;
    this.last = undefined;
    if (chains.length > 0) return repairOf(source, chains, blank(source, chains), { found: [], resumable: [] });
    const scan = last && last.text === previous && change ? this.rescan(source, last, change) : undefined;
    const result: ResumableScan = scan ?? { found: [], resumable: [] };
    if (!scan) scanBrackets(source, 0, result);
    this.last = { text: source, scan: result };
    return repairOf(source, [], source, result);
  }

  private rescan(
    text: string,
    last: { text: string; scan: ResumableScan },
    change: { start: number; end: number; newText: string },
  ): ResumableScan | undefined {
    const old = last.scan;
    const delta = change.newText.length - (change.end - change.start);
    const changedUntil = change.start + change.newText.length;
    // The last resumable position far enough before the edit; position 0 always is one. A range found before it
    // must also end before the edit, as finding a too-deep statement reads on to the end of its line.
    let until = change.start - LOOKAHEAD + 1;
    for (const entry of old.found) if (entry.at < until && entry.range.end + LOOKAHEAD > change.start) until = Math.min(until, entry.at);
    const before = firstFrom(old.resumable, until) - 1;
    if (before < 0) return undefined;
    const from = old.resumable[before]!;
    const scan = { found: old.found.filter((entry) => entry.at < from), resumable: old.resumable.slice(0, before) };
    let next = firstFrom(old.resumable, changedUntil - delta);
    const resync = (index: number) => {
      // The whole line must lie after the edit: a range found later starts at the line holding its bracket.
      if (index < changedUntil + LOOKAHEAD || text.lastIndexOf('\n', index - 1) < changedUntil) return false;
      while (next < old.resumable.length && old.resumable[next]! < index - delta) next++;
      return next < old.resumable.length && old.resumable[next] === index - delta;
    };
    const stopped = scanBrackets(text, from, scan, resync);
    if (stopped !== undefined) {
      const oldStop = stopped - delta;
      for (let at = next; at < old.resumable.length; at++) scan.resumable.push(old.resumable[at]! + delta);
      for (const entry of old.found) {
        if (entry.at >= oldStop) scan.found.push({ at: entry.at + delta, range: { ...entry.range, start: entry.range.start + delta, end: entry.range.end + delta } });
      }
    }
    return scan;
  }
}

/** The text with each range's characters, line ends excepted, replaced by spaces, so every offset stays. */
function blank(text: string, ranges: readonly { start: number; end: number }[]): string {
  let repaired = '';
  let cursor = 0;
  for (const range of ranges) {
    // Ranges may overlap (an unclosed bracket inside a too-deep statement): blank each character once.
    const start = Math.max(range.start, cursor);
    if (range.end <= start) continue;
    repaired += text.slice(cursor, start) + text.slice(start, range.end).replace(/[^\n]/g, ' ');
    cursor = range.end;
  }
  return repaired + text.slice(cursor);
}

/** Chained operators outside strings and comments: attribute dots (not decimal points), calls, subscripts, binary operators. */
const CHAIN_OR_QUOTE = /[.([+\-*/%@&|^<>]|['"#]/g;

/** The long lines holding more than MAX_CHAIN chained operators, in order. */
function longOperatorChains(text: string): Repair['blanked'] {
  const found: Repair['blanked'] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    if (end - start > LONG_LINE) {
      const links = chainLinks(text, start, end);
      if (links > MAX_CHAIN) found.push({ start, end, reason: `a line of ${end - start} characters chains ${links} operators, too many to analyse; this line was skipped` });
    }
    start = end + 1;
  }
  return found;
}

function chainLinks(text: string, start: number, end: number): number {
  let links = 0;
  let index = start;
  while (index < end) {
    CHAIN_OR_QUOTE.lastIndex = index;
    const found = CHAIN_OR_QUOTE.exec(text);
    if (!found || found.index >= end) break;
    const char = found[0];
    index = found.index + 1;
    if (char === '#') break;
    if (char === '"' || char === "'") {
      const quote = text.startsWith(char.repeat(3), found.index) ? char.repeat(3) : char;
      index = stringEnd(text, found.index + quote.length, quote);
    } else if (isChainLink(text, found.index)) {
      links++;
    }
  }
  return links;
}

/**
 * Whether the operator at `index` extends a chain. A bracket does only as a call or subscript, right after a
 * name or a closing bracket (`f()()`, `a[0][0]`); a bracket opening inside another (`[[[`) nests, and the
 * bracket depth check reports that. A dot between digits is a decimal point.
 */
function isChainLink(text: string, index: number): boolean {
  const char = text[index];
  const before = text.charCodeAt(index - 1);
  if (char === '(' || char === '[') return isNameChar(before) || before === 41 || before === 93;
  if (char === '.') return !(isDigit(before) && isDigit(text.charCodeAt(index + 1)));
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Where scanning resumes after a string whose body starts at `from`: past its closing quote, at the line end
 * that ends a single-quoted string (the line end is scanned again), or at the end of an unterminated one.
 */
function stringEnd(text: string, from: number, quote: string): number {
  const end = STRING_END[quote]!;
  let index = from;
  for (;;) {
    end.lastIndex = index;
    if (!end.test(text)) return text.length;
    // Every match ends in its telling character: the escape, the line end or the quote.
    const last = text[end.lastIndex - 1];
    if (last === '\\') index = end.lastIndex + 1;
    else if (last === '\n') return end.lastIndex - 1;
    else return end.lastIndex;
  }
}
