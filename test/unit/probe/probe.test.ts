// The probe end to end: verdicts on known cases, the initialization curve the math predicts, seeds,
// the memory budget, and the device fallback rules (forced failures).
import * as assert from 'node:assert/strict';
import type { InitDist } from '../../../src/core/ir/types';
import { Rng, sampleInit, TRUNCATED_NORMAL_STD } from '../../../src/core/probe/init';
import { probeModel, ProbeRefusal } from '../../../src/core/probe/probe';
import { DEFAULT_LOADERS, openSession, platformGpu, ProbeRuntimeError, type OrtModule, type RuntimeLoaders } from '../../../src/core/probe/runtime';
import { buildProbeGraph } from '../../../src/core/probe/build';
import { sampleHere, sampleInParallel, stopSampler } from '../../../src/core/probe/sampler';
import { arg, chain, kerasRecurrent, layer, mlp, torchRecurrent } from './models';

const HE: InitDist = { family: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'normal' };
const UNIT_NORMAL: InitDist = { family: 'normal', mean: 0, std: 1 };
const GLOROT: InitDist = { family: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' };

describe('probe verdicts and statistics', function () {
  this.timeout(30000);

  it('flags a 20-layer sigmoid MLP with PyTorch default init as vanishing', async () => {
    const result = await probeModel(mlp(20, 256, 'sigmoid'), { device: 'cpu' });
    assert.equal(result.verdict.status, 'vanishing', result.verdict.explanation);
    assert.match(result.verdict.explanation, /vanishing-exploding-gradients.*weight-initialization.*activation-functions/);
    assert.ok(result.layers[0]!.gradNorm < 1e-3 * result.layers[19]!.gradNorm);
  });

  it('finds the same 20-layer MLP with ReLU and He init healthy', async () => {
    const result = await probeModel(mlp(20, 256, 'relu', HE), { device: 'cpu' });
    assert.equal(result.verdict.status, 'healthy', result.verdict.explanation);
  });

  it('flags a ReLU stack with unit-variance weights as exploding', async () => {
    const result = await probeModel(mlp(10, 256, 'relu', UNIT_NORMAL), { device: 'cpu' });
    assert.equal(result.verdict.status, 'exploding', result.verdict.explanation);
  });

  it('reports non-finite values as exploding instead of throwing', async () => {
    const result = await probeModel(mlp(30, 256, 'relu', UNIT_NORMAL), { device: 'cpu' });
    assert.equal(result.verdict.status, 'exploding');
    assert.match(result.verdict.explanation, /infinity\/NaN/);
  });

  it('flags ReLU units that a negative bias kills for the whole batch as dead', async () => {
    const model = chain([
      layer(0, 'linear', 64, 64, { init: HE }),
      layer(1, 'activation', null, null, { activation: 'relu' }),
      layer(2, 'linear', 64, 64, { init: HE, biasInit: { family: 'constant', value: -6 } }),
      layer(3, 'activation', null, null, { activation: 'relu' }),
      layer(4, 'linear', 64, 4, { init: HE }),
    ]);
    const result = await probeModel(model, { device: 'cpu' });
    assert.equal(result.verdict.status, 'dead', result.verdict.explanation);
    assert.deepEqual(result.verdict.layers, [2]);
    assert.ok(result.layers[1]!.deadFraction! > 0.9);
  });

  it('flags tanh units pushed into their tails as saturated', async () => {
    const model = chain([layer(0, 'linear', 64, 64, { init: { family: 'normal', mean: 0, std: 1 } }), layer(1, 'activation', null, null, { activation: 'tanh' }), layer(2, 'linear', 64, 4)]);
    const result = await probeModel(model, { device: 'cpu' });
    assert.equal(result.verdict.status, 'saturated', result.verdict.explanation);
    // With unit weights on 64 unit-normal inputs, z ~ N(0, 64): P(|tanh z| > 0.99) = P(|z| > atanh(0.99)) ≈ 0.79.
    const expected = 1 - erf(Math.atanh(0.99) / Math.sqrt(2 * 64));
    assert.ok(Math.abs(result.layers[0]!.saturatedFraction! - expected) < 0.05, `${result.layers[0]!.saturatedFraction} vs ${expected}`);
  });

  it('follows the activation-variance recursion of PyTorch default init in a 10-layer ReLU stack', async () => {
    const width = 512;
    const result = await probeModel(mlp(10, width, 'relu'), { device: 'cpu', batch: 256, dtype: 'float64' });
    // PyTorch default: W ~ U(±1/√n) so Var(W) = 1/(3n), and b ~ U(±1/√n) so Var(b) = 1/(3n).
    // z₁ = W x + b with x ~ N(0, 1): Var(z₁) = n·Var(W)·1 + Var(b). For l > 1, h = relu(z) has E[h²] = Var(z)/2,
    // so Var(z_{l+1}) = n·Var(W)·Var(z_l)/2 + Var(b) = Var(z_l)/6 + 1/(3n): a 6× fall per layer toward 2/(5n).
    const varianceW = 1 / (3 * width);
    const varianceB = 1 / (3 * width);
    let variance = width * varianceW + varianceB;
    // std(relu(z)) for z ~ N(0, v): E[h²] = v/2 and E[h] = √(v/(2π)).
    const reluStd = (v: number) => Math.sqrt(v / 2 - v / (2 * Math.PI));
    for (const [i, stats] of result.layers.entries()) {
      assert.ok(Math.abs(stats.preActStd / Math.sqrt(variance) - 1) < 0.08, `layer ${i}: pre-activation std ${stats.preActStd} vs ${Math.sqrt(variance)}`);
      if (i < result.layers.length - 1) {
        assert.ok(Math.abs(stats.actStd / reluStd(variance) - 1) < 0.08, `layer ${i}: activation std ${stats.actStd} vs ${reluStd(variance)}`);
      }
      variance = width * varianceW * (variance / 2) + varianceB;
    }
  });

  it('describes conv → batchnorm → relu as one block: the relu input is the normalised value', async () => {
    const model = chain(
      [
        layer(0, 'conv2d', 3, 8, { bias: false, kernelSize: [3, 3] }),
        layer(1, 'batchnorm', 8, 8),
        layer(2, 'activation', null, null, { activation: 'relu' }),
        layer(3, 'flatten', null, null),
        layer(4, 'linear', 8 * 6 * 6, 10),
      ],
      'pytorch',
      [3, 8, 8],
    );
    const result = await probeModel(model, { device: 'cpu', batch: 16, dtype: 'float64' });
    const conv = result.layers[0]!;
    assert.equal(conv.activation, 'relu');
    // Batch statistics make each channel zero-mean with variance v/(v + eps), v its batch variance.
    assert.ok(Math.abs(conv.preActStd - 1) < 1e-3, `pre-activation std ${conv.preActStd}`);
    // relu of a normalised value: about half the outputs are zero, and no channel is dead for a whole batch.
    assert.ok(Math.abs(conv.zeroFraction! - 0.5) < 0.1);
    assert.equal(conv.deadFraction, 0);
  });

  it('flags a deep tanh RNN over a long sequence with small recurrent weights as vanishing through time', async () => {
    // Three Keras SimpleRNN(8) layers over 40 steps, recurrent kernels U(±0.05) ('random_uniform'); the last returns
    // only h_T, so its ∂L/∂h_{t−1} = (∂L/∂h_t ⊙ (1 − h_t²))·Uᵀ and nothing else. With |1 − h²| ≤ 1 and
    // ‖U‖₂ ≤ ‖U‖_F ≤ 8 × 0.05 = 0.4, each step back keeps at most 0.4 of the gradient: after 39 steps 0.4³⁹ ≈ 3e-16.
    const small = [arg('recurrent_initializer', 'random_uniform')];
    const model = chain(
      [
        kerasRecurrent(0, 'rnn', 4, 8, GLOROT, [...small, arg('return_sequences', true)]),
        kerasRecurrent(1, 'rnn', 8, 8, GLOROT, [...small, arg('return_sequences', true)]),
        kerasRecurrent(2, 'rnn', 8, 8, GLOROT, small),
        layer(3, 'linear', 8, 2),
      ],
      'keras',
      [40, 4],
    );
    const result = await probeModel(model, { device: 'cpu', dtype: 'float64' });
    const steps = result.layers[2]!.stepGradNorms!;
    assert.equal(steps.length, 40);
    for (let t = 1; t < steps.length; t++) assert.ok(steps[t - 1]! <= 0.4 * steps[t]! * (1 + 1e-12), `step ${t}: ${steps[t - 1]} after ${steps[t]}`);
    assert.equal(result.verdict.status, 'vanishing', result.verdict.explanation);
    assert.match(result.verdict.explanation, /^Vanishing through time: in layer 2 the gradient reaching the first of 40 steps/);
    assert.ok(result.verdict.layers.includes(2));
  });

  it('keeps the gradient norm of every step with a linear RNN on an orthogonal recurrent kernel', async () => {
    // activation='linear' and the Keras default orthogonal U: ∂L/∂h_{t−1} = ∂L/∂h_t·Uᵀ exactly, and a square
    // orthogonal U preserves the norm of every row, so all 30 steps see the same gradient norm.
    const model = chain([kerasRecurrent(0, 'rnn', 4, 16, GLOROT, [arg('activation', 'linear')]), layer(1, 'linear', 16, 2)], 'keras', [30, 4]);
    const result = await probeModel(model, { device: 'cpu', dtype: 'float64' });
    const steps = result.layers[0]!.stepGradNorms!;
    for (const norm of steps) assert.ok(Math.abs(norm / steps[steps.length - 1]! - 1) < 1e-9, `${norm} vs ${steps[steps.length - 1]}`);
    assert.notEqual(result.verdict.status, 'vanishing', result.verdict.explanation);
  });

  it('reports a stacked bidirectional LSTM level by level, with each tensor and their joint norms', async () => {
    const model = chain([torchRecurrent(0, 'lstm', 6, 8, { name: 'lstm', levels: 2, bidirectional: true, batchFirst: true }), layer(1, 'linear', 16, 3, { name: 'head' })]);
    const result = await probeModel(model, { device: 'cpu', dtype: 'float64', sequenceLength: 7 });
    assert.deepEqual(result.layers.map((l) => l.name), ['lstm_l0', 'lstm_l1', 'head']);
    const level1 = result.layers[1]!;
    assert.deepEqual(level1.tensors!.map((t) => t.name), ['weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1', 'weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse']);
    const joint = (role: 'weight' | 'bias', of: 'norm' | 'gradNorm') => Math.sqrt(level1.tensors!.filter((t) => t.role === role).reduce((sum, t) => sum + t[of] ** 2, 0));
    assert.ok(Math.abs(level1.weightNorm / joint('weight', 'norm') - 1) < 1e-12);
    assert.ok(Math.abs(level1.gradNorm / joint('weight', 'gradNorm') - 1) < 1e-12);
    assert.ok(Math.abs(level1.biasGradNorm! / joint('bias', 'gradNorm') - 1) < 1e-12);
    assert.equal(level1.stepGradNorms!.length, 7);
    assert.equal(result.layers[2]!.tensors, undefined, 'a layer with one weight keeps the plain statistics');
    assert.match(result.notes.join('\n'), /'lstm' \(nn\.LSTM, layer 0\): unrolled over 7 steps from zero initial states \(PyTorch equations, gates \(i, f, g, o\) with sigmoid, tanh candidate, 2 levels, bidirectional\); initialization weight_ih U\(±0\.354\)/);
  });

  it('gives the same report for the same seed and a different one for another seed', async () => {
    const model = mlp(4, 32, 'tanh');
    const first = await probeModel(model, { device: 'cpu', seed: 11 });
    const again = await probeModel(model, { device: 'cpu', seed: 11 });
    const other = await probeModel(model, { device: 'cpu', seed: 12 });
    assert.deepEqual(again.layers, first.layers);
    assert.ok(again.timings.sessionCached, 'the second probe of the same architecture reuses the session');
    assert.notDeepEqual(other.layers.map((l) => l.gradNorm), first.layers.map((l) => l.gradNorm));
  });
});

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7), plenty for a 0.05 tolerance.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

