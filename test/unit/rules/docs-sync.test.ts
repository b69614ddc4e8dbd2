import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { expectedFiles, staleFiles } from '../../../scripts/gen-docs';

describe('generated rule docs', () => {
  it('docs/rules and the README rule table match the rules (run `npm run docs` to update)', () => {
    const expected = expectedFiles();
    for (const [file, text] of expected) {
      assert.ok(fs.existsSync(file), `${file} is missing`);
      assert.equal(fs.readFileSync(file, 'utf8'), text, `${file} is out of date`);
    }
    assert.deepEqual(staleFiles(expected), []);
  });
});
