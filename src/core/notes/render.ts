// The one renderer for concept notes and rule docs: markdown for hovers and documentation views, plain text
// (optionally with bold headings) for the terminal.
import type { Note } from './store';

// Rule documentation is built from each rule's data by the rules module; it is re-exported here so the hover, the
// documentation view and the CLI all render through this one module.
export { renderRuleMarkdown } from '../rules/docs-markdown';

export interface HoverFact {
  label: string;
  value: string;
}

export interface HoverFinding {
  code: string;
  message: string;
  fixTitle?: string;
}

/** A hover: the note's title and summary, then facts about this very call, then findings on it. */
export function renderHover(parts: { note?: Note; heading?: string; facts?: HoverFact[]; findings?: HoverFinding[] }): string {
  const out: string[] = [];
  if (parts.heading) out.push(`**${parts.heading}**`, '');
  if (parts.note) out.push(`**${parts.note.title}** — ${parts.note.summary}`, '');
  if (parts.facts && parts.facts.length > 0) {
    out.push('| | |', '| --- | --- |');
    for (const fact of parts.facts) out.push(`| ${fact.label} | ${fact.value.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  for (const finding of parts.findings ?? []) {
    out.push(`**${finding.code}** ${finding.message}${finding.fixTitle ? ` _Quick fix: ${finding.fixTitle}._` : ''}`, '');
  }
  return out.join('\n').trim() + '\n';
}

/** A whole note as markdown, for the documentation view and `deeplint explain`. */
export function renderNoteMarkdown(note: Note): string {
  const out = [`# ${note.title}`, '', `_${note.summary}_`, '', note.body];
  if (note.aliases.length > 0) out.push('', `Explains: ${note.aliases.map((alias) => `\`${alias}\``).join(', ')}`);
  if (note.related.length > 0) out.push('', `See also: ${note.related.join(', ')}`);
  return out.join('\n') + '\n';
}

/** Inline markdown made plain: bold kept (as ANSI when colour is on), emphasis, code ticks and link syntax removed. */
function renderInline(text: string, bold: (text: string) => string): string {
  return text
    .replace(/\*\*(.+?)\*\*/g, (_, inner: string) => bold(inner))
    .replace(/(^|[\s(])_(.+?)_(?=[\s.,;:)]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\\\|/g, '|');
}

/** Visible width of a terminal string: ANSI escapes take no columns. */
function visibleWidth(text: string): number {
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** A markdown table as aligned columns; the separator row becomes a rule under the header. */
function renderTable(rows: string[], bold: (text: string) => string): string[] {
  const cells = rows
    .filter((row) => !/^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(row))
    .map((row) =>
      row
        .trim()
        .replace(/^\|/, '')
        .replace(/(?<!\\)\|$/, '')
        .split(/(?<!\\)\|/)
        .map((cell) => renderInline(cell.trim(), bold)),
    );
  const columns = Math.max(...cells.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...cells.map((row) => visibleWidth(row[column] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell + ' '.repeat(widths[column]! - visibleWidth(cell)))
      .join('  ')
      .trimEnd();
  const [header, ...body] = cells;
  if (!header) return [];
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)];
}

/** Markdown made readable in a terminal: headings emphasised, tables aligned, markup characters removed. */
export function renderTerminal(markdown: string, color: boolean): string {
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);
  const out: string[] = [];
  const lines = markdown.split('\n');
  let inFence = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(`    ${line}`);
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const table: string[] = [];
      while (index < lines.length && lines[index]!.trimStart().startsWith('|')) table.push(lines[index++]!);
      index--;
      out.push(...renderTable(table, bold));
      continue;
    }
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading) {
      const text = renderInline(heading[2]!, (inner) => inner);
      out.push(bold(heading[1]!.length === 1 ? text.toUpperCase() : text));
      continue;
    }
    out.push(renderInline(line, bold));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
