// Runs the integration suite inside a real VS Code without downloading one: the VS Code server shipped in the
// npm package code-server, opened in Debian's Chromium driven by playwright-core. DeepLint is installed from
// the .vsix that `npm run package` builds; the suite (test/integration/suite) runs in the extension host.
//   node test/integration/run.mjs [--screenshots [dir]] [--grep pattern] [--keep]
// Exit status: 0 when every test passed, 1 on any failure or timeout.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildProduction, packageVsix } from '../../scripts/package.mjs';
import { buildSuite, SUITE_OUT } from './harness/build.mjs';
import { CHROMIUM, ensureInstalled, log } from './harness/install.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULT_TIMEOUT_MS = 10 * 60_000;
const TITLE_BAR_PX = 30;
const SCREENSHOT_MARKER = '[deeplint-screenshot] ';
// The workbench's own console chatter (connection set-up, offline fetch failures), kept out of the test output.
const WORKBENCH_NOISE = /ENOTFOUND|Failed to fetch|static\/out\/vs\/|^\[AccountPolicyGate\]|^\[AgentHost|^Resolv(ing|ed) connection token|^Creating a socket|^\[reconnection-grace-time\]|^Updating additional builtin extensions cache|^\[Service Worker\]/;

function parseArgs(argv) {
  const options = { screenshots: undefined, grep: undefined, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--screenshots') {
      const next = argv[i + 1];
      options.screenshots = next && !next.startsWith('--') ? path.resolve(argv[++i]) : path.join(ROOT, 'media', 'screenshots');
    } else if (arg === '--grep') options.grep = argv[++i];
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${arg}; usage: node test/integration/run.mjs [--screenshots [dir]] [--grep pattern] [--keep]`);
  }
  return options;
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** The .vsix for this machine's platform, built as `npm run package` builds it. */
function packageForThisMachine(outDir) {
  buildProduction();
  const target = `${process.platform}-${process.arch}`;
  const built = packageVsix({ target, outDir });
  log(`packaged ${path.basename(built.file)} (${(built.bytes / 1024 / 1024).toFixed(1)} MB)`);
  return built.file;
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
  throw new Error('the VS Code server did not start within a minute');
}

/** Waits (up to 20 s) until some frame, such as a webview's content frame, has an element matching `selector`. */
async function waitForWebview(page, selector) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`no webview showed ${selector} within 20 s`);
}

function writeUserSettings(userData) {
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const settings = {
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'chat.disableAIFeatures': true,
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'security.workspace.trust.enabled': false,
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Stops the server and everything it started (extension hosts, file watchers) through its process group. */
async function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const installed = ensureInstalled();
  log(`tools ready in ${installed.seconds.toFixed(1)} s`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'deeplint-it-'));
  const buildStarted = Date.now();
  const vsix = packageForThisMachine(path.join(work, 'vsix'));
  const suiteOut = `${SUITE_OUT}-${path.basename(work)}`;
  buildSuite(suiteOut);
  log(`extension and suite built in ${seconds(buildStarted)}`);

  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  writeUserSettings(userData);
  execFileSync(installed.node, [installed.entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { stdio: 'pipe' });
  const workspace = path.join(work, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'integration', 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultFile = path.join(work, 'result.json');
  const signals = path.join(work, 'signals');
  fs.mkdirSync(signals);
  if (options.screenshots) fs.mkdirSync(options.screenshots, { recursive: true });

  const port = await freePort();
  log(`starting the VS Code server on 127.0.0.1:${port}`);
  // detached: a new session and process group (setsid), so the whole tree can be stopped at once.
  const server = spawn(
    installed.node,
    [
      installed.entry,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--reconnection-grace-time', '5',
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DEEPLINT_IT_RESULT: resultFile,
        DEEPLINT_IT_SIGNALS: signals,
        ...(options.screenshots ? { DEEPLINT_IT_SCREENSHOTS: '1' } : {}),
        ...(options.grep ? { DEEPLINT_IT_GREP: options.grep } : {}),
      },
    },
  );
  const serverLog = [];
  server.stdout.on('data', (chunk) => serverLog.push(chunk.toString()));
  server.stderr.on('data', (chunk) => serverLog.push(chunk.toString()));
  const interrupt = () => {
    void stopServer(server).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  let browser;
  let status = 1;
  const testsStarted = Date.now();
  try {
    await waitForServer(port, Date.now() + 60_000);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    let finish;
    const exit = new Promise((resolve) => {
      finish = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    // The workbench forwards the extension host's console as (level, args): mocha's reporter arrives this way,
    // and so do the suite's requests for screenshots.
    await page.exposeFunction('codeAutomationLog', async (_level, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (text.startsWith(SCREENSHOT_MARKER)) {
        const [name = '', selector] = text.slice(SCREENSHOT_MARKER.length).trim().split(' ');
        if (options.screenshots && /^[\w-]+$/.test(name)) {
          if (selector) await waitForWebview(page, selector);
          // The window title ("[Extension Development Host] ...") is cropped: it is the test set-up, not the product.
          const { width, height } = page.viewportSize();
          await page.screenshot({ path: path.join(options.screenshots, `${name}.png`), clip: { x: 0, y: TITLE_BAR_PX, width, height: height - TITLE_BAR_PX } });
          log(`screenshot ${name}.png`);
        }
        fs.writeFileSync(path.join(signals, `${name}.done`), '');
        return;
      }
      if (!WORKBENCH_NOISE.test(text)) process.stdout.write(`${text}\n`);
    });
    const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(path.join(ROOT, 'test', 'integration', 'runner'))],
      ['extensionTestsPath', remote(path.join(suiteOut, 'index.js'))],
    ]);
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    log('opening the workbench in Chromium');
    await page.goto(url);
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), RESULT_TIMEOUT_MS);
    });
    const code = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      log(`no result after ${RESULT_TIMEOUT_MS / 60_000} minutes; the server's last output:`);
      process.stdout.write(serverLog.join('').slice(-4000));
    } else {
      status = code === 0 ? 0 : 1;
    }
  } finally {
    await browser?.close().catch(() => {});
    await stopServer(server);
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
  if (fs.existsSync(resultFile)) {
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    log(`${result.passes} passed, ${result.failures} failed, ${result.pending} pending (${result.tests} tests)`);
    for (const failure of result.failed ?? []) log(`FAILED: ${failure.title}\n  ${failure.error}`);
  } else if (status === 0) {
    log('the suite reported success but wrote no result file');
    status = 1;
  }
  log(`tests ran in ${seconds(testsStarted)}; whole run ${seconds(started)}`);
  log(status === 0 ? 'all integration tests passed' : 'integration tests FAILED');
  if (!options.keep) {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(suiteOut, { recursive: true, force: true });
  }
  else log(`kept ${work}`);
  process.exit(status);
}

main().catch((error) => {
  process.stderr.write(`[integration] ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
