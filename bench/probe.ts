// Probe benchmark: end-to-end and split wall time for three MLP sizes, achieved GFLOP/s against a
// measured FP32 MatMul peak of this CPU, and the same gradients by tfjs (pure JS CPU) in this process.
// Run: node --import tsx bench/probe.ts [--skip-tfjs-big]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as ort from 'onnxruntime-node';
import { performance } from 'node:perf_hooks';
import type { InitDist, Layer, Model } from '../src/core/ir/types';
import { buildProbeGraph } from '../src/core/probe/build';
import { sampleFeeds } from '../src/core/probe/feeds';
import { ProbeWorker } from '../src/core/probe/client';
import { probeModel } from '../src/core/probe/probe';
import { warmSampler } from '../src/core/probe/sampler';
import { GraphBuilder } from '../src/core/probe/graph';
import { encodeModel } from '../src/core/probe/proto';

const HE: InitDist = { family: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'normal' };
const SPAN = { start: 0, end: 0 };

function mlp(depth: number, width: number): Model {
  const layers: Layer[] = [];
  for (let i = 0; i < depth; i++) {
    layers.push({
      index: layers.length,
      kind: 'linear',
      ctor: 'nn.Linear',
      span: SPAN,
      calleeSpan: SPAN,
      args: [],
      in: width,
      out: width,
      bias: true,
      params: width * width + width,
      init: { name: 'kaiming_normal_', dist: HE, source: 'explicit' },
      ...(i < depth - 1 ? { activation: 'relu' as const } : {}),
    });
  }
  return { name: `L${depth}x${width}`, framework: 'pytorch', span: SPAN, nameSpan: SPAN, layers, flow: [], flowKnown: false, inputShape: [width], parameterCount: null, initSpans: [], parameters: [] };
}

/** FP32 MatMul throughput of onnxruntime on this CPU: the practical peak the probe is measured against. */
async function measurePeak(n: number): Promise<number> {
  const b = new GraphBuilder('float32');
  const x = b.input('a', [n, n]);
  const y = b.input('b', [n, n]);
  b.output(b.one('MatMul', [x, y]));
  const session = await ort.InferenceSession.create(encodeModel(b.graph('peak')), { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  const data = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const feeds = { a: new ort.Tensor('float32', data, [n, n]), b: new ort.Tensor('float32', data, [n, n]) };
  await session.run(feeds);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await session.run(feeds);
    best = Math.min(best, performance.now() - start);
  }
  await session.release();
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

/** The same loss (MSE on the same random targets) and weight gradients with tfjs autodiff. */
function tfjsGradients(model: Model, batch: number): number {
  const graph = buildProbeGraph(model, { batch });
  const feeds = sampleFeeds(graph, 0);
  const tensor = (name: string) => tf.tensor(feeds.get(name)!.data as Float32Array, feeds.get(name)!.dims);
  const weights = model.layers.map((layer) => ({ w: tf.variable(tensor(`W${layer.index}`)), b: tf.variable(tensor(`b${layer.index}`)) }));
  const x = tensor('x');
  const target = tensor('target');
  const start = performance.now();
  const { value, grads } = tf.variableGrads(() => {
    let h: tf.Tensor = x;
    model.layers.forEach((layer, i) => {
      h = tf.add(tf.matMul(h, weights[i]!.w), weights[i]!.b);
      if (layer.activation) h = tf.relu(h);
    });
    return tf.mean(tf.square(tf.sub(h, target))) as tf.Scalar;
  });
  Object.values(grads).forEach((g) => g.dataSync());
  const elapsed = performance.now() - start;
  tf.dispose([value, ...Object.values(grads), x, target, ...weights.flatMap((w) => [w.w, w.b])]);
  return elapsed;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

async function main() {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
  const skipBigTfjs = process.argv.includes('--skip-tfjs-big');
  // This machine is a shared VM: the peak is the best of several measurements, before and after the cases.
  let peak = Math.max(await measurePeak(2048), await measurePeak(3072));
  console.log(`FP32 peak estimate (onnxruntime MatMul 2048³ and 3072³, best of 5 runs each): ${peak.toFixed(1)} GFLOP/s`);
  // The probe process starts its sampler thread while the CLI parses; here it is started up front the same way.
  await warmSampler();
  const worker = new ProbeWorker();
  const viaWorker = await worker.probe(mlp(20, 256), { device: 'cpu', batch: 64 });
  const start = performance.now();
  const again = await worker.probe(mlp(20, 256), { device: 'cpu', batch: 64, seed: 1 });
  const roundTrip = performance.now() - start;
  await worker.dispose();
  console.log(`L20×256 B64 in the probe process (as the CLI runs it): first ${ms(viaWorker.timings.totalMs)} inside the probe process; re-probe ${ms(roundTrip)} round trip (${ms(again.timings.totalMs)} inside)`);
  const results: { label: string; gflops: number }[] = [];
  const cases = [
    { depth: 20, width: 256, batch: 64 },
    { depth: 50, width: 512, batch: 64 },
    { depth: 100, width: 1024, batch: 128 },
  ];
  for (const { depth, width, batch } of cases) {
    const model = mlp(depth, width);
    const flops = 6 * batch * depth * width * width;
    const cold = await probeModel(model, { device: 'cpu', batch });
    const warm = await probeModel(model, { device: 'cpu', batch });
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await probeModel(model, { device: 'cpu', batch })).timings.runMs);
    const bestRun = Math.min(warm.timings.runMs, ...runs);
    const gflops = flops / (bestRun / 1000) / 1e9;
    const t = cold.timings;
    console.log(`\nL${depth}×${width} B${batch}  (${(flops / 1e9).toFixed(2)} GFLOP per probe, verdict ${cold.verdict.status})`);
    const split = (timings: typeof t) =>
      `build ${ms(timings.buildMs)} + session ${ms(timings.sessionMs)} (weights ${ms(timings.samplingMs)} on the sampler thread meanwhile) + wait ${ms(timings.samplingWaitMs)} + run ${ms(timings.runMs)}`;
    console.log(`  first probe end to end ${ms(t.totalMs)} = ${split(t)}`);
    console.log(`  re-probe (cached session) ${ms(warm.timings.totalMs)} = ${split(warm.timings)}`);
    console.log(`  run: best of 6 ${ms(bestRun)} → ${gflops.toFixed(1)} GFLOP/s`);
    results.push({ label: `L${depth}×${width} B${batch}`, gflops });
    if (skipBigTfjs && depth === 100) {
      console.log('  tfjs-cpu: skipped (--skip-tfjs-big)');
      continue;
    }
    const tfjsMs = tfjsGradients(model, batch);
    console.log(`  tfjs-cpu gradients ${ms(tfjsMs)} → probe run is ${(tfjsMs / bestRun).toFixed(0)}× faster, end to end ${(tfjsMs / t.totalMs).toFixed(0)}× (cold) / ${(tfjsMs / warm.timings.totalMs).toFixed(0)}× (re-probe)`);
  }
  peak = Math.max(peak, await measurePeak(2048), await measurePeak(3072));
  console.log(`\nFP32 peak estimate after the cases: ${peak.toFixed(1)} GFLOP/s`);
  for (const { label, gflops } of results) console.log(`  ${label}: ${gflops.toFixed(1)} GFLOP/s = ${((100 * gflops) / peak).toFixed(0)}% of peak`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
