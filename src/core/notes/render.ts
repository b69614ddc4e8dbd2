// The one renderer for concept notes and rule docs: markdown for hovers and documentation views, plain text
// (optionally with bold headings) for the terminal.
import type { Note } from './store';

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

/** Markdown made readable in a terminal: headings emphasised, emphasis markers and backticks removed. */
export function renderTerminal(markdown: string, color: boolean): string {
  const bold = (text: string) => (color ? `\u001b[1m${text}\u001b[22m` : text);
  let inFence = false;
  return (
    markdown
      .split('\n')
      .flatMap((line) => {
        if (line.startsWith('```')) {
          inFence = !inFence;
          return [];
        }
        if (inFence) return [`    ${line}`];
        const heading = /^(#+)\s+(.*)$/.exec(line);
        if (heading) return [bold(heading[1]!.length === 1 ? heading[2]!.toUpperCase() : heading[2]!)];
        if (/^\|\s*-+/.test(line)) return [];
        return [line.replace(/\*\*(.+?)\*\*/g, (_, text: string) => bold(text)).replace(/(^|\s)_(.+?)_(?=\s|$|[.,])/g, '$1$2').replace(/`([^`]+)`/g, '$1')];
      })
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}
