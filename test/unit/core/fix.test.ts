import { strict as assert } from 'node:assert';
import { applyEdits, applyFixes } from '../../../src/core/fix';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import type { Finding } from '../../../src/core/rules/types';

function finding(start: number, edits: { start: number; end: number; newText: string }[], safe = true): Finding {
  return {
    code: 'DL999',
    name: 'test',
    severity: 'warning',
    message: 'test',
    span: { start, end: start + 1 },
    fix: { title: 'fix', safe, edits: edits.map(({ start: s, end, newText }) => ({ span: { start: s, end }, newText })) },
  } as Finding;
}

describe('applying fixes', () => {
  it('applies edits given in any order, replacements, deletions and insertions', () => {
    const text = 'abcdefghij';
    const edits = [
      { span: { start: 8, end: 10 }, newText: 'XY' },
      { span: { start: 0, end: 0 }, newText: '>' },
      { span: { start: 3, end: 5 }, newText: '' },
    ];
    assert.equal(applyEdits(text, edits), '>abcfghXY');
  });

  it('puts an insertion before a replacement that starts at the same offset', () => {
    assert.equal(applyEdits('abc', [{ span: { start: 1, end: 2 }, newText: 'B' }, { span: { start: 1, end: 1 }, newText: '+' }]), 'a+Bc');
  });

  it('skips a fix overlapping one already taken, and unsafe fixes unless asked', () => {
    const text = '0123456789';
    const first = finding(1, [{ start: 1, end: 3, newText: 'a' }]);
    const overlapping = finding(2, [{ start: 2, end: 4, newText: 'b' }]);
    const unsafe = finding(6, [{ start: 6, end: 7, newText: 'u' }], false);
    const far = finding(8, [{ start: 8, end: 9, newText: 'c' }]);
    const safeOnly = applyFixes(text, [far, overlapping, unsafe, first]);
    assert.equal(safeOnly.text, '0a34567c9');
    assert.deepEqual(safeOnly.applied, [first, far]);
    assert.deepEqual(safeOnly.skipped, [overlapping]);
    assert.equal(applyFixes(text, [first, unsafe], true).text, '0a345u789');
  });

  it('applies a thousand fixes to a large text in one pass with the expected result', () => {
    const line = 'x = torch.sigmoid(h)\n';
    const text = line.repeat(1000);
    const findings = Array.from({ length: 1000 }, (_, i) => {
      const start = i * line.length + 4;
      return finding(start, [{ start, end: start + 'torch.sigmoid'.length, newText: 'torch.relu' }]);
    });
    const { text: fixed, applied } = applyFixes(text, findings);
    assert.equal(applied.length, 1000);
    assert.equal(fixed, 'x = torch.relu(h)\n'.repeat(1000));
  });
});

describe('fixes next to syntax errors', () => {
  const model = (forward: string) => `import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)

    def forward(self, x):
${forward}`;

  // Found by the fuzzer: the call is cut before its closing parenthesis, and the fix went into the inner call, again
  // and again on each --fix pass.
  it('reports the finding without its fix when the call it would edit is unclosed', () => {
    const analysis = analyzeText('python', model('        return F.dropout(F.relu(self.fc(x))'), defaultConfig());
    assert.deepEqual(analysis.findings.map((found) => [found.code, found.fix]), [['DL304', null]]);
  });

  it('keeps the fix when the syntax error is elsewhere', () => {
    const analysis = analyzeText('python', `${model('        return F.dropout(F.relu(self.fc(x)), 0.1)\n')}\n\nbroken = (\n`, defaultConfig());
    assert.deepEqual(analysis.findings.map((found) => [found.code, found.fix?.edits[0]?.newText]), [['DL304', ', training=self.training']]);
  });

  it('withholds fixes after the last listed error when a file has more errors than are listed', () => {
    const noise = Array.from({ length: 60 }, (_, index) => `bad_${index} = = 1\n`).join('');
    const analysis = analyzeText('python', `${noise}${model('        return F.dropout(F.relu(self.fc(x)), 0.1)\n')}`, defaultConfig());
    assert.equal(analysis.program?.moreSyntaxErrors, true);
    assert.deepEqual(analysis.findings.map((found) => [found.code, found.fix]), [['DL304', null]]);
  });
});
