// Concept notes: markdown files with a small front matter (id, title, summary, aliases, related, seed), loaded
// from media/notes at run time so the editor and the CLI read the same files.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Note {
  id: string;
  title: string;
  summary: string;
  /** API names the note explains, as people write them: `nn.Dropout`, `'relu'`, `kaimingNormal`. */
  aliases: string[];
  related: string[];
  /** Sections of the user's seed notes this note covers. */
  seed: number[];
  /** The markdown body after the front matter. */
  body: string;
  file: string;
}

export class NoteError extends Error {}

function parseList(value: string): string[] {
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (inner === '') return [];
  return inner.split(',').map((item) => item.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean);
}

/** Parses one note file's text; throws NoteError naming the problem. */
export function parseNote(text: string, file: string): Note {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new NoteError(`${file}: missing front matter between --- lines`);
  const fields = new Map<string, string>();
  for (const line of match[1]!.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) throw new NoteError(`${file}: front matter line without a key: ${line}`);
    fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const required = (key: string) => {
    const value = fields.get(key);
    if (!value) throw new NoteError(`${file}: front matter needs \`${key}\``);
    return value.replace(/^['"]|['"]$/g, '');
  };
  return {
    id: required('id'),
    title: required('title'),
    summary: required('summary'),
    aliases: parseList(fields.get('aliases') ?? '[]'),
    related: parseList(fields.get('related') ?? '[]'),
    seed: parseList(fields.get('seed') ?? '[]').map(Number).filter((n) => Number.isInteger(n)),
    body: match[2]!.trim(),
    file,
  };
}

/** Normalises an API name for lookup: no module prefix, quotes, trailing underscore, case or snake/camel difference. */
export function normalizeName(name: string): string {
  let key = name.trim().replace(/^['"`]|['"`]$/g, '');
  key = key.replace(/\(.*$/, '');
  const last = key.split('.').pop() ?? key;
  return last.replace(/_+$/, '').replace(/_/g, '').toLowerCase();
}

export class NotesStore {
  private readonly byId = new Map<string, Note>();
  private readonly byAlias = new Map<string, Note>();

  constructor(notes: Note[]) {
    for (const note of notes) this.byId.set(note.id, note);
    // Exact spellings first, then normalised ones; the first note to claim a key keeps it (sorted by id).
    for (const note of [...notes].sort((a, b) => a.id.localeCompare(b.id))) {
      for (const alias of note.aliases) {
        if (!this.byAlias.has(alias)) this.byAlias.set(alias, note);
      }
    }
    for (const note of [...notes].sort((a, b) => a.id.localeCompare(b.id))) {
      for (const alias of [...note.aliases, note.id]) {
        const key = normalizeName(alias);
        if (key && !this.byAlias.has(`~${key}`)) this.byAlias.set(`~${key}`, note);
      }
    }
  }

  all(): Note[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): Note | undefined {
    return this.byId.get(id);
  }

  /** The note for an API name as written in code (`torch.nn.Dropout`, `'relu'`, `kaiming_normal_`). */
  lookup(name: string): Note | undefined {
    return this.byId.get(name) ?? this.byAlias.get(name.trim()) ?? this.byAlias.get(`~${normalizeName(name)}`);
  }

  /** Notes whose id, title, aliases or summary mention every word of the query, best first. */
  search(query: string): Note[] {
    const words = query.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    if (words.length === 0) return [];
    const scored = this.all()
      .map((note) => {
        const head = `${note.id} ${note.title} ${note.aliases.join(' ')}`.toLowerCase();
        const text = `${head} ${note.summary}`.toLowerCase();
        if (!words.every((word) => text.includes(word))) return undefined;
        return { note, score: words.filter((word) => head.includes(word)).length };
      })
      .filter((entry): entry is { note: Note; score: number } => entry !== undefined);
    return scored.sort((a, b) => b.score - a.score || a.note.id.localeCompare(b.note.id)).map((entry) => entry.note);
  }
}

/** Loads every note of a folder; a malformed note is reported in `problems`, never thrown. */
export function loadNotes(dir: string): { store: NotesStore; problems: string[] } {
  const notes: Note[] = [];
  const problems: string[] = [];
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    problems.push(`cannot read notes folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  for (const name of files) {
    const file = path.join(dir, name);
    try {
      const note = parseNote(fs.readFileSync(file, 'utf8'), file);
      if (`${note.id}.md` !== name) problems.push(`${file}: id \`${note.id}\` does not match the file name`);
      notes.push(note);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { store: new NotesStore(notes), problems };
}

/** The notes folder next to a bundle in dist/ or to this source file. */
export function defaultNotesDir(): string {
  const candidates = [path.join(__dirname, '..', 'media', 'notes'), path.join(__dirname, '..', '..', '..', 'media', 'notes')];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0]!;
}
