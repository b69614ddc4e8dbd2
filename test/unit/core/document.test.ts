import { strict as assert } from 'node:assert';
import { defaultConfig } from '../../../src/core/config';
import { DocumentAnalyzer, mapSpan } from '../../../src/core/document';

describe('document analysis across edits', () => {
  it('maps spans through a change, dropping those it touches', () => {
    const change = { start: 10, end: 12, newText: 'abcd' };
    assert.deepEqual(mapSpan({ start: 2, end: 10 }, change), { start: 2, end: 10 });
    assert.deepEqual(mapSpan({ start: 12, end: 15 }, change), { start: 14, end: 17 });
    assert.equal(mapSpan({ start: 11, end: 15 }, change), undefined);
    assert.deepEqual(mapSpan({ start: 5, end: 8 }, { start: 5, end: 5, newText: 'xx' }), { start: 7, end: 10 });
  });

  it('keeps the last good TF.js findings, moved through the edits, while the file does not parse', () => {
    const good = "import * as tf from '@tensorflow/tfjs';\nconst a = 1; // deeplint: ignore[DL999]\n";
    const analyzer = new DocumentAnalyzer('typescript');
    const first = analyzer.update(good, defaultConfig(), undefined);
    assert.equal(first.stale, false);
    assert.equal(first.analysis.findings.length, 1);
    const insertAt = good.indexOf('const');
    const broken = good.slice(0, insertAt) + 'const b = (;\n' + good.slice(insertAt);
    const second = analyzer.update(broken, defaultConfig(), [{ start: insertAt, end: insertAt, newText: 'const b = (;\n' }]);
    assert.equal(second.stale, true);
    assert.equal(second.analysis.errors.length, 1);
    const [finding] = second.analysis.findings;
    assert.equal(broken.slice(finding!.span.start, finding!.span.end), 'DL999');
    const fixed = analyzer.update(good, defaultConfig(), [{ start: insertAt, end: insertAt + 13, newText: '' }]);
    assert.equal(fixed.stale, false);
    assert.equal(fixed.analysis.errors.length, 0);
  });

  it('drops stale findings when the edits are not known', () => {
    const analyzer = new DocumentAnalyzer('javascript');
    analyzer.update("import * as tf from '@tensorflow/tfjs';\n// deeplint: ignore[DL999]\nx = 1;\n", defaultConfig(), undefined);
    const result = analyzer.update("import * as tf from '@tensorflow/tfjs';\nx = (;\n", defaultConfig(), undefined);
    assert.equal(result.stale, false);
    assert.deepEqual(result.analysis.findings, []);
  });
});

describe('incremental Python analysis', () => {
  it('gives the same result after an edit as a fresh analysis of the new text', () => {
    const before = 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 8)\n';
    const analyzer = new DocumentAnalyzer('python');
    analyzer.update(before, defaultConfig(), undefined);
    const at = before.indexOf('8)');
    const after = before.slice(0, at) + '16' + before.slice(at + 1);
    const incremental = analyzer.update(after, defaultConfig(), [{ start: at, end: at + 1, newText: '16' }]);
    const fresh = new DocumentAnalyzer('python').update(after, defaultConfig(), undefined);
    assert.deepEqual(incremental.analysis.program, fresh.analysis.program);
    assert.equal(incremental.analysis.program!.models[0]!.layers[0]!.out, 16);
  });
});
