// Analysis benchmark: bare parse vs full analysis (parse + IR + all rules) on large files made from the
// regression corpus, incremental re-analysis after a one-character edit, and the TF.js side.
// The code timed is an esbuild bundle of the core, built here as esbuild.js builds the shipped bundles: tsx's
// per-file transform (with its name-keeping wrappers) is a development loader, not what users run.
// Run: node --import tsx bench/analysis.ts
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = path.join(__dirname, '..');

function loadBundledCore(): typeof import('./analysis-entry') {
  const outfile = path.join(ROOT, 'bench/generated/analysis-core.js');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'analysis-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'warning',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(outfile) as typeof import('./analysis-entry');
}

const { parser, estree, analyzeText, defaultConfig, DocumentAnalyzer } = loadBundledCore();

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * How long the untimed calls before each measurement last. The analysis is much more code than the parser, which warms
 * up within a few calls: after half a second the JIT was still compiling it, and the first timed calls ran a tenth
 * slower than those a few seconds on (a keystroke nearly twice as slow). The editor's worker analyses every
 * keystroke, so it runs warm.
 */
const WARM_UP_MS = 3000;

/** The median of `runs` timed calls, after at least ten untimed calls and WARM_UP_MS. */
function time(runs: number, fn: () => void): number {
  const warmUntil = performance.now() + WARM_UP_MS;
  for (let i = 0; i < 10 || performance.now() < warmUntil; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function corpusFiles(dir: string, extensions: RegExp): string[] {
  const full = path.join(ROOT, 'test/corpus', dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => extensions.test(name))
    .sort()
    .map((name) => fs.readFileSync(path.join(full, name), 'utf8'));
}

/**
 * Renames a file's top-level classes and functions, and every reference to them, with a per-copy suffix. Methods
 * keep their names: a renamed `__init__` or `forward` would leave the models empty and the benchmark unrealistic.
 */
function renameTopLevel(source: string, copy: number): string {
  const names = [...source.matchAll(/^(?:export\s+)?(?:async\s+)?(?:class|def|function)\s+(\w+)/gm)].map((match) => match[1]!);
  if (names.length === 0) return source;
  // Attribute accesses (`model.train()`) are not references to a top-level `train`.
  return source.replace(new RegExp(`(?<![.\\w])(${[...new Set(names)].join('|')})\\b`, 'g'), `$1_${copy}`);
}

/**
 * Concatenates whole corpus files, renamed per copy, until the text has at least `lines` lines. Whole files only:
 * a file cut in the middle would not parse as JavaScript.
 */
function grow(sources: string[], lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let copy = 0; count < lines; copy++) {
    const source = renameTopLevel(sources[copy % sources.length]!, copy);
    parts.push(source.endsWith('\n') ? source : `${source}\n`);
    count += source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  }
  return parts.join('');
}

function lineCount(text: string): string {
  return text.split('\n').length.toLocaleString('en-US');
}

/**
 * Times the reference and the measured call in alternation, after the same warm-up as `time`: a burst of load on
 * the machine then slows both alike instead of only whichever block of runs it fell in. Gives both medians and the
 * median of the per-pair ratios.
 */
function timePair(runs: number, reference: () => void, measured: () => void): { referenceMs: number; measuredMs: number; ratio: number } {
  const warmUntil = performance.now() + WARM_UP_MS;
  for (let i = 0; i < 10 || performance.now() < warmUntil; i++) {
    reference();
    measured();
  }
  const references: number[] = [];
  const measureds: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    reference();
    const middle = performance.now();
    measured();
    const end = performance.now();
    references.push(middle - start);
    measureds.push(end - middle);
    ratios.push((end - middle) / (middle - start));
  }
  return { referenceMs: median(references), measuredMs: median(measureds), ratio: median(ratios) };
}

