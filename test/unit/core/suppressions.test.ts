import { strict as assert } from 'node:assert';
import { findSuppressions } from '../../../src/core/rules/suppressions';

describe('suppression comments', () => {
  it('reads codes on a trailing comment and applies them to that line', () => {
    const text = 'x = 1\nlayer = nn.Linear(4, 4)  # deeplint: ignore[DL201, dl202]\n';
    const [found] = findSuppressions(text, '#');
    assert.ok(found);
    assert.equal(found.scope, 'line');
    assert.deepEqual(found.codes, ['DL201', 'DL202']);
    assert.equal(found.line, 1);
    assert.equal(text.slice(found.codeSpans[1]!.start, found.codeSpans[1]!.end), 'dl202');
    assert.equal(text.slice(found.commentSpan.start, found.commentSpan.end), '  # deeplint: ignore[DL201, dl202]');
  });

  it('applies a comment alone on its line to the next code line and removes it with its line break', () => {
    const text = '# deeplint: ignore[DL301]\n\n# other comment\nmodel = build()\n';
    const [found] = findSuppressions(text, '#');
    assert.equal(found?.line, 3);
    assert.equal(text.slice(found!.commentSpan.start, found!.commentSpan.end), '# deeplint: ignore[DL301]\n');
  });

  it('reads file-level suppressions and ignores the other language marker', () => {
    const text = '// deeplint: ignore-file[DL101]\n# deeplint: ignore[DL201]\n';
    const found = findSuppressions(text, '//');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.scope, 'file');
  });
});
