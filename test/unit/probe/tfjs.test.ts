// Whole-model gradients from the probe's ONNX backward pass (float64) against tfjs autodiff with the same
// weights and batch. tfjs's CPU backend computes in float32 only, so its own rounding (about 1e-7 per op)
// bounds the agreement; 1e-5 relative is well above that and far below any wrong-gradient error.
import * as assert from 'node:assert/strict';
import type { Model } from '../../../src/core/ir/types';
import type { LossKind } from '../../../src/core/probe/build';
import { gradientsOf, lossInfo } from './model-harness';
import { arg, chain, kerasRecurrent, layer, mlp, torchRecurrent } from './models';
import { cpuBackend, referenceGradients } from './tfjs-reference';

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i]! - b[i]!) ** 2;
    norm += a[i]! ** 2;
  }
  return Math.sqrt(difference / norm);
}

function norm(values: ArrayLike<number>): number {
  return Math.sqrt(Array.from(values).reduce((sum, v) => sum + v * v, 0));
}

/**
 * `zero` names tensors whose gradient is zero by the math: both sides must be negligible against the largest
 * gradient (float64 rounding for the probe, float32 for tfjs), as a relative error there compares noise.
 */
async function compare(model: Model, loss: LossKind, batch = 16, sequenceLength?: number, zero: string[] = []): Promise<void> {
  const kind = loss === 'cross_entropy' ? 'cross_entropy' : loss === 'mse' ? 'mse' : 'bce_with_logits';
  const probe = await gradientsOf(model, { loss: lossInfo(kind), batch, ...(sequenceLength ? { sequenceLength } : {}) });
  const feeds = Object.fromEntries(Object.entries(probe.feeds).map(([name, data]) => [name, { data, dims: probe.shapes[name]! }]));
  const reference = referenceGradients(model, probe.graph.loss.kind, feeds);
  assert.ok(Math.abs(probe.loss - reference.loss) <= 1e-5 * Math.abs(probe.loss), `loss ${probe.loss} vs tfjs ${reference.loss}`);
  const largest = Math.max(...probe.graph.parameters.map((p) => norm(probe.gradients[p.name]!)));
  for (const parameter of probe.graph.parameters) {
    if (zero.includes(parameter.name)) {
      assert.ok(norm(probe.gradients[parameter.name]!) <= 1e-12 * largest, `${parameter.name}: probe gradient ${norm(probe.gradients[parameter.name]!)}`);
      assert.ok(norm(reference.gradients[parameter.name]!) <= 1e-5 * largest, `${parameter.name}: tfjs gradient ${norm(reference.gradients[parameter.name]!)}`);
      continue;
    }
    const error = relativeError(probe.gradients[parameter.name]!, reference.gradients[parameter.name]!);
    assert.ok(error <= 1e-5, `${parameter.name}: relative error ${error}`);
  }
}

