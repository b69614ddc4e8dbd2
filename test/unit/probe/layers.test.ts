// Layers, activations, norms and losses as the probe builds them from the IR, each checked against
// finite differences of the loss with respect to every parameter.
import * as assert from 'node:assert/strict';
import type { ActivationFn, FlowNode, Model } from '../../../src/core/ir/types';
import { buildProbeGraph, ProbeGraphError } from '../../../src/core/probe/build';
import { checkModelGradients, lossInfo, SPAN } from './model-harness';
import { chain, layer } from './models';

function small(activation: ActivationFn, out = 3, extra: ReturnType<typeof layer>[] = []): Model {
  return chain([layer(0, 'linear', 5, 6), layer(1, 'activation', null, null, { activation }), layer(2, 'linear', 6, out), ...extra]);
}

describe('probe layers (finite differences through whole models)', function () {
  this.timeout(30000);

  const activations: ActivationFn[] = ['relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'logsigmoid', 'silu', 'mish', 'exp'];
  for (const fn of activations) {
    it(`activation ${fn}`, async () => checkModelGradients(small(fn)));
  }
  it('activation gelu (its erf runs in float32)', async () => checkModelGradients(small('gelu'), { step: 1e-3, tolerance: 1e-3 }));

  it('layernorm', async () => {
    const model = chain([layer(0, 'linear', 5, 6), layer(1, 'layernorm', 6, 6), layer(2, 'activation', null, null, { activation: 'tanh' }), layer(3, 'linear', 6, 3)]);
    await checkModelGradients(model);
  });

  it('batchnorm in training mode (batch statistics)', async () => {
    const model = chain([layer(0, 'linear', 5, 6), layer(1, 'batchnorm', 6, 6), layer(2, 'activation', null, null, { activation: 'relu' }), layer(3, 'linear', 6, 3)]);
    await checkModelGradients(model, { batch: 6 });
  });

  it('Keras dense layers with fused activations', async () => {
    const model = chain([layer(0, 'linear', 5, 6, { activation: 'tanh' }), layer(1, 'linear', null, 3, { activation: 'sigmoid' })], 'keras');
    await checkModelGradients(model);
  });

  it('a rank-3 input through linear layers (MatMul + Add)', async () => {
    const model = chain([layer(0, 'linear', 4, 6), layer(1, 'activation', null, null, { activation: 'relu' }), layer(2, 'linear', 6, 2)], 'pytorch', [3, 4]);
    await checkModelGradients(model);
  });

  it('a residual block from the flow graph', async () => {
    const model = chain([layer(0, 'linear', 5, 5), layer(1, 'linear', 5, 5), layer(2, 'linear', 5, 2)]);
    const flow: FlowNode[] = [
      { id: 0, op: 'input', inputs: [], span: SPAN },
      { id: 1, op: 'layer', layer: 0, inputs: [0], span: SPAN },
      { id: 2, op: 'activation', activation: 'relu', inputs: [1], span: SPAN },
      { id: 3, op: 'layer', layer: 1, inputs: [2], span: SPAN },
      { id: 4, op: 'add', inputs: [3, 0], span: SPAN },
      { id: 5, op: 'dropout', rate: 0.1, inputs: [4], span: SPAN },
      { id: 6, op: 'layer', layer: 2, inputs: [5], span: SPAN },
      { id: 7, op: 'output', inputs: [6], span: SPAN },
    ];
    await checkModelGradients({ ...model, flow, flowKnown: true });
  });

  it('conv2d, batchnorm, max pooling and flatten (float32)', async () => {
    const model = chain(
      [
        layer(0, 'conv2d', 2, 3, { bias: false, kernelSize: [3, 3], args: [{ name: 'padding', value: 1, span: SPAN, valueSpan: SPAN, text: '1' }] }),
        layer(1, 'batchnorm', 3, 3),
        layer(2, 'activation', null, null, { activation: 'relu' }),
        layer(3, 'pooling', null, null, { ctor: 'nn.MaxPool2d', kernelSize: [2, 2] }),
        layer(4, 'flatten', null, null),
        layer(5, 'linear', 3 * 2 * 2, 2),
      ],
      'pytorch',
      [2, 5, 5],
    );
    await checkModelGradients(model, { dtype: 'float32', batch: 3, step: 1e-3 });
  });

  it('conv1d with stride 2 and average pooling (float32)', async () => {
    const stride = { name: 'stride', value: 2, span: SPAN, valueSpan: SPAN, text: '2' };
    const model = chain(
      [
        layer(0, 'conv1d', 2, 3, { kernelSize: [3], args: [stride] }),
        layer(1, 'activation', null, null, { activation: 'tanh' }),
        layer(2, 'pooling', null, null, { ctor: 'nn.AvgPool1d', kernelSize: [2] }),
        layer(3, 'flatten', null, null),
        layer(4, 'linear', 6, 2),
      ],
      'pytorch',
      [2, 12],
    );
    await checkModelGradients(model, { dtype: 'float32', batch: 3, step: 1e-3 });
  });

  describe('losses', () => {
    const dropout = layer(3, 'dropout', null, null);
    it('cross-entropy on logits', async () => checkModelGradients(small('tanh', 4), { loss: lossInfo('cross_entropy') }));
    it('NLL on log-probabilities', async () => checkModelGradients(small('tanh', 4, [layer(3, 'activation', null, null, { activation: 'log_softmax' })]), { loss: lossInfo('nll') }));
    it('categorical cross-entropy after a softmax (fused into log-softmax)', async () =>
      checkModelGradients(small('tanh', 4, [layer(3, 'activation', null, null, { activation: 'softmax' })]), { loss: lossInfo('categorical_crossentropy', false) }));
    it('categorical cross-entropy on probabilities (explicit log)', async () =>
      checkModelGradients(small('tanh', 4, [layer(3, 'activation', null, null, { activation: 'softmax' }), { ...dropout, index: 4 }]), { loss: lossInfo('categorical_crossentropy', false) }));
    it('binary cross-entropy from logits', async () => checkModelGradients(small('relu', 1), { loss: lossInfo('binary_crossentropy', true) }));
    it('binary cross-entropy on a sigmoid output (fused)', async () =>
      checkModelGradients(small('relu', 1, [layer(3, 'activation', null, null, { activation: 'sigmoid' })]), { loss: lossInfo('bce') }));
    it('binary cross-entropy on probabilities (explicit logs)', async () =>
      checkModelGradients(small('relu', 2, [layer(3, 'activation', null, null, { activation: 'sigmoid' }), { ...dropout, index: 4 }]), { loss: lossInfo('bce') }));
    it('MSE', async () => checkModelGradients(small('elu', 3), { loss: lossInfo('mse') }));
    it('a loss the probe does not model falls back to MSE and says so', () => {
      const graph = buildProbeGraph(small('relu'), { loss: lossInfo('huber') });
      assert.equal(graph.loss.kind, 'mse');
      assert.match(graph.loss.note ?? '', /not modelled/);
    });
  });

  describe('clear refusals', () => {
    it('names a layer it cannot build, with its kind', () => {
      const model = chain([layer(0, 'linear', 4, 4), layer(1, 'lstm', 4, 4, { name: 'rnn', ctor: 'nn.LSTM' })]);
      assert.throws(() => buildProbeGraph(model), (error: Error) => error instanceof ProbeGraphError && /'rnn' \(nn\.LSTM, layer 1\).*'lstm'/.test(error.message));
    });
    it('names an activation it cannot build', () => {
      assert.throws(() => buildProbeGraph(small('hardswish')), /activation 'hardswish' is not supported/);
    });
    it('asks for --input-size when the input size is unknown', () => {
      const model = chain([layer(0, 'conv2d', 3, 8, { kernelSize: [3, 3] })]);
      assert.throws(() => buildProbeGraph(model), /input size unknown.*--input-size C,H,W/);
    });
    it('reports a size mismatch between layers', () => {
      const model = chain([layer(0, 'linear', 4, 8), layer(1, 'linear', 6, 2, { name: 'head' })]);
      assert.throws(() => buildProbeGraph(model), /'head'.*expects 6 input features but receives 8/);
    });
    it('refuses opaque operations in the flow', () => {
      const model = chain([layer(0, 'linear', 4, 4)]);
      const flow: FlowNode[] = [
        { id: 0, op: 'input', inputs: [], span: SPAN },
        { id: 1, op: 'opaque', label: 'scaled_dot_product_attention', inputs: [0], span: SPAN },
        { id: 2, op: 'layer', layer: 0, inputs: [1], span: SPAN },
        { id: 3, op: 'output', inputs: [2], span: SPAN },
      ];
      assert.throws(() => buildProbeGraph({ ...model, flow, flowKnown: true }), /scaled_dot_product_attention/);
    });
  });
});
