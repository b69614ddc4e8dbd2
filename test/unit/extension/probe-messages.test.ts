// Messages from the probe webview are untrusted: only the exact shapes the page's script sends get through.
import { strict as assert } from 'node:assert';
import { parseProbeMessage } from '../../../src/extension/probe/messages';

describe('probe webview messages', () => {
  it('accepts the messages the page sends', () => {
    assert.deepEqual(parseProbeMessage({ type: 'rerun' }, 0), { type: 'rerun' });
    assert.deepEqual(parseProbeMessage({ type: 'reveal', index: 0 }, 6), { type: 'reveal', index: 0 });
    assert.deepEqual(parseProbeMessage({ type: 'reveal', index: 5 }, 6), { type: 'reveal', index: 5 });
    assert.deepEqual(parseProbeMessage({ type: 'ready', state: 'result', layers: 6 }, 6), { type: 'ready', state: 'result', layers: 6 });
    assert.deepEqual(parseProbeMessage({ type: 'ready', state: 'running', layers: 0 }, 0), { type: 'ready', state: 'running', layers: 0 });
    assert.deepEqual(parseProbeMessage({ type: 'ready', state: 'error', layers: 0 }, 0), { type: 'ready', state: 'error', layers: 0 });
  });

  it('rejects anything else', () => {
    const inherited = Object.create({ type: 'rerun' }) as object;
    const rejected: unknown[] = [
      undefined,
      null,
      'rerun',
      42,
      true,
      ['rerun'],
      [{ type: 'rerun' }],
      {},
      inherited,
      { type: 'RERUN' },
      { type: 'rerun', extra: 1 },
      JSON.parse('{"type":"rerun","__proto__":{"index":1}}'),
      { type: 'reveal' },
      { type: 'reveal', index: -1 },
      { type: 'reveal', index: 6 },
      { type: 'reveal', index: 1.5 },
      { type: 'reveal', index: NaN },
      { type: 'reveal', index: Infinity },
      { type: 'reveal', index: '1' },
      { type: 'reveal', index: 1, extra: true },
      { type: 'reveal', line: 1 },
      { type: 'ready' },
      { type: 'ready', state: 'result' },
      { type: 'ready', state: 'result', layers: 7 },
      { type: 'ready', state: 'result', layers: -1 },
      { type: 'ready', state: 'result', layers: 2.5 },
      { type: 'ready', state: 'done', layers: 0 },
      { type: 'ready', state: ['result'], layers: 0 },
      { type: 'ready', state: 'result', layers: 0, extra: 1 },
      { type: 'open', path: '/etc/passwd' },
      { type: 'toString' },
    ];
    for (const value of rejected) assert.equal(parseProbeMessage(value, 6), undefined, JSON.stringify(value));
    // Before a result there are no layers: nothing to reveal and no chart marks to report.
    assert.equal(parseProbeMessage({ type: 'reveal', index: 0 }, 0), undefined);
    assert.equal(parseProbeMessage({ type: 'ready', state: 'running', layers: 1 }, 0), undefined);
  });
});