describe('probe gradients vs tfjs autodiff', function () {
  this.timeout(30000);
  before(cpuBackend);

  it('an 8-layer tanh MLP with cross-entropy', async () => compare(mlp(8, 32, 'tanh', undefined, { inSize: 20, out: 10 }), 'cross_entropy'));
  it('a 6-layer ReLU MLP with He init and MSE', async () =>
    compare(mlp(6, 48, 'relu', { family: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'normal' }, { inSize: 12, out: 3 }), 'mse'));
  it('layernorm and batchnorm between sigmoid and ELU layers, BCE from logits', async () => {
    const model = chain([
      layer(0, 'linear', 10, 24),
      layer(1, 'layernorm', 24, 24),
      layer(2, 'activation', null, null, { activation: 'sigmoid' }),
      layer(3, 'linear', 24, 24, { bias: false }),
      layer(4, 'batchnorm', 24, 24),
      layer(5, 'activation', null, null, { activation: 'elu' }),
      layer(6, 'dropout', null, null),
      layer(7, 'linear', 24, 1),
    ]);
    await compare(model, 'bce_with_logits');
  });
  it('Keras dense layers with fused activations (Glorot truncated normal, zero bias)', async () => {
    const glorot = { family: 'variance_scaling' as const, scale: 1, mode: 'fan_avg' as const, distribution: 'truncated_normal' as const };
    const model = chain(
      [layer(0, 'linear', 16, 32, { activation: 'leaky_relu', init: glorot }), layer(1, 'linear', null, 32, { activation: 'silu', init: glorot }), layer(2, 'linear', null, 5, { init: glorot })],
      'keras',
    );
    await compare(model, 'cross_entropy');
  });

  describe('sequence layers', () => {
    const GLOROT = { family: 'variance_scaling' as const, scale: 1, mode: 'fan_avg' as const, distribution: 'uniform' as const };
    const GLOROT_NORMAL_TFJS = { family: 'variance_scaling' as const, scale: 0.7737413035499233, mode: 'fan_avg' as const, distribution: 'truncated_normal' as const };
    const embedding = (framework: 'pytorch' | 'tfjs', vocabulary: number, dim: number, args = [arg(undefined, vocabulary), arg(undefined, dim)]) =>
      layer(0, 'embedding', vocabulary, dim, {
        ctor: framework === 'pytorch' ? 'nn.Embedding' : 'tf.layers.embedding',
        bias: false,
        init: framework === 'pytorch' ? { family: 'normal', mean: 0, std: 1 } : { family: 'uniform', low: -0.05, high: 0.05 },
        args,
      });

    it('PyTorch embedding (padding index) into a 2-level bidirectional LSTM', async () => {
      const model = chain([
        embedding('pytorch', 20, 6, [arg(undefined, 20), arg(undefined, 6), arg('padding_idx', 0)]),
        torchRecurrent(1, 'lstm', 6, 5, { levels: 2, bidirectional: true, batchFirst: true }),
        layer(2, 'linear', 10, 3),
      ]);
      await compare(model, 'mse', 8, 6);
    });
    it('PyTorch tanh RNN (bidirectional) into a 2-level GRU', async () => {
      const model = chain([torchRecurrent(0, 'rnn', 4, 6, { bidirectional: true }), torchRecurrent(1, 'gru', 12, 5, { levels: 2 }), layer(2, 'linear', 5, 2)]);
      await compare(model, 'mse', 8, 6);
    });
    it('PyTorch MultiheadAttention between linear layers', async () => {
      const attn = layer(1, 'attention', 12, 12, { ctor: 'nn.MultiheadAttention', args: [arg(undefined, 12), arg(undefined, 3), arg('batch_first', true)], init: GLOROT, biasInit: { family: 'constant', value: 0 } });
      const model = { ...chain([layer(0, 'linear', 5, 12), attn, layer(2, 'linear', 12, 2)]), inputShape: [7, 5] };
      await compare(model, 'mse', 8);
    });
    it('TF.js embedding into an LSTM and a SimpleRNN with cross-entropy (tfjs-layers cells)', async () => {
      const model = chain(
        [
          embedding('tfjs', 30, 6, [arg('inputDim', 30), arg('outputDim', 6)]),
          kerasRecurrent(1, 'lstm', 6, 8, GLOROT_NORMAL_TFJS, [arg('returnSequences', true)], 'tfjs'),
          kerasRecurrent(2, 'rnn', 8, 7, GLOROT_NORMAL_TFJS, [], 'tfjs'),
          layer(3, 'linear', 7, 4, { init: GLOROT_NORMAL_TFJS, biasInit: { family: 'constant', value: 0 } }),
        ],
        'tfjs',
        [6],
      );
      await compare(model, 'cross_entropy');
    });
    it('a TF.js GRU (reset before, hard-sigmoid gates) with tfjs-layers cells', async () => {
      const model = chain([kerasRecurrent(0, 'gru', 4, 6, GLOROT_NORMAL_TFJS, [arg('returnSequences', true)], 'tfjs'), layer(1, 'linear', 6, 2)], 'tfjs', [6, 4]);
      await compare(model, 'mse');
    });
    it('a Keras LSTM (sigmoid gates, unit forget bias) with tfjs-layers cells', async () => {
      const model = chain([kerasRecurrent(0, 'lstm', 4, 6, GLOROT), layer(1, 'linear', 6, 3)], 'keras', [6, 4]);
      await compare(model, 'cross_entropy');
    });
    it('a Keras GRU with reset_after, returning sequences', async () => {
      const model = chain([kerasRecurrent(0, 'gru', 4, 6, GLOROT, [arg('return_sequences', true)]), layer(1, 'linear', 6, 2)], 'keras', [6, 4]);
      await compare(model, 'mse');
    });
    it('a Keras MultiHeadAttention with key_dim apart from E/heads (the key bias gets no gradient)', async () => {
      const attn = layer(0, 'attention', null, null, { ctor: 'layers.MultiHeadAttention', args: [arg(undefined, 2), arg(undefined, 3)] });
      const model = chain([attn, layer(1, 'linear', null, 2)], 'keras', [5, 8]);
      // A key bias b adds q·b to every score of query q: a constant shift per softmax row, which the softmax ignores.
      await compare(model, 'mse', 16, undefined, ['p0.key/bias']);
    });
  });
});
