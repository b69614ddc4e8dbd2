import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { closeAll, codeOf, diagnosticCodes, diagnosticsWhere, fixture, open, setSetting } from './helpers';

describe('settings and deeplint.toml', () => {
  afterEach(async () => {
    for (const key of ['severity', 'ignore', 'select', 'maxFileBytes', 'enable', 'rules']) await setSetting(key, undefined);
  });
  after(closeAll);

  it('applies severity overrides from settings', async () => {
    const uri = fixture('deep_sigmoid.py');
    await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201']);
    await setSetting('severity', { DL201: 'error' });
    await diagnosticsWhere(uri, 'DL201 as errors', (found) => found.length === 3 && found.every((diagnostic) => diagnostic.severity === vscode.DiagnosticSeverity.Error));
  });

  it('ignores and selects rules by code prefix', async () => {
    const uri = fixture('classifier.py');
    await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    await setSetting('ignore', ['DL2']);
    await diagnosticCodes(uri, ['DL304', 'DL501', 'DL601']);
    await setSetting('ignore', undefined);
    await setSetting('select', ['DL5']);
    await diagnosticCodes(uri, ['DL501']);
  });

  it('passes rule options (thresholds) to the rules', async () => {
    const uri = fixture('deep_sigmoid.py');
    await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201']);
    // The stack has 4 dense layers; a minimum depth of 5 leaves it unreported.
    await setSetting('rules', { DL201: { 'min-depth': 5 } });
    await diagnosticsWhere(uri, 'no DL201 below min-depth', (found) => found.length === 0);
  });

  it('skips files above deeplint.maxFileBytes, and honours deeplint.enable', async () => {
    const uri = fixture('deep_sigmoid.py');
    await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201']);
    await setSetting('maxFileBytes', 100);
    await diagnosticsWhere(uri, 'no diagnostics for a skipped file', (found) => found.length === 0);
    await setSetting('maxFileBytes', undefined);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL201']);
    await setSetting('enable', false);
    await diagnosticsWhere(uri, 'no diagnostics when disabled', (found) => found.length === 0);
  });

  it('reads the nearest deeplint.toml, as the CLI does, and follows changes to it', async () => {
    const uri = fixture('strict', 'model.py');
    await open(uri);
    // strict/deeplint.toml ignores DL201 and makes DL304 an error.
    const diagnostics = await diagnosticCodes(uri, ['DL304', 'DL501', 'DL601']);
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[1]!.severity, vscode.DiagnosticSeverity.Warning);
    const toml = fixture('strict', 'deeplint.toml').fsPath;
    const original = fs.readFileSync(toml, 'utf8');
    try {
      fs.writeFileSync(toml, original.replace('ignore = ["DL201"]', 'ignore = ["DL201", "DL601"]'));
      await diagnosticsWhere(uri, 'DL601 ignored after the file changed', (found) => found.map(codeOf).join(',') === 'DL304,DL501');
    } finally {
      fs.writeFileSync(toml, original);
    }
    await diagnosticCodes(uri, ['DL304', 'DL501', 'DL601']);
  });
});
