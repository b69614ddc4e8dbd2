import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { cli, tempTree } from './helpers';

// An unused suppression is a finding that needs no model rule, so these tests hold whatever rules exist.
const UNUSED = 'x = 1  # deeplint: ignore[DL001]\n';

describe('deeplint check', () => {
  it('exits 0 with "No problems found." on clean code', async () => {
    const root = tempTree({ 'clean.py': 'import torch\n' });
    const result = await cli('check', root);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /No problems found\./);
  });

  it('exits 1 and prints path:line:column, code and message for findings', async () => {
    const root = tempTree({ 'a.py': 'import torch\n' + 'y = 2  # deeplint: ignore[DL999]\n' });
    const result = await cli('check', root);
    assert.equal(result.status, 1);
    assert.match(result.stdout, new RegExp(`${path.join(root, 'a.py').replace(/[/\\.]/g, '\\$&')}:2:27: DL001 \\[info\\]`));
  });

  it('writes the documented JSON shape with 1-based positions and fixes', async () => {
    const root = tempTree({ 'a.py': 'y = 2  # deeplint: ignore[DL999]\n' });
    const result = await cli('check', root, '--format', 'json');
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(report.errors, []);
    const [finding] = report.findings;
    assert.deepEqual(Object.keys(finding).sort(), [
      'code', 'column', 'endColumn', 'endLine', 'fix', 'line', 'message', 'name', 'path', 'severity',
    ]);
    assert.equal(finding.code, 'DL001');
    assert.equal(finding.line, 1);
    assert.equal(finding.column, 27);
    assert.equal(finding.endColumn, 32);
    assert.equal(finding.fix.safe, true);
    assert.deepEqual(finding.fix.edits, [{ line: 1, column: 6, endLine: 1, endColumn: 33, newText: '' }]);
  });

  it('writes SARIF 2.1.0 with rule metadata and fixes', async () => {
    const root = tempTree({ 'a.py': UNUSED.replace('DL001', 'DL999') });
    const result = await cli('check', root, '--format', 'sarif');
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'deeplint');
    assert.equal(run.tool.driver.rules[0].id, 'DL001');
    assert.match(run.tool.driver.rules[0].helpUri, /DL001\.md$/);
    assert.equal(run.results[0].level, 'note');
    assert.equal(run.results[0].ruleIndex, 0);
    assert.equal(run.results[0].locations[0].physicalLocation.region.startLine, 1);
    assert.equal(run.results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '');
  });

  it('writes GitHub annotations with escaped properties', async () => {
    const root = tempTree({ 'a,b.py': 'y = 2  # deeplint: ignore[DL999]\n' });
    const result = await cli('check', root, '--format', 'github');
    assert.match(result.stdout, /^::notice file=.*a%2Cb\.py,line=1,col=27,endLine=1,endColumn=32,title=DL001 unused-suppression::/m);
  });

  it('honours --select and --ignore', async () => {
    const root = tempTree({ 'a.py': 'y = 2  # deeplint: ignore[DL999]\n' });
    assert.equal((await cli('check', root, '--ignore', 'DL001')).status, 0);
    assert.equal((await cli('check', root, '--select', 'DL2')).status, 0);
    assert.equal((await cli('check', root, '--select', 'DL0,DL2')).status, 1);
  });

  it('reads [tool.deeplint] from pyproject.toml above the file and reports bad settings', async () => {
    const root = tempTree({
      'pyproject.toml': '[tool.deeplint]\nignore = ["DL001"]\nbogus = 1\n',
      'pkg/a.py': 'y = 2  # deeplint: ignore[DL999]\n',
    });
    const result = await cli('check', path.join(root, 'pkg'), '--format', 'json');
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.findings, []);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0].message, /unknown setting `bogus`/);
  });

  it('applies severity overrides from deeplint.toml', async () => {
    const root = tempTree({
      'deeplint.toml': '[severity]\nDL001 = "error"\n',
      'a.py': 'y = 2  # deeplint: ignore[DL999]\n',
    });
    const report = JSON.parse((await cli('check', root, '--format', 'json')).stdout);
    assert.equal(report.findings[0].severity, 'error');
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await cli('check', '--format', 'xml')).status, 2);
    assert.equal((await cli('check', '--no-such-flag')).status, 2);
    assert.equal((await cli('check', '--config', '/no/such/deeplint.toml')).status, 2);
    assert.equal((await cli('frobnicate')).status, 2);
  });

  it('reports unreadable, binary and missing paths as errors and keeps going', async () => {
    const root = tempTree({
      'binary.py': new Uint8Array([0x89, 0x50, 0x00, 0x01]),
      'latin1.py': new Uint8Array([0x23, 0x20, 0xe9, 0x0a, 0x78, 0x20, 0x3d, 0x20, 0x31, 0x0a]),
      'ok.py': 'y = 2  # deeplint: ignore[DL999]\n',
    });
    const result = await cli('check', root, path.join(root, 'missing.py'), '--format', 'json');
    const report = JSON.parse(result.stdout);
    const messages = report.errors.map((error: { message: string }) => error.message).join('\n');
    assert.match(messages, /binary file/);
    assert.match(messages, /not valid UTF-8/);
    assert.match(messages, /cannot read: ENOENT/);
    assert.equal(report.findings.length, 1);
    assert.equal(result.status, 1);
  });

  it('reports notebooks with cell-relative positions and broken notebooks as errors', async () => {
    const notebook = JSON.stringify({
      cells: [
        { cell_type: 'markdown', source: ['# Title'] },
        { cell_type: 'code', source: ['%matplotlib inline\n', 'import torch\n'] },
        { cell_type: 'code', source: ['y = 2  # deeplint: ignore[DL999]\n'] },
      ],
    });
    const root = tempTree({ 'nb.ipynb': notebook, 'bad.ipynb': '{"cells": [' });
    const report = JSON.parse((await cli('check', root, '--format', 'json')).stdout);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].cell, 3);
    assert.equal(report.findings[0].line, 1);
    assert.match(report.errors[0].message, /notebook is not valid JSON/);
  });

  it('skips files above the size limit with a clear message', async () => {
    const root = tempTree({
      'deeplint.toml': 'max-file-bytes = 100\n',
      'big.py': '# padding\n'.repeat(20),
    });
    const report = JSON.parse((await cli('check', root, '--format', 'json')).stdout);
    assert.match(report.errors[0].message, /above the .* limit \(max-file-bytes\); skipped/);
  });
});

describe('deeplint rule', () => {
  it('lists rules and prints one rule\'s docs', async () => {
    const list = await cli('rule', '--list');
    assert.equal(list.status, 0);
    assert.match(list.stdout, /^DL001\s+unused-suppression/m);
    const docs = await cli('rule', 'DL001');
    assert.match(docs.stdout, /^# DL001 unused-suppression/);
    assert.match(docs.stdout, /## Why is this bad\?/);
    assert.equal((await cli('rule', 'unused-suppression')).status, 0);
    assert.equal((await cli('rule', 'DL9999')).status, 2);
  });
});
