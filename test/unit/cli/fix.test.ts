import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, tempTree } from './helpers';

describe('deeplint check --fix', () => {
  it('applies safe fixes, reports them, and leaves files without fixes untouched', async () => {
    const root = tempTree({
      'fixable.py': 'y = 2  # deeplint: ignore[DL998, DL999]\nz = 3\n',
      'clean.py': 'import torch\n',
    });
    const clean = path.join(root, 'clean.py');
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(clean, past, past);
    const result = await cli('check', root, '--fix');
    assert.equal(fs.readFileSync(path.join(root, 'fixable.py'), 'utf8'), 'y = 2\nz = 3\n');
    assert.equal(fs.statSync(clean).mtimeMs, past.getTime());
    assert.match(result.stderr, /Fixed .*fixable\.py: DL001 ×\d/);
    assert.equal(result.status, 0);
    assert.deepEqual(fs.readdirSync(root).sort(), ['clean.py', 'fixable.py']);
  });

  it('refuses to write through a symbolic link', async () => {
    const outside = tempTree({ 'target.py': 'y = 2  # deeplint: ignore[DL999]\n' });
    const root = tempTree({});
    fs.symlinkSync(path.join(outside, 'target.py'), path.join(root, 'link.py'));
    const result = await cli('check', path.join(root, 'link.py'), '--fix', '--format', 'json');
    assert.equal(fs.readFileSync(path.join(outside, 'target.py'), 'utf8'), 'y = 2  # deeplint: ignore[DL999]\n');
    assert.match(JSON.parse(result.stdout).errors[0].message, /symbolic link/);
  });

  it('does not follow symbolic links when walking folders', async () => {
    const outside = tempTree({ 'target.py': 'y = 2  # deeplint: ignore[DL999]\n' });
    const root = tempTree({});
    fs.symlinkSync(outside, path.join(root, 'linked-dir'));
    fs.symlinkSync(path.join(outside, 'target.py'), path.join(root, 'linked.py'));
    const result = await cli('check', root, '--format', 'json');
    assert.deepEqual(JSON.parse(result.stdout).findings, []);
  });

  it('requires --fix for --unsafe-fixes', async () => {
    assert.equal((await cli('check', '.', '--unsafe-fixes')).status, 2);
  });
});
