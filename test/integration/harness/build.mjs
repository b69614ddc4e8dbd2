// Bundles the integration suite the way @vscode/test-electron expects it: out/test/suite/index.js exporting
// run(), one bundle per test file, `vscode` and mocha left to the extension host. Run directly, it just builds.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SUITE_OUT = path.join(ROOT, 'out', 'test', 'suite');

/**
 * Builds the suite into `outDir` (under the repository, so the bundles resolve mocha from its node_modules).
 * Concurrent runs pass their own folder so one run's rebuild cannot pull files from under another.
 */
export function buildSuite(outDir = SUITE_OUT) {
  const dir = path.join(ROOT, 'test', 'integration', 'suite');
  const entries = fs.readdirSync(dir).filter((name) => name === 'index.ts' || name.endsWith('.test.ts')).map((name) => path.join(dir, name));
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'esbuild'),
    [...entries, '--bundle', '--platform=node', '--format=cjs', '--target=node20', '--external:vscode', '--external:mocha', `--outdir=${outDir}`, '--log-level=warning'],
    { stdio: 'inherit' },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildSuite();
