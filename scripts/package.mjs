// Builds the .vsix packages: one per platform target, each carrying only that platform's onnxruntime-node
// binary, and a universal one that probes with onnxruntime-web's WebAssembly build instead.
//   node scripts/package.mjs [--target linux-x64[,win32-x64...]] [--universal] [--out dir]
// Without --target or --universal every package is built. Prints each package's size.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** VS Code platform targets and the onnxruntime-node binary folder each one needs. */
export const TARGETS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
  'darwin-arm64': 'darwin/arm64',
};

// The universal package has no native binary; onnxruntime-web's Node entry and its WebAssembly build stand in.
const WASM_FILES = [
  '!node_modules/onnxruntime-web/package.json',
  '!node_modules/onnxruntime-web/dist/ort.node.min.js',
  '!node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs',
  '!node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
];

function version() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/** Bundles the extension, its workers and the TF.js front end, minified and without source maps. */
export function buildProduction() {
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Packages one .vsix. `target` is a key of TARGETS, or undefined for the universal package.
 * Returns the file written and its size in bytes. Expects buildProduction() to have run.
 */
export function packageVsix({ target, outDir }) {
  if (target !== undefined && !(target in TARGETS)) {
    throw new Error(`unknown target ${target}; expected one of ${Object.keys(TARGETS).join(', ')}`);
  }
  const base = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  const extra = target ? [`!node_modules/onnxruntime-node/bin/napi-v6/${TARGETS[target]}/*`] : WASM_FILES;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'deeplint-vsce-'));
  const ignoreFile = path.join(scratch, '.vscodeignore');
  fs.writeFileSync(ignoreFile, `${base.trimEnd()}\n${extra.join('\n')}\n`);
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `deeplint-${target ?? 'universal'}-${version()}.vsix`);
  const args = [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--ignoreFile', ignoreFile, '--out', out, '--skip-license'];
  if (target) args.push('--target', target);
  try {
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { file: out, bytes: fs.statSync(out).size };
}

function parseArgs(argv) {
  const options = { targets: [], universal: false, outDir: path.join(ROOT, 'dist', 'vsix') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--target') options.targets.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (arg === '--universal') options.universal = true;
    else if (arg === '--out') options.outDir = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${arg}; usage: node scripts/package.mjs [--target t1,t2] [--universal] [--out dir]`);
  }
  if (options.targets.length === 0 && !options.universal) {
    options.targets = Object.keys(TARGETS);
    options.universal = true;
  }
  return options;
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  buildProduction();
  const built = [];
  for (const target of [...options.targets, ...(options.universal ? [undefined] : [])]) {
    built.push(packageVsix({ target, outDir: options.outDir }));
  }
  for (const { file, bytes } of built) process.stdout.write(`${path.relative(ROOT, file)}  ${megabytes(bytes)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
