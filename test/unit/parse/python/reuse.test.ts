// The caches of the incremental extraction find entries by text without hashing each text in full.
import { strict as assert } from 'node:assert';
import { VersionCache } from '../../../../src/core/parse/python/reuse';

describe('the version cache', () => {
  it('tells apart texts of one length that agree at the characters it looks at first', () => {
    const cache = new VersionCache<number>();
    cache.begin('environment');
    // Same length, same first, middle and last quarters: only a full comparison tells them apart.
    const texts = ['aaaa0aaaa', 'aaaa1aaaa', 'aaaa0aaab', 'abaa0aaaa', ''];
    texts.forEach((text, index) => cache.keep(text, index));
    cache.end();
    cache.begin('environment');
    // Strings built anew, as each version of a document makes them.
    texts.forEach((text, index) => assert.equal(cache.get([...text].join('')), index, JSON.stringify(text)));
    assert.equal(cache.get('aaaa2aaaa'), undefined);
  });

  it('keeps only what the last extraction kept, and nothing across a changed environment', () => {
    const cache = new VersionCache<string>();
    cache.begin('one');
    cache.keep('class A: pass', 'A');
    cache.keep('class B: pass', 'B');
    cache.end();
    cache.begin('one');
    cache.keep('class A: pass', cache.get('class A: pass')!);
    cache.end();
    cache.begin('one');
    assert.equal(cache.get('class A: pass'), 'A');
    assert.equal(cache.get('class B: pass'), undefined);
    cache.keep('class A: pass', 'A');
    cache.end();
    cache.begin('two');
    assert.equal(cache.get('class A: pass'), undefined);
  });
});
