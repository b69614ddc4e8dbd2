import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { applyEdits } from '../../../src/core/fix';
import { AnalysisClient, singleChange } from '../../../src/extension/analysis-client';

const ROOT = path.join(__dirname, '../../..');
const WORKER = { code: `require('tsx/cjs'); require(${JSON.stringify(path.join(ROOT, 'src/extension/worker/analysis-worker.ts'))});`, eval: true };
const CORPUS = path.join(ROOT, 'test/corpus/python');

function summary(findings: readonly { code: string; span: { start: number; end: number } }[]): string[] {
  return findings.map((finding) => `${finding.code}@${finding.span.start}-${finding.span.end}`);
}

describe('analysis worker client', () => {
  it('turns two texts into the one replacement between them', () => {
    const cases: [string, string][] = [
      ['abcdef', 'abXYef'],
      ['abc', 'abcabc'],
      ['aaaa', 'aa'],
      ['', 'new'],
      ['same', 'same'],
      ['x = 1\ny = 2\n', 'x = 1\nz = 3\ny = 2\n'],
    ];
    for (const [before, after] of cases) {
      const change = singleChange(before, after);
      assert.equal(applyEdits(before, [{ span: { start: change.start, end: change.end }, newText: change.newText }]), after, `${before} → ${after}`);
      assert.ok(change.end - change.start <= before.length);
    }
    assert.deepEqual(singleChange('abcdef', 'abXYef'), { start: 2, end: 4, newText: 'XY' });
  });

  it('gives the same findings as analysing in-process, across incremental edits', async () => {
    const client = new AnalysisClient(WORKER, (message) => assert.fail(message));
    try {
      let text = fs.readFileSync(path.join(CORPUS, 'lead-mnist.py'), 'utf8');
      for (const edit of ['', '\n\nimport os\n', 'x = F.dropout(x, 0.5)\n']) {
        text = `${text}${edit}`;
        const outcome = await client.analyze('doc', 'python', 'lead-mnist.py', text, defaultConfig());
        const direct = analyzeText('python', text, defaultConfig());
        assert.deepEqual(summary(outcome.analysis.findings), summary(direct.findings));
        assert.equal(outcome.analysis.program?.models.length, direct.program?.models.length);
        assert.equal(outcome.analysis.text, text);
        assert.equal(outcome.analysis.lines.lineCount, text.split('\n').length);
      }
    } finally {
      await client.dispose();
    }
  });

  it('keeps the calling thread free while a 10,000-line file is analysed', async function () {
    this.timeout(60_000);
    const files = fs.readdirSync(CORPUS).map((name) => fs.readFileSync(path.join(CORPUS, name), 'utf8'));
    let text = '';
    while (text.split('\n').length < 10_000) text += files.join('\n\n');
    const client = new AnalysisClient(WORKER, (message) => assert.fail(message));
    try {
      // The first request also starts the worker and compiles the parser: measured separately.
      await client.analyze('warm-up', 'python', 'big.py', 'x = 1\n', defaultConfig());
      // Timers keep firing on this thread while the worker analyses: were the analysis done here, none would
      // fire until it finished. How long a single pause lasts is a figure for benchmarks, not a test condition.
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 1);
      const outcome = await client.analyze('big', 'python', 'big.py', text, defaultConfig());
      clearInterval(ticker);
      assert.ok(outcome.analysis.program!.models.length > 50);
      assert.ok(ticks >= 3, `only ${ticks} timer callbacks ran during an analysis of ${outcome.milliseconds.toFixed(0)} ms`);
    } finally {
      await client.dispose();
    }
  });

  it('survives a crashed worker: pending requests fail, the next one starts a fresh worker', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deeplint-worker-'));
    const script = path.join(dir, 'worker.cjs');
    // A stand-in worker: crashes on "crash", otherwise answers with an empty analysis.
    fs.writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (request) => {
         if (request.type !== 'analyze') return;
         if (request.text === 'crash') process.exit(3);
         parentPort.postMessage({ type: 'result', id: request.id, stale: false, milliseconds: 1,
           analysis: { kind: request.kind, program: null, findings: [], errors: [{ message: String(request.changes ? 'incremental' : 'full') }] } });
       });`,
    );
    const crashes: string[] = [];
    const client = new AnalysisClient({ code: script }, (message) => crashes.push(message));
    try {
      assert.equal((await client.analyze('a', 'python', 'a.py', 'one', defaultConfig())).analysis.errors[0]!.message, 'full');
      assert.equal((await client.analyze('a', 'python', 'a.py', 'two', defaultConfig())).analysis.errors[0]!.message, 'incremental');
      await assert.rejects(client.analyze('b', 'python', 'b.py', 'crash', defaultConfig()), /exited with code 3/);
      assert.equal(crashes.length, 1);
      // The new worker has never seen document a: it gets the whole text, not an edit.
      assert.equal((await client.analyze('a', 'python', 'a.py', 'three', defaultConfig())).analysis.errors[0]!.message, 'full');
    } finally {
      await client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
