// Whole-model gradients from the probe's ONNX backward pass (float64) against tfjs autodiff with the same
// weights and batch. tfjs's CPU backend computes in float32 only, so its own rounding (about 1e-7 per op)
// bounds the agreement; 1e-5 relative is well above that and far below any wrong-gradient error.
import * as assert from 'node:assert/strict';
import type { Model } from '../../../src/core/ir/types';
import type { LossKind } from '../../../src/core/probe/build';
import { gradientsOf, lossInfo } from './model-harness';
import { chain, layer, mlp } from './models';
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

async function compare(model: Model, loss: LossKind, batch = 16): Promise<void> {
  const kind = loss === 'cross_entropy' ? 'cross_entropy' : loss === 'mse' ? 'mse' : 'bce_with_logits';
  const probe = await gradientsOf(model, { loss: lossInfo(kind), batch });
  const feeds = Object.fromEntries(Object.entries(probe.feeds).map(([name, data]) => [name, { data, dims: probe.shapes[name]! }]));
  const reference = referenceGradients(model, probe.graph.loss.kind, feeds);
  assert.ok(Math.abs(probe.loss - reference.loss) <= 1e-5 * Math.abs(probe.loss), `loss ${probe.loss} vs tfjs ${reference.loss}`);
  for (const parameter of probe.graph.parameters) {
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
});
