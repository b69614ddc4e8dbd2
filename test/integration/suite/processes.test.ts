// DeepLint never runs workspace code, which is why it is enabled in untrusted workspaces. In the real extension
// host, every way of starting a process is watched while DeepLint analyses, hovers, fixes and probes: the only
// process it may start is its own probe worker.
import { strict as assert } from 'node:assert';
import childProcess from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAll, codeActions, diagnosticCodes, EXTENSION_ID, fixture, hoverAt, open, positionOf } from './helpers';

const ENTRY_POINTS = ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const;
type EntryPoint = (typeof ENTRY_POINTS)[number];

interface Started {
  via: EntryPoint;
  command: string;
}

/** Records each process DeepLint's own code starts (the workbench starts some of its own), then lets it start. */
function watchProcesses(extensionPath: string): { started: Started[]; restore(): void } {
  const started: Started[] = [];
  const originals = new Map<EntryPoint, unknown>();
  const module = childProcess as unknown as Record<EntryPoint, (...args: unknown[]) => unknown>;
  for (const name of ENTRY_POINTS) {
    const original = module[name];
    originals.set(name, original);
    module[name] = function (this: unknown, ...args: unknown[]) {
      if ((new Error().stack ?? '').includes(extensionPath)) started.push({ via: name, command: String(args[0]) });
      return original.apply(this, args);
    };
  }
  return {
    started,
    restore: () => {
      for (const [name, original] of originals) module[name] = original as (...args: unknown[]) => unknown;
    },
  };
}

describe('processes', () => {
  after(closeAll);

  it('starts no process while analysing, hovering and fixing; the probe starts only its own worker', async function () {
    this.timeout(120_000);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const watch = watchProcesses(extension.extensionPath);
    try {
      const uri = fixture('classifier.py');
      const { document } = await open(uri);
      const found = await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
      await hoverAt(uri, positionOf(document, 'nn.Linear(784, 512)', 4), /784 → 512/);
      assert.ok((await codeActions(uri, found[2]!.range)).length > 0);
      await open(fixture('deep_tanh.js'));
      await diagnosticCodes(fixture('deep_tanh.js'), ['DL201', 'DL201', 'DL201', 'DL201']);
      assert.deepEqual(watch.started, [], 'DeepLint started a process while analysing');

      const result = await vscode.commands.executeCommand<{ verdict: { status: string } } | undefined>('deeplint.probeModel', uri, 'Classifier');
      assert.ok(result, 'the probe returned no result');
      assert.deepEqual(
        watch.started.map(({ via, command }) => `${via} ${path.basename(command)}`),
        ['fork probe-worker.js'],
      );
    } finally {
      watch.restore();
    }
  });
});