describe('probe initialization sampling', () => {
  const moments = (values: Float64Array) => {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    return { mean, variance: values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length, max: values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
  };
  const sample = (dist: InitDist, fanIn: number, fanOut: number, n = 200000) => {
    const out = new Float64Array(n);
    sampleInit(dist, { fanIn, fanOut }, [fanIn, n / fanIn], new Rng(1, 'w'), out);
    return out;
  };

  for (const distribution of ['uniform', 'normal', 'truncated_normal'] as const) {
    it(`variance scaling (${distribution}) has variance scale/fan`, () => {
      const values = sample({ family: 'variance_scaling', scale: 2, mode: 'fan_avg', distribution }, 100, 300);
      const { mean, variance, max } = moments(values);
      // Four standard errors of the mean: std 0.1 over 200,000 draws.
      assert.ok(Math.abs(mean) < (4 * 0.1) / Math.sqrt(values.length), `mean ${mean}`);
      assert.ok(Math.abs(variance / (2 / 200) - 1) < 0.02, `variance ${variance}`);
      if (distribution === 'uniform') assert.ok(max <= Math.sqrt(3 * 2 / 200));
      // Keras truncates the underlying normal at two of its own standard deviations.
      if (distribution === 'truncated_normal') assert.ok(max <= (2 * Math.sqrt(2 / 200)) / TRUNCATED_NORMAL_STD);
    });
  }

  it('the normal sampler (a ziggurat) has the standard normal tail probabilities', () => {
    const n = 1_000_000;
    const values = new Float64Array(n);
    new Rng(9, 'tails').fillNormal(values, 0, 1, false);
    for (const t of [0.25, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]) {
      const expected = 1 - erf(t / Math.SQRT2);
      const observed = values.reduce((count, v) => count + (Math.abs(v) > t ? 1 : 0), 0) / n;
      // Five binomial standard errors.
      assert.ok(Math.abs(observed - expected) < 5 * Math.sqrt((expected * (1 - expected)) / n), `P(|Z| > ${t}) = ${observed}, expected ${expected}`);
    }
  });

  it('sampling on the sampler threads gives exactly the arrays sampled in this thread', async () => {
    const graph = buildProbeGraph(mlp(5, 64, 'relu', HE), { batch: 8 });
    const here = sampleHere(graph, 21).feeds;
    const parallel = (await sampleInParallel(graph, 21)).feeds;
    assert.deepEqual([...parallel.keys()], [...here.keys()]);
    for (const [name, { data }] of here) assert.deepEqual(parallel.get(name)!.data, data, name);
    await stopSampler();
    assert.deepEqual((await sampleInParallel(graph, 21)).feeds.get('W0')!.data, here.get('W0')!.data, 'after a restart');
  });

  it('normal, uniform and constant', () => {
    assert.ok(Math.abs(moments(sample({ family: 'normal', mean: 0.5, std: 0.02 }, 10, 10)).mean - 0.5) < 1e-3);
    const uniform = moments(sample({ family: 'uniform', low: -0.2, high: 0.6 }, 10, 10));
    assert.ok(Math.abs(uniform.variance / (0.8 ** 2 / 12) - 1) < 0.02);
    assert.deepEqual([...new Set(sample({ family: 'constant', value: 0.1 }, 10, 10, 100))], [0.1]);
  });

  it('PyTorch recurrent and attention layers sample every tensor exactly as PyTorch initializes it', () => {
    const hidden = 64;
    const lstm = buildProbeGraph(chain([torchRecurrent(0, 'lstm', 32, hidden, { bidirectional: true })]), { batch: 2 });
    const feeds = sampleHere(lstm, 5).feeds;
    // reset_parameters: every weight and bias ~ U(±1/√hidden), variance 1/(3·hidden).
    const bound = 1 / Math.sqrt(hidden);
    for (const parameter of lstm.parameters) {
      const values = Float64Array.from(feeds.get(parameter.name)!.data);
      const { mean, variance, max } = moments(values);
      assert.ok(max <= bound, `${parameter.label}: max ${max}`);
      assert.ok(Math.abs(mean) < 5 * Math.sqrt(bound ** 2 / 3 / values.length), `${parameter.label}: mean ${mean}`);
      assert.ok(Math.abs(variance / (bound ** 2 / 3) - 1) < 0.1, `${parameter.label}: variance ${variance}`);
    }
    const embed = 48;
    const attn = layer(0, 'attention', embed, embed, { ctor: 'nn.MultiheadAttention', args: [arg(undefined, embed), arg(undefined, 4)], init: GLOROT, biasInit: { family: 'constant', value: 0 } });
    const graph = buildProbeGraph(chain([attn]), { batch: 2, sequenceLength: 3 });
    const sampled = sampleHere(graph, 5).feeds;
    const of = (label: string) => Float64Array.from(sampled.get(graph.parameters.find((p) => p.label === label)!.name)!.data);
    // xavier_uniform_ on the (3E, E) in_proj_weight: U(±√(6/(E + 3E))); out_proj keeps nn.Linear's U(±1/√E); both biases zero.
    assert.ok(Math.abs(moments(of('in_proj_weight')).max / Math.sqrt(6 / (4 * embed)) - 1) < 0.01);
    assert.ok(Math.abs(moments(of('out_proj.weight')).max / (1 / Math.sqrt(embed)) - 1) < 0.01);
    assert.ok([...of('in_proj_bias'), ...of('out_proj.bias')].every((v) => v === 0));
  });

  it('Keras and TF.js recurrent layers sample their defaults: orthogonal recurrent kernels, a forget-gate bias of one in Keras only', () => {
    const sample = (framework: 'keras' | 'tfjs') => {
      const graph = buildProbeGraph(chain([kerasRecurrent(0, 'lstm', 5, 6, GLOROT, [], framework)], framework, [3, 5]), { batch: 2, dtype: 'float64' });
      const feeds = sampleHere(graph, 2).feeds;
      return (label: string) => Float64Array.from(feeds.get(graph.parameters.find((p) => p.label === label)!.name)!.data);
    };
    const keras = sample('keras');
    // Keras bias: zeros, except ones for the forget gate, the second of the (i, f, c, o) quarters.
    assert.deepEqual([...keras('bias')], [...Array(6).fill(0), ...Array(6).fill(1), ...Array(12).fill(0)]);
    assert.ok(sample('tfjs')('bias').every((v) => v === 0));
    // The (units, 4·units) recurrent kernel from the orthogonal initializer has orthonormal rows.
    const u = keras('recurrent_kernel');
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        let dot = 0;
        for (let c = 0; c < 24; c++) dot += u[a * 24 + c]! * u[b * 24 + c]!;
        assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-12, `rows ${a}, ${b}: ${dot}`);
      }
    }
  });

  it('orthogonal gives orthonormal columns times the gain', () => {
    const rows = 40;
    const cols = 20;
    const w = new Float64Array(rows * cols);
    sampleInit({ family: 'orthogonal', gain: 2 }, { fanIn: rows, fanOut: cols }, [rows, cols], new Rng(4, 'q'), w);
    for (let a = 0; a < cols; a++) {
      for (let b = 0; b < cols; b++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += w[r * cols + a]! * w[r * cols + b]!;
        assert.ok(Math.abs(dot - (a === b ? 4 : 0)) < 1e-9, `(${a}, ${b}): ${dot}`);
      }
    }
  });
});

