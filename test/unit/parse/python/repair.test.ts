// Lines that would nest the syntax tree too deeply for the parser's recursion are skipped before parsing, by
// rules that look only at the text, so the same file always gives the same result.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { parsePython } from '../../../../src/core/parse/python';
import * as fs from 'node:fs';
import { IncrementalRepair, repairUnclosedBrackets } from '../../../../src/core/parse/python/repair';
import { seededRandom } from '../../../fuzz/harness';

const MODEL = `import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
`;

describe('repairs for operator chains', () => {
  for (const [shape, line] of [
    ['an attribute chain', `value = a${'.b'.repeat(300_000)}`],
    ['a call chain', `value = f${'()'.repeat(300_000)}`],
    ['a sum', `value = ${'1 + '.repeat(250_000)}1`],
  ] as const) {
    it(`skips a 1 MB line holding ${shape}, says so, and still reads the model after it`, () => {
      const text = `${line}\n${MODEL}`;
      const repair = repairUnclosedBrackets(text);
      assert.equal(repair.blanked.length, 1);
      assert.deepEqual({ start: repair.blanked[0]!.start, end: repair.blanked[0]!.end }, { start: 0, end: line.length });
      assert.match(repair.blanked[0]!.reason, /^a line of \d+ characters chains \d+ operators, too many to analyse; this line was skipped$/);
      assert.equal(repair.text.length, text.length);
      const program = parsePython(text);
      assert.deepEqual(program.models.map((model) => model.name), ['Net']);
      assert.equal(program.syntaxErrors[0]?.span.start, 0);
    });
  }

  it('leaves long lines of data, strings and decimal numbers alone', () => {
    const floats = `weights = [${Array.from({ length: 5000 }, (_, i) => `0.${i}`).join(', ')}]`;
    const string = `banner = "${'a.b(c) + '.repeat(2000)}"`;
    const comment = `x = 1  # ${'a.b '.repeat(3000)}`;
    for (const line of [floats, string, comment]) {
      assert.ok(line.length > 4000);
      assert.deepEqual(repairUnclosedBrackets(`${line}\n${MODEL}`).blanked, [], line.slice(0, 40));
    }
  });

  it('analyses a file with a 1 MB call chain on a stack that a full parse of that line would overflow', function () {
    // A child process loads the analyser through tsx first: on a busy machine that alone can take seconds.
    this.timeout(20_000);
    // Parsing the chain needs about 280 KB of stack beyond the baseline here; 300 KB in all leaves far less.
    const script = `const { analyzeText } = require(${JSON.stringify(path.join(__dirname, '../../../../src/core/analyze'))});
const { defaultConfig } = require(${JSON.stringify(path.join(__dirname, '../../../../src/core/config'))});
const text = 'value = f' + '()'.repeat(500000) + '\\n' + ${JSON.stringify(MODEL)};
const result = analyzeText('python', text, defaultConfig());
process.stdout.write(JSON.stringify({ models: result.program.models.map((m) => m.name), errors: result.errors.map((e) => e.message) }));`;
    const out = execFileSync(process.execPath, ['--stack-size=300', '--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { models: ['Net'], errors: [] });
  });
});

describe('repairs across edits', () => {
  const CORPUS = path.join(__dirname, '../../../corpus/python');
  const sources = fs
    .readdirSync(CORPUS)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .slice(0, 12)
    .map((name) => fs.readFileSync(path.join(CORPUS, name), 'utf8'));
  const DEEP = `x = ${'('.repeat(520)}1${')'.repeat(520)}\n`;
  // What changes the scan: brackets, quotes, comments, line ends, new definitions and bracket nesting too deep.
  const PIECES = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', '#', '\n', '\ndef f(', '\nclass A:\n', '\n@dec\n', 'x', ' ', '\\', DEEP, '('.repeat(510)];

  for (const [index, source] of sources.entries()) {
    it(`gives what a fresh repair gives after each of many random edits (file ${index + 1})`, () => {
      const random = seededRandom(4000 + index);
      const repairs = new IncrementalRepair();
      let text = source;
      assert.deepEqual(repairs.repair(text), repairUnclosedBrackets(text));
      for (let step = 0; step < 150; step++) {
        const start = Math.floor(random() * (text.length + 1));
        const end = random() < 0.3 ? Math.min(text.length, start + Math.floor(random() * 40)) : start;
        const change = { start, end, newText: random() < 0.2 ? '' : PIECES[Math.floor(random() * PIECES.length)]! };
        const next = text.slice(0, start) + change.newText + text.slice(end);
        assert.deepEqual(repairs.repair(next, text, change), repairUnclosedBrackets(next), `after edit ${step} ${JSON.stringify(change).slice(0, 80)}`);
        text = next;
      }
    });
  }

  it('scans again from the start when the edit it is told of does not follow the last text', () => {
    const repairs = new IncrementalRepair();
    const text = `${MODEL}x = (\n`;
    repairs.repair(text);
    const other = `def f(:\n${MODEL}`;
    assert.deepEqual(repairs.repair(other, 'something else', { start: 0, end: 0, newText: 'y' }), repairUnclosedBrackets(other));
  });
});
