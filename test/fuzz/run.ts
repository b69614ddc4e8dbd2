// `npm run fuzz -- --cases N --seed S`: mutates the corpus and checks the analysers' invariants.
// Failing cases are written to test/fuzz/failures/ so they can become regression tests; `--only 13832,13837`
// reruns just those cases of a run, and `--from N` runs cases N and later, so that one long run can be split across
// processes (the cases before are still generated, as each draws on the last).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCases, runCase, type CaseResult } from './harness';
import { loadSeeds } from './seeds';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' }, only: { type: 'string' }, from: { type: 'string', default: '0' }, quiet: { type: 'boolean' } },
});
const only = values.only === undefined ? undefined : new Set(values.only.split(',').map(Number));
const from = Number(values.from);
const count = Number(values.cases);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed) || !Number.isInteger(from) || (only && [...only].some((index) => !Number.isInteger(index)))) {
  console.error('usage: npm run fuzz -- --cases N --seed S [--only I,J,...] [--from N]');
  process.exit(2);
}

const seeds = loadSeeds();
const failures: CaseResult[] = [];
let slowest: CaseResult | undefined;
let totalMs = 0;
const byMutation = new Map<string, number>();
const started = performance.now();
let index = 0;
let ran = 0;
for (const fuzzCase of generateCases(seeds, count, seed)) {
  if (index < from || (only && !only.has(index))) {
    index++;
    continue;
  }
  ran++;
  const result = runCase(fuzzCase);
  totalMs += result.milliseconds;
  const family = fuzzCase.mutation.split('+')[0]!;
  byMutation.set(family, (byMutation.get(family) ?? 0) + 1);
  if (!slowest || result.milliseconds > slowest.milliseconds) slowest = result;
  if (result.problems.length > 0) {
    failures.push(result);
    const dir = path.join(__dirname, 'failures');
    fs.mkdirSync(dir, { recursive: true });
    const extension = { python: 'py', notebook: 'ipynb', javascript: 'js', typescript: 'ts' }[fuzzCase.kind];
    fs.writeFileSync(path.join(dir, `case-${seed}-${index}.${extension}`), fuzzCase.text);
    if (!values.quiet) console.log(`case ${index} (${fuzzCase.seed}, ${fuzzCase.mutation}): ${result.problems.join('; ')}`);
  }
  index++;
  if (!values.quiet && index % 1000 === 0) console.log(`${index} cases, ${failures.length} failing, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`seeds: ${seeds.length} files; cases: ${ran}${only || from > 0 ? ` of ${count}` : ''}${from > 0 ? `, from ${from}` : ''}; seed: ${seed}`);
console.log(`mutations: ${[...byMutation].map(([name, n]) => `${name} ${n}`).join(', ')}`);
console.log(`failing cases: ${failures.length}`);
if (slowest) console.log(`slowest: ${slowest.milliseconds.toFixed(1)} ms of CPU (${slowest.case.seed}, ${slowest.case.mutation}, ${slowest.case.text.length} chars)`);
console.log(`mean: ${(totalMs / Math.max(ran, 1)).toFixed(2)} ms of CPU per case; wall: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failures.length > 0 ? 1 : 0);