function report(label: string, timing: { referenceMs: number; measuredMs: number; ratio: number }): void {
  console.log(`${label}: parse ${timing.referenceMs.toFixed(2)} ms, full analysis ${timing.measuredMs.toFixed(2)} ms, ratio ${timing.ratio.toFixed(2)}x (target <= 1.5x)`);
}

function python(): void {
  const sources = corpusFiles('python', /\.py$/);
  if (sources.length === 0) throw new Error('no Python corpus files under test/corpus/python');
  for (const lines of [2000, 10000]) {
    const text = grow(sources, lines);
    const runs = lines > 5000 ? 15 : 41;
    report(`python ${lineCount(text)} lines`, timePair(runs, () => parser.parse(text), () => analyzeText('python', text, defaultConfig())));
  }
  // Incremental: one character typed and deleted again, over and over, in a 2,000-line file; the tree and the
  // extraction's caches are reused across the edits. In the middle of the file, then inside a model's __init__.
  const text = grow(sources, 2000);
  const middle = Math.floor(text.length / 2);
  const fullMs = time(9, () => analyzeText('python', text, defaultConfig()));
  for (const [where, at] of [
    ['at the end of the middle line', text.indexOf('\n', middle)],
    ['in a model class (after its super().__init__())', text.indexOf('super().__init__()', middle) + 'super().__init__()'.length],
  ] as const) {
    const analyzer = new DocumentAnalyzer('python');
    analyzer.update(text, defaultConfig(), undefined);
    let typed = false;
    // A keystroke is short next to the machine's swings in speed: many samples keep the median steady.
    const incrementalMs = time(101, () => {
      const next = typed ? text : text.slice(0, at) + ' ' + text.slice(at);
      analyzer.update(next, defaultConfig(), [typed ? { start: at, end: at + 1, newText: '' } : { start: at, end: at, newText: ' ' }]);
      typed = !typed;
    });
    console.log(`python incremental, one character typed ${where} (${lineCount(text)} lines): ${incrementalMs.toFixed(2)} ms (target <= 5 ms; full ${fullMs.toFixed(2)} ms)`);
  }
  scaling(sources);
}

/**
 * Full analysis of a file four times as long should take about four times as long. A pass or rule that compares
 * every model with every other shows here long before it shows at 2,000 lines (one did: 35 s for 4 MB of Keras).
 */
function scaling(sources: string[]): void {
  const medianOf3 = (text: string) => {
    analyzeText('python', text, defaultConfig());
    const samples = [0, 1, 2].map(() => {
      const start = performance.now();
      analyzeText('python', text, defaultConfig());
      return performance.now() - start;
    });
    return median(samples);
  };
  const small = grow(sources, 15000);
  const large = grow(sources, 60000);
  const smallMs = medianOf3(small);
  const largeMs = medianOf3(large);
  console.log(
    `python scaling: ${lineCount(small)} lines ${smallMs.toFixed(0)} ms, ${lineCount(large)} lines ${largeMs.toFixed(0)} ms, ratio ${(largeMs / smallMs).toFixed(2)} for ${(large.length / small.length).toFixed(2)}x the text (linear: the same)`,
  );
}

function tfjs(): void {
  const started = performance.now();
  // The first analysis of a JS file loads the TypeScript-based front end: that is the cold load.
  analyzeText('javascript', "import * as tf from '@tensorflow/tfjs';\n", defaultConfig());
  console.log(`tfjs front end cold load: ${(performance.now() - started).toFixed(0)} ms`);
  const sources = corpusFiles('tfjs', /\.(js|ts)$/);
  if (sources.length === 0) {
    console.log('tfjs: no corpus files under test/corpus/tfjs; skipped');
    return;
  }
  const text = grow(sources, 2000);
  // typescript-estree is what the front end parses with, so it is the bare-parse reference.
  const { parse } = estree();
  report(`tfjs ${lineCount(text)} lines`, timePair(21, () => parse(text, { range: true, loc: false, jsx: true }), () => analyzeText('javascript', text, defaultConfig())));
}

python();
tfjs();
