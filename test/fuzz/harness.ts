// Mutation fuzzing of the analysers: every case must finish in its time budget without an exception, keep
// every range inside the document, give the same output twice, and stay parseable after its safe fixes.
import { analyzeText, type FileAnalysis, type SourceKind } from '../../src/core/analyze';
import { defaultConfig, type DeepLintConfig } from '../../src/core/config';
import { applyFixes } from '../../src/core/fix';

/** A small, fast, seedable generator (mulberry32), so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Seed {
  name: string;
  kind: SourceKind;
  text: string;
}

export interface FuzzCase {
  seed: string;
  mutation: string;
  kind: SourceKind;
  text: string;
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function offset(random: Random, text: string): number {
  return Math.floor(random() * (text.length + 1));
}

const NOISE = ['(', ')', '[', ']', '{', '}', ':', ',', '=', '\n', '    ', '\t', '"', "'", '#', '//', '\\', '\u0000', '\uFFFD', 'nn.', 'self.', 'tf.layers.', '\r\n', 'é', '😀'];

/** Each mutation takes the seed text (and a second seed for splicing) and returns the mutated text. */
const MUTATIONS: Record<string, (random: Random, text: string, other: string) => string> = {
  truncate: (random, text) => text.slice(0, offset(random, text)),
  deleteChars: (random, text) => {
    const start = offset(random, text);
    return text.slice(0, start) + text.slice(start + 1 + Math.floor(random() * 20));
  },
  insertNoise: (random, text) => {
    const at = offset(random, text);
    return text.slice(0, at) + pick(random, NOISE) + text.slice(at);
  },
  duplicateChars: (random, text) => {
    const start = offset(random, text);
    const piece = text.slice(start, start + 1 + Math.floor(random() * 40));
    return text.slice(0, start) + piece + piece + text.slice(start + piece.length);
  },
  deleteLine: (random, text) => {
    const lines = text.split('\n');
    lines.splice(Math.floor(random() * lines.length), 1);
    return lines.join('\n');
  },
  duplicateLine: (random, text) => {
    const lines = text.split('\n');
    const index = Math.floor(random() * lines.length);
    lines.splice(index, 0, lines[index] ?? '');
    return lines.join('\n');
  },
  swapLines: (random, text) => {
    const lines = text.split('\n');
    const a = Math.floor(random() * lines.length);
    const b = Math.floor(random() * lines.length);
    [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
    return lines.join('\n');
  },
  splice: (random, text, other) => text.slice(0, offset(random, text)) + other.slice(offset(random, other)),
  unbalance: (random, text) => {
    const at = offset(random, text);
    return text.slice(0, at) + pick(random, ['(((', ')))', '[[[', ']]]', '{{', '}}', '"""', "'''"]) + text.slice(at);
  },
  deepNesting: (random, text) => {
    const depth = 10_000;
    const open = pick(random, ['(', '[']);
    const close = open === '(' ? ')' : ']';
    return `${text}\nx = ${open.repeat(depth)}1${close.repeat(depth)}\n`;
  },
  longLine: (random, text) => `${text}\nvalue = ${'1 + '.repeat(250_000)}1\n`,
  crlf: (_random, text) => text.replace(/\n/g, '\r\n'),
  mixedIndentation: (random, text) => text.replace(/^( {4})/gm, () => (random() < 0.5 ? '\t' : '    ')),
  nulBytes: (random, text) => {
    const at = offset(random, text);
    return text.slice(0, at) + '\u0000\u0000' + text.slice(at);
  },
  invalidUtf8: (random, text) => {
    // Bytes that are not UTF-8 reach the analyser as replacement characters, as the CLI and editor decode them.
    const at = offset(random, text);
    return text.slice(0, at) + '\uFFFD\uFFFD' + text.slice(at);
  },
  lonelySurrogate: (random, text) => {
    const at = offset(random, text);
    return text.slice(0, at) + '\uD800' + text.slice(at);
  },
};

const NOTEBOOK_MUTATIONS: Record<string, (random: Random, text: string) => string> = {
  brokenJson: (random, text) => text.slice(0, offset(random, text)),
  missingCells: () => JSON.stringify({ metadata: {}, nbformat: 4 }),
  nonStringSources: () => JSON.stringify({ cells: [{ cell_type: 'code', source: [1, null, { a: 1 }] }, { cell_type: 'code', source: 7 }] }),
  cellsNotList: () => JSON.stringify({ cells: { a: 1 } }),
  hugeOutputs: (_random, text) => {
    try {
      const notebook = JSON.parse(text) as { cells?: { outputs?: unknown[] }[] };
      for (const cell of notebook.cells ?? []) cell.outputs = [{ output_type: 'stream', text: ['x'.repeat(1_000_000)] }];
      return JSON.stringify(notebook);
    } catch {
      return text;
    }
  },
  magicsEverywhere: (random, text) => {
    try {
      const notebook = JSON.parse(text) as { cells?: { source?: unknown }[] };
      for (const cell of notebook.cells ?? []) {
        const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
        cell.source = `%%time\n!ls\n%matplotlib inline\n${source}\nresult = !pwd\n${random() < 0.5 ? 'x?' : '??y'}\n`;
      }
      return JSON.stringify(notebook);
    } catch {
      return text;
    }
  },
};

/** One case in this many is grown to a 5 MB file, rare because each takes seconds to analyse. */
const HUGE_FILE_ONE_IN = 1000;
const HUGE_FILE_CHARS = 5_000_000;

/** The file repeated until it is 5 MB: thousands of models, losses and compile calls of the same names. */
function hugeFile(text: string): string {
  const unit = text.endsWith('\n') ? text : `${text}\n`;
  return unit.repeat(Math.ceil(HUGE_FILE_CHARS / Math.max(unit.length, 1)));
}

/** Generates `count` cases from the seeds, deterministically for a given random seed. */
export function* generateCases(seeds: readonly Seed[], count: number, seed: number): Generator<FuzzCase> {
  if (seeds.length === 0) throw new Error('no seed files to mutate (test/corpus and examples are empty)');
  const random = seededRandom(seed);
  const textMutations = Object.keys(MUTATIONS);
  const notebookMutations = Object.keys(NOTEBOOK_MUTATIONS);
  for (let index = 0; index < count; index++) {
    const base = pick(random, seeds);
    if (base.kind === 'notebook' && random() < 0.5) {
      const mutation = pick(random, notebookMutations);
      yield { seed: base.name, mutation, kind: 'notebook', text: NOTEBOOK_MUTATIONS[mutation]!(random, base.text) };
      continue;
    }
    // Often stack two mutations: the interesting breakage is in combinations.
    let text = base.text;
    const applied: string[] = [];
    const steps = random() < 0.3 ? 2 : 1;
    for (let step = 0; step < steps; step++) {
      const mutation = pick(random, textMutations);
      const other = pick(random, seeds.filter((candidate) => candidate.kind === base.kind)).text;
      text = MUTATIONS[mutation]!(random, text, other);
      applied.push(mutation);
    }
    if (random() * HUGE_FILE_ONE_IN < 1) {
      text = hugeFile(text);
      applied.push('hugeFile');
    }
    yield { seed: base.name, mutation: applied.join('+'), kind: base.kind, text };
  }
}

export interface CaseResult {
  case: FuzzCase;
  /** CPU time of the first analysis. */
  milliseconds: number;
  /** What went wrong; empty when every property held. */
  problems: string[];
}

/** The CPU time this process has used, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The time budget for one analysis: generous per megabyte, so only real blow-ups fail. It is CPU time: on a
 * machine busy with other work (a CI run beside a long fuzz run at low priority) the wall clock would fail cases
 * the analysis finished quickly.
 */
export function budgetMs(text: string): number {
  return 3_000 + (text.length / 1_000_000) * 8_000;
}

function fingerprint(analysis: FileAnalysis): string {
  return JSON.stringify({
    findings: analysis.findings.map((finding) => [finding.code, finding.span, finding.message, finding.fix]),
    errors: analysis.errors,
    models: analysis.program?.models.map((model) => [model.name, model.layers.length, model.parameterCount]),
  });
}

/** A parse-health measure to compare before and after fixes: the number of syntax errors. */
function syntaxErrorCount(analysis: FileAnalysis): number {
  return analysis.program?.syntaxErrors.length ?? 0;
}

/** Runs one case and checks every property; never throws. */
export function runCase(fuzzCase: FuzzCase, config: DeepLintConfig = defaultConfig()): CaseResult {
  const problems: string[] = [];
  const started = cpuMs();
  let first: FileAnalysis;
  try {
    first = analyzeText(fuzzCase.kind, fuzzCase.text, config);
  } catch (error) {
    return { case: fuzzCase, milliseconds: cpuMs() - started, problems: [`exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`] };
  }
  const milliseconds = cpuMs() - started;
  if (milliseconds > budgetMs(fuzzCase.text)) problems.push(`slow: ${milliseconds.toFixed(0)} ms of CPU for ${fuzzCase.text.length} chars`);
  for (const error of first.errors) if (error.message.startsWith('internal error')) problems.push(error.message);
  const length = first.text.length;
  for (const finding of first.findings) {
    const { start, end } = finding.span;
    if (!(start >= 0 && start <= end && end <= length)) problems.push(`${finding.code} range ${start}-${end} outside 0-${length}`);
    for (const edit of finding.fix?.edits ?? []) {
      if (!(edit.span.start >= 0 && edit.span.start <= edit.span.end && edit.span.end <= length)) {
        problems.push(`${finding.code} fix edit ${edit.span.start}-${edit.span.end} outside 0-${length}`);
      }
    }
  }
  try {
    const second = analyzeText(fuzzCase.kind, fuzzCase.text, config);
    if (fingerprint(second) !== fingerprint(first)) problems.push('not deterministic: a second analysis differs');
    if (fuzzCase.kind !== 'notebook') {
      const fixed = applyFixes(first.text, first.findings);
      if (fixed.applied.length > 0) {
        const after = analyzeText(fuzzCase.kind, fixed.text, config);
        if (syntaxErrorCount(after) > syntaxErrorCount(first)) problems.push('safe fixes introduced syntax errors');
        const fixedCodes = new Set(fixed.applied.map((finding) => finding.code));
        const fixedSpans = new Set(fixed.applied.map((finding) => `${finding.code}@${finding.message}`));
        const remaining = after.findings.filter((finding) => fixedCodes.has(finding.code) && fixedSpans.has(`${finding.code}@${finding.message}`));
        if (remaining.length > 0 && fixed.skipped.length === 0) {
          problems.push(`safe fixes did not fix: ${[...new Set(remaining.map((finding) => finding.code))].join(', ')}`);
        }
      }
    }
  } catch (error) {
    problems.push(`exception after the first analysis: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { case: fuzzCase, milliseconds, problems };
}
