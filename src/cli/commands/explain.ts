import { parseArgs } from 'node:util';
import { defaultNotesDir, loadNotes } from '../../core/notes/store';
import { renderNoteMarkdown, renderTerminal } from '../../core/notes/render';
import { UsageError, type Io } from '../errors';

export const EXPLAIN_HELP = `Usage: deeplint explain TOPIC [--format text|markdown]
       deeplint explain --list

Explains a deep-learning concept or API name (dropout, kaiming_normal_, nn.BatchNorm2d, 'relu', vanishing gradients).
`;

export function runExplain(argv: string[], io: Io, color = false): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { list: { type: 'boolean' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(EXPLAIN_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'markdown') throw new UsageError(`unknown format '${format}'; use text or markdown`);
  const { store, problems } = loadNotes(defaultNotesDir());
  for (const problem of problems) io.stderr(`deeplint: ${problem}\n`);
  if (values.list) {
    io.stdout(store.all().map((note) => `${note.id.padEnd(30)} ${note.summary}`).join('\n') + '\n');
    return 0;
  }
  const topic = positionals.join(' ');
  if (!topic) throw new UsageError('name a topic (e.g. deeplint explain dropout) or pass --list');
  const note = store.lookup(topic) ?? store.search(topic)[0];
  if (!note) {
    const suggestions = store.suggest(topic);
    const hint = suggestions.length > 0 ? `; did you mean: ${suggestions.map((s) => s.id).join(', ')}?` : '';
    throw new UsageError(`no note about '${topic}'${hint} (deeplint explain --list shows every topic)`);
  }
  const markdown = renderNoteMarkdown(note);
  io.stdout(format === 'markdown' ? markdown : renderTerminal(markdown, color));
  return 0;
}
