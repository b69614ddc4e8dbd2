// Summarises a CPU profile of the extension host, as written by the integration suite's large-file test:
//   DEEPLINT_IT_PROFILE=/tmp/prof node test/integration/run.mjs --grep "large files"
//   node bench/exthost-profile.mjs /tmp/prof/large-flawed.cpuprofile
// Prints the longest uninterrupted tasks on the extension host thread and, for each, the share spent in
// DeepLint's own bundle (and what it called), so our stalls can be told from the workbench's.
import * as fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/exthost-profile.mjs FILE.cpuprofile\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const OUR_BUNDLE = /\/dist\/extension\.js$/;
const ours = new Map();
/** Whether a sampled stack passes through DeepLint's extension bundle. */
function inOurCode(id) {
  if (ours.has(id)) return ours.get(id);
  const node = nodes.get(id);
  const parent = parents.get(id);
  const result = OUR_BUNDLE.test(node.callFrame.url) || (parent !== undefined && inOurCode(parent));
  ours.set(id, result);
  return result;
}

/** The frames of our bundle that a stack passes through, innermost first. */
function ourFrames(id) {
  const frames = [];
  for (let at = id; at !== undefined; at = parents.get(at)) {
    const frame = nodes.get(at).callFrame;
    if (OUR_BUNDLE.test(frame.url)) frames.push(frame.functionName || '(anonymous)');
  }
  return frames;
}

const tasks = [];
let current;
for (let i = 0; i + 1 < profile.samples.length; i++) {
  const id = profile.samples[i];
  const duration = profile.timeDeltas[i + 1];
  const name = nodes.get(id).callFrame.functionName;
  if (name === '(idle)') {
    if (current) tasks.push(current);
    current = undefined;
    continue;
  }
  current ??= { total: 0, ours: 0, entry: new Map() };
  current.total += duration;
  if (inOurCode(id)) {
    current.ours += duration;
    const outermost = ourFrames(id).at(-1);
    current.entry.set(outermost, (current.entry.get(outermost) ?? 0) + duration);
  }
}
if (current) tasks.push(current);

const ms = (microseconds) => (microseconds / 1000).toFixed(1);
const longest = [...tasks].sort((a, b) => b.total - a.total).slice(0, 5);
const mostOurs = [...tasks].sort((a, b) => b.ours - a.ours)[0];
console.log(`${file}: ${tasks.length} tasks`);
for (const task of longest) {
  const entries = [...task.entry].sort((a, b) => b[1] - a[1]).map(([name, time]) => `${name} ${ms(time)} ms`);
  console.log(`  task ${ms(task.total)} ms, in DeepLint's code ${ms(task.ours)} ms${entries.length > 0 ? ` (${entries.join(', ')})` : ''}`);
}
if (mostOurs) console.log(`  longest time in DeepLint's code within one task: ${ms(mostOurs.ours)} ms (of a ${ms(mostOurs.total)} ms task)`);