describe('probe memory budget', () => {
  const neverLoad: RuntimeLoaders = {
    node: () => assert.fail('the runtime must not load before the budget check'),
    web: () => assert.fail('the runtime must not load before the budget check'),
  };

  it('refuses a probe over the budget, naming the biggest layer, before loading anything', async () => {
    const model = chain([layer(0, 'linear', 64, 64, { name: 'small' }), layer(1, 'linear', 64, 4096, { name: 'wide', ctor: 'nn.Linear' }), layer(2, 'linear', 4096, 2)]);
    await assert.rejects(probeModel(model, { memoryBudget: 1024 ** 2, loaders: neverLoad }), (error: Error) => {
      assert.ok(error instanceof ProbeRefusal);
      assert.match(error.message, /memory budget; the biggest layer is 'wide' nn\.Linear \(layer 1/);
      return true;
    });
  });

  it('refuses absurd sizes at the default 2 GB budget without allocating', async () => {
    const model = chain([layer(0, 'linear', 10_000_000, 10_000_000, { name: 'huge' })]);
    const before = process.memoryUsage().rss;
    await assert.rejects(probeModel(model, { loaders: neverLoad }), /GB memory budget; the biggest layer is 'huge'/);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 ** 2);
  });

  it('rejects a batch size below 2', () => {
    assert.throws(() => buildProbeGraph(mlp(2, 4, 'relu'), { batch: 1 }), /batch size must be an integer of at least 2/);
  });
});

