import { strict as assert } from 'node:assert';
import childProcess from 'node:child_process';
import * as fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import * as path from 'node:path';
import { cli } from './cli/helpers';

// Analysis must never run the user's code, start a process or touch the network: that is what makes
// untrusted workspaces safe. Every way out is replaced by a recorder while the CLI analyses real files.
const ESCAPES: [object, string][] = [
  [childProcess, 'spawn'],
  [childProcess, 'spawnSync'],
  [childProcess, 'exec'],
  [childProcess, 'execSync'],
  [childProcess, 'execFile'],
  [childProcess, 'execFileSync'],
  [childProcess, 'fork'],
  [http, 'request'],
  [http, 'get'],
  [https, 'request'],
  [https, 'get'],
  [net, 'connect'],
  [net, 'createConnection'],
  [globalThis, 'fetch'],
];

describe('analysis runs no code, process or network access', () => {
  const calls: string[] = [];
  const originals: [object, string, unknown][] = [];

  before(() => {
    for (const [owner, name] of ESCAPES) {
      const record = owner as Record<string, unknown>;
      originals.push([owner, name, record[name]]);
      record[name] = (...args: unknown[]) => {
        calls.push(`${name}(${String(args[0]).slice(0, 80)})`);
        throw new Error(`${name} called during analysis`);
      };
    }
  });

  after(() => {
    for (const [owner, name, original] of originals) (owner as Record<string, unknown>)[name] = original;
  });

  it('checks and describes every example, corpus file and fixture without any of them', async () => {
    const root = path.join(__dirname, '../..');
    const targets = ['examples', 'test/corpus'].map((dir) => path.join(root, dir)).filter((dir) => fs.existsSync(dir));
    assert.ok(targets.length > 0);
    const check = await cli('check', ...targets, '--format', 'json');
    assert.ok(check.status === 0 || check.status === 1, check.stderr);
    const models = await cli('models', ...targets, '--format', 'json');
    assert.equal(models.status, 0, models.stderr);
    assert.deepEqual(calls, []);
  });
});
