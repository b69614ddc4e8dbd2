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

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}

/** Splits `[a, 'b, c', "d"]` (or a bare `a, b`) at commas outside quotes. */
function parseInlineList(value: string): string[] {
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of inner) {
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
    } else if (char === '"' || char === "'") {
      // A quote opens a quoted item only at its start, so `nn.ReLU'` style typos stay literal.
      if (current.trim() === '') quote = char;
      current += char;
    } else if (char === ',') {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current);
  return items.map((item) => unquote(item.trim())).filter(Boolean);
}

/**
 * Reads the front matter: `key: value` scalars, `key: [a, b]` lists, and `key:` followed by `- item` lines.
 * Throws NoteError naming the file and the offending line.
 */
function parseFrontMatter(lines: string[], file: string): Map<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  let openList: string[] | undefined;
  for (const line of lines) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item) {
      if (!openList) throw new NoteError(`${file}: list item outside a list: ${line}`);
      openList.push(unquote(item[1]!.trim()));
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) throw new NoteError(`${file}: front matter line is not \`key: value\`: ${line}`);
    const key = pair[1]!;
    const value = pair[2]!;
    if (fields.has(key)) throw new NoteError(`${file}: \`${key}\` appears twice in the front matter`);
    if (value === '') {
      openList = [];
      fields.set(key, openList);
    } else {
      openList = undefined;
      fields.set(key, value.startsWith('[') ? parseInlineList(value) : unquote(value));
    }
  }
  return fields;
}

/** Parses one note file's text; throws NoteError naming the problem. */
export function parseNote(text: string, file: string): Note {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)([\s\S]*)$/.exec(text.replace(/^\uFEFF/, ''));
  if (!match) throw new NoteError(`${file}: missing front matter between --- lines`);
  const fields = parseFrontMatter(match[1]!.split(/\r?\n/), file);
  const scalar = (key: string) => {
    const value = fields.get(key);
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
      throw new NoteError(`${file}: front matter needs \`${key}\``);
    }
    if (Array.isArray(value)) throw new NoteError(`${file}: \`${key}\` must be a single value, not a list`);
    return value;
  };
  const list = (key: string) => {
    const value = fields.get(key) ?? [];
    return Array.isArray(value) ? value : parseInlineList(value);
  };
  const seed = list('seed').map((item) => {
    const section = Number(item);
    if (!Number.isInteger(section) || section < 1) throw new NoteError(`${file}: seed section '${item}' is not a section number`);
    return section;
  });
  return {
    id: scalar('id'),
    title: scalar('title'),
    summary: scalar('summary'),
    aliases: list('aliases'),
    related: list('related'),
    seed,
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

  /**
   * Notes whose id or an alias is spelled close to the query (a typo such as `dropuot` or `kaimng_normal`) or
   * shares one of its words, nearest first; used to suggest topics when nothing matches.
   */
  suggest(query: string, limit = 5): Note[] {
    const key = normalizeName(query);
    const words = query.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length >= 3);
    const best = new Map<Note, number>();
    for (const note of this.all()) {
      for (const name of [note.id, ...note.aliases]) {
        const candidate = normalizeName(name);
        // Allow about one edit per four letters, so short names need a near-exact spelling.
        const allowed = Math.max(1, Math.floor(Math.min(key.length, candidate.length) / 4));
        let distance = editDistance(key, candidate);
        if (distance > allowed) distance = words.some((word) => note.id.split('-').includes(word)) ? allowed + 1 : Infinity;
        if (distance < (best.get(note) ?? Infinity)) best.set(note, distance);
      }
    }
    return [...best.entries()]
      .filter(([, distance]) => Number.isFinite(distance))
      .sort(([a, da], [b, db]) => da - db || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map(([note]) => note);
  }
}

/** Edit distance where an insertion, deletion, substitution or swap of two neighbouring letters each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const above = rows[i - 1]!;
      let cost = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cost = Math.min(cost, rows[i - 2]![j - 2]! + 1);
      row.push(cost);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
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
