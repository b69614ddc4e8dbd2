// The numbers the concept notes quote, each recomputed independently: TF.js's own layers and ops, simulation, or
// arithmetic written out here. A note that changes a number without the maths changing fails here.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadNotes } from '../../../src/core/notes/store';

const { store } = loadNotes(path.join(__dirname, '../../../media/notes'));

function noteText(id: string): string {
  const note = store.get(id);
  assert.ok(note, `no note ${id}`);
  return `${note.summary}\n${note.body}`;
}

/** Asserts the note states `claim` verbatim, so the check below is about the text users read. */
function states(id: string, claim: string): void {
  assert.ok(noteText(id).includes(claim), `${id} no longer says "${claim}"`);
}

/** A deterministic uniform generator (mulberry32), so the simulations give the same result on every run. */
function uniformSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mean square of the activations after each of `depth` ReLU layers whose weights come from `sampleWeight`. */
function reluStackSecondMoments(width: number, depth: number, sampleWeight: () => number, random: () => number): number[] {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const batch = 64;
  let activations = Array.from({ length: batch }, () => Array.from({ length: width }, gaussian));
  const moments: number[] = [];
  for (let layer = 0; layer < depth; layer++) {
    const weights = Array.from({ length: width }, () => Array.from({ length: width }, sampleWeight));
    activations = activations.map((x) =>
      weights.map((row) => Math.max(0, row.reduce((sum, w, index) => sum + w * x[index]!, 0))),
    );
    moments.push(activations.flat().reduce((sum, value) => sum + value * value, 0) / (batch * width));
  }
  return moments;
}

/** Builds one layer in a one-layer model and returns its parameter count as TF.js counts it. */
function tfjsParams(layer: tf.layers.Layer, inputShape: number[]): number {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape }));
  model.add(layer);
  return layer.countParams();
}