describe('probe device selection', function () {
  this.timeout(30000);
  const graph = () => buildProbeGraph(mlp(2, 8, 'relu'), { batch: 4 }).bytes;

  /**
   * The real onnxruntime-node with the given providers made to fail, recording every provider list asked for.
   * This machine has no GPU, so a GPU provider that is not made to fail is stood in for by the CPU one.
   */
  function failing(providers: string[], calls: string[][]): RuntimeLoaders {
    const real = DEFAULT_LOADERS.node();
    const fake: OrtModule = {
      Tensor: real.Tensor,
      InferenceSession: {
        create: async (bytes, options) => {
          const asked = options.executionProviders as string[];
          calls.push(asked);
          if (asked.some((provider) => providers.includes(provider))) throw new Error(`${asked.join(',')} is not available`);
          return real.InferenceSession.create(bytes, { ...options, executionProviders: ['cpu'] });
        },
      },
    };
    return { node: () => fake, web: DEFAULT_LOADERS.web };
  }

  it('auto tries the platform GPU provider alone, then falls back to the CPU and says so', async () => {
    const calls: string[][] = [];
    const opened = await openSession(graph(), 'auto', failing([platformGpu()], calls));
    assert.equal(opened.device, 'cpu');
    assert.deepEqual(calls, [[platformGpu()], ['cpu']]);
    assert.match(opened.fallback ?? '', /unavailable.*ran on cpu/);
  });

  it('auto uses the GPU when its provider works', async () => {
    const calls: string[][] = [];
    const opened = await openSession(graph(), 'auto', failing([], calls));
    assert.equal(opened.device, platformGpu());
    assert.deepEqual(calls, [[platformGpu()]]);
  });

  it('an explicitly requested device that fails is an error, not a silent fallback', async () => {
    await assert.rejects(openSession(graph(), 'cuda', failing(['cuda'], [])), (error: Error) => error instanceof ProbeRuntimeError && /device 'cuda'/.test(error.message));
  });

  it('falls back to the onnxruntime-web wasm backend when the native binary is missing, and runs there', async () => {
    const missing: RuntimeLoaders = {
      node: () => {
        throw new Error("Cannot find module '../bin/napi-v6/darwin/x64/onnxruntime_binding.node'");
      },
      web: DEFAULT_LOADERS.web,
    };
    const model = mlp(3, 16, 'tanh');
    const wasm = await probeModel(model, { loaders: missing, seed: 3 });
    const cpu = await probeModel(model, { device: 'cpu', seed: 3 });
    assert.equal(wasm.device, 'wasm');
    assert.match(wasm.fallback ?? '', /onnxruntime-node is unavailable/);
    wasm.layers.forEach((stats, i) => assert.ok(Math.abs(stats.gradNorm / cpu.layers[i]!.gradNorm - 1) < 1e-4));
  });

  it('maps platforms to their GPU provider', () => {
    assert.equal(platformGpu('linux'), 'cuda');
    assert.equal(platformGpu('win32'), 'dml');
    assert.equal(platformGpu('darwin'), 'coreml');
  });
});
