// The probe process: results and progress cross the process boundary, errors keep their class, and a
// probe can be cancelled or time out (the process is killed, safely even inside onnxruntime).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ProbeCancelled, ProbeWorker } from '../../../src/core/probe/client';
import { ProbeGraphError } from '../../../src/core/probe/graph';
import { probeModel } from '../../../src/core/probe/probe';
import { chain, layer, mlp } from './models';

describe('probe worker', function () {
  this.timeout(30000);
  const worker = new ProbeWorker();
  after(() => worker.dispose());

  it('runs a probe in the worker with progress, matching an in-thread probe', async () => {
    const stages: string[] = [];
    const model = mlp(4, 32, 'tanh');
    const result = await worker.probe(model, { device: 'cpu', seed: 2 }, { onProgress: (stage) => stages.push(stage) });
    const local = await probeModel(model, { device: 'cpu', seed: 2 });
    assert.deepEqual(stages, ['building', 'sampling', 'session', 'running']);
    assert.deepEqual(result.layers, local.layers);
    assert.equal(result.device, 'cpu');
  });

  it('keeps the error class of a model it cannot probe', async () => {
    const model = chain([layer(0, 'conv3d', 4, 4, { ctor: 'nn.Conv3d' })], 'pytorch', [4, 8, 8, 8]);
    await assert.rejects(worker.probe(model), (error: Error) => error instanceof ProbeGraphError && /nn\.Conv3d/.test(error.message) && error.span?.start === 0);
  });

  it('cancels a running probe and still probes afterwards', async () => {
    const controller = new AbortController();
    const running = worker.probe(mlp(30, 1024, 'relu'), { device: 'cpu', batch: 512 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(running, ProbeCancelled);
    const after = await worker.probe(mlp(2, 8, 'relu'), { device: 'cpu' });
    assert.equal(after.layers.length, 2);
  });

  it('reports a probe process that dies mid-run, and probes again in a fresh one', async () => {
    // SIGKILL stands in for a crash inside onnxruntime's native code: nothing in the process gets to say goodbye.
    const running = worker.probe(mlp(30, 1024, 'relu'), { device: 'cpu', batch: 512 }, { onProgress: (stage) => stage === 'session' && worker.start().kill('SIGKILL') });
    await assert.rejects(running, /the probe process exited \(SIGKILL\)/);
    const after = await worker.probe(mlp(2, 8, 'relu'), { device: 'cpu' });
    assert.equal(after.layers.length, 2);
  });

  it('times out', async () => {
    await assert.rejects(worker.probe(mlp(30, 1024, 'relu'), { device: 'cpu', batch: 512 }, { timeoutMs: 50 }), /timed out after 0.05 s/);
  });
});

describe('probe loading', function () {
  this.timeout(30000);

  it('importing the probe API loads no onnxruntime', () => {
    const script = `require(${JSON.stringify(path.join(__dirname, '../../../src/core/probe'))});
const loaded = Object.keys(require.cache).filter((file) => file.includes('onnxruntime'));
process.stdout.write(JSON.stringify(loaded));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), []);
  });
});