describe('numbers quoted in the concept notes', () => {
  it('parameter counts match TF.js layers (Keras conventions) and hand arithmetic (PyTorch conventions)', () => {
    const [input, hidden, steps] = [3, 7, 5];
    states('parameter-count', '4·(h·in + h·h + h) (one bias vector)');
    assert.equal(tfjsParams(tf.layers.lstm({ units: hidden }), [steps, input]), 4 * (hidden * input + hidden * hidden + hidden));
    states('parameter-count', '3·(h·in + h·h + h) in TF.js (`resetAfter: false`)');
    assert.equal(tfjsParams(tf.layers.gru({ units: hidden }), [steps, input]), 3 * (hidden * input + hidden * hidden + hidden));
    states('parameter-count', 'h·in + h·h + h in Keras / TF.js');
    assert.equal(tfjsParams(tf.layers.simpleRNN({ units: hidden }), [steps, input]), hidden * input + hidden * hidden + hidden);
    // PyTorch's LSTM has weight_ih (4h×in), weight_hh (4h×h), bias_ih (4h) and bias_hh (4h).
    states('parameter-count', '4·(h·in + h·h + 2h) per layer and direction');
    assert.equal(4 * hidden * input + 4 * hidden * hidden + 4 * hidden + 4 * hidden, 4 * (hidden * input + hidden * hidden + 2 * hidden));
    // BatchNorm: TF.js counts γ, β and the two running statistics; LayerNorm only γ and β.
    states('parameter-count', '2C trainable (γ, β), plus 2C running mean/variance');
    const batchNorm = tf.layers.batchNormalization();
    assert.equal(tfjsParams(batchNorm, [6]), 4 * 6);
    assert.equal(batchNorm.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce((a, b) => a! * b!, 1)!, 0), 2 * 6);
    states('parameter-count', '| LayerNorm(C), GroupNorm(g, C) | 2C |');
    assert.equal(tfjsParams(tf.layers.layerNormalization(), [6]), 2 * 6);
    states('parameter-count', '| Embedding(n, d) | n·d |');
    assert.equal(tfjsParams(tf.layers.embedding({ inputDim: 11, outputDim: 5 }), [3]), 11 * 5);
    states('parameter-count', '| Conv2d(in, out, k) | (in/groups)·out·k·k + out |');
    assert.equal(tfjsParams(tf.layers.conv2d({ filters: 4, kernelSize: 3 }), [8, 8, 2]), 2 * 4 * 3 * 3 + 4);
    states('parameter-count', '`nn.Linear(784, 256)` has 784·256 + 256 = 200,960 parameters');
    assert.equal(tfjsParams(tf.layers.dense({ units: 256 }), [784]), 200_960);
    states('convolution', 'has 3·64·9 + 64 = 1,792 parameters');
    assert.equal(tfjsParams(tf.layers.conv2d({ filters: 64, kernelSize: 3 }), [32, 32, 3]), 1_792);
    // Multi-head attention: in-projection 3E×E weights + 3E biases, out-projection E×E + E.
    states('parameter-count', '4E² + 4E');
    const width = 16;
    assert.equal(3 * width * width + 3 * width + width * width + width, 4 * width * width + 4 * width);
  });

  it('shape arithmetic matches TF.js output shapes', () => {
    states('convolution', '⌊(n + 2p − d(k−1) − 1)/s⌋ + 1');
    const convSize = (n: number, k: number, s: number, p: number, d: number) => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
    const cases: [number, number, number, number][] = [[32, 3, 1, 1], [28, 5, 2, 1], [17, 3, 2, 2], [9, 3, 1, 2]];
    for (const [n, k, s, d] of cases) {
      const layer = tf.layers.conv2d({ filters: 1, kernelSize: k, strides: s, dilationRate: d, padding: 'valid' });
      const shape = layer.computeOutputShape([null, n, n, 1]) as number[];
      assert.equal(shape[1], convSize(n, k, s, 0, d), `n=${n} k=${k} s=${s} d=${d}`);
    }
    // padding=1 on a 3×3 kernel keeps 32×32: the same formula with p = 1.
    assert.equal(convSize(32, 3, 1, 1, 1), 32);
    states('flatten', '64 channels of 7×7 give 3136');
    assert.equal(tfjsParams(tf.layers.flatten(), [7, 7, 64]), 0);
    assert.deepEqual(tf.layers.flatten().computeOutputShape([null, 7, 7, 64]), [null, 3136]);
    states('flatten', "VGG's first\nclassifier layer has about 100 million");
    const vggFirstClassifier = 512 * 7 * 7 * 4096 + 4096;
    assert.ok(Math.abs(vggFirstClassifier - 100e6) / 100e6 < 0.05, String(vggFirstClassifier));
    states('pooling', 'A 2×2 max pool with stride 2 halves height and width');
    assert.deepEqual(tf.layers.maxPooling2d({ poolSize: 2 }).computeOutputShape([null, 32, 32, 8]), [null, 16, 16, 8]);
  });

  it("PyTorch's default init shrinks ReLU activations about 6× per layer, He init keeps them", () => {
    states('weight-initialization', '| PyTorch Linear/Conv default, kaiming_uniform(a=√5) | 1 / (3·fan_in) |');
    states('weight-initialization', 'with ReLU each layer scales variance by ~1/6');
    const fanIn = 128;
    // kaiming_uniform(a): gain √(2/(1+a²)), bound gain·√(3/fan_in); a uniform on ±b has variance b²/3.
    const gain = Math.sqrt(2 / (1 + 5));
    const bound = gain * Math.sqrt(3 / fanIn);
    assert.ok(Math.abs((bound * bound) / 3 - 1 / (3 * fanIn)) < 1e-12);
    const random = uniformSource(7);
    const pytorchDefault = reluStackSecondMoments(fanIn, 4, () => (2 * random() - 1) * bound, random);
    for (let layer = 1; layer < pytorchDefault.length; layer++) {
      const ratio = pytorchDefault[layer]! / pytorchDefault[layer - 1]!;
      assert.ok(Math.abs(ratio - 1 / 6) < 0.03, `layer ${layer}: ratio ${ratio}`);
    }
    states('weight-initialization', '| He / Kaiming | 2 / fan_in |');
    const heBound = Math.sqrt(3 * (2 / fanIn));
    const he = reluStackSecondMoments(fanIn, 4, () => (2 * random() - 1) * heBound, random);
    for (let layer = 1; layer < he.length; layer++) {
      const ratio = he[layer]! / he[layer - 1]!;
      assert.ok(Math.abs(ratio - 1) < 0.15, `layer ${layer}: ratio ${ratio}`);
    }
  });

  it("sigmoid's slope is at most 1/4, so ten layers scale gradients by under a millionth", () => {
    states('sigmoid', 'σ′(x) = σ(x)(1 − σ(x)) ≤ 1/4');
    const x = tf.linspace(-8, 8, 1601);
    const slope = tf.grad((input: tf.Tensor) => tf.sigmoid(input).sum())(x);
    const values = slope.dataSync();
    const largest = Math.max(...values);
    assert.ok(Math.abs(largest - 0.25) < 1e-6, String(largest));
    assert.equal(values.indexOf(largest), 800, 'the maximum is at x = 0');
    states('vanishing-exploding-gradients', 'ten sigmoid layers can shrink it a millionfold');
    assert.ok(0.25 ** 10 < 1e-6 && 0.25 ** 10 > 0.5e-6, String(0.25 ** 10));
    states('tanh', 'tanh(x) = 2σ(2x) − 1');
    const tanhGap = tf.tanh(x).sub(tf.sigmoid(x.mul(2)).mul(2).sub(1)).abs().max().dataSync()[0]!;
    assert.ok(tanhGap < 1e-6, String(tanhGap));
  });

  it('leaky ReLU gain, SELU constants, label smoothing and momentum amplification', () => {
    states('leaky-relu', 'whose gain is √(2/(1+α²))');
    // He's derivation: a leaky ReLU keeps (1 + α²)/2 of a symmetric input's second moment, so the gain is its inverse root.
    const alpha = 0.2;
    const keptSecondMoment = (1 + alpha * alpha) / 2;
    assert.ok(Math.abs(Math.sqrt(1 / keptSecondMoment) - Math.sqrt(2 / (1 + alpha * alpha))) < 1e-12);
    states('elu-selu', 'α ≈ 1.6733 and λ ≈ 1.0507');
    const selu = tf.selu(tf.tensor1d([1, -30])).dataSync();
    assert.ok(Math.abs(selu[0]! - 1.0507) < 1e-4, `λ = ${selu[0]}`);
    assert.ok(Math.abs(-selu[1]! / selu[0]! - 1.6733) < 1e-4, `α = ${-selu[1]! / selu[0]!}`);
    states('label-smoothing', 'with ε = 0.1 and 10 classes the true class gets 0.91');
    // TF.js's softmaxCrossEntropy with smoothing equals cross-entropy against (1 − ε)·onehot + ε/K.
    const logits = tf.tensor2d([[2, -1, 0.5, 0, 0, 1, -2, 0.3, 0, 0.1]]);
    const onehot = tf.oneHot(tf.tensor1d([0], 'int32'), 10).toFloat();
    const smoothed = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, 0.1).dataSync()[0]!;
    const target = onehot.mul(0.9).add(0.01);
    assert.ok(Math.abs(target.dataSync()[0]! - 0.91) < 1e-6);
    const byHand = target.mul(tf.logSoftmax(logits)).sum().neg().dataSync()[0]!;
    assert.ok(Math.abs(smoothed - byHand) < 1e-5, `${smoothed} vs ${byHand}`);
    states('sgd-momentum', 'effectively amplified up to 1/(1 − μ) = 10×');
    let velocity = 0;
    for (let step = 0; step < 500; step++) velocity = 0.9 * velocity + 1;
    assert.ok(Math.abs(velocity - 10) < 1e-9, String(velocity));
  });
});
