// Layers, activations, norms and losses as the probe builds them from the IR, each checked against
// finite differences of the loss with respect to every parameter.
import * as assert from 'node:assert/strict';
import type { ActivationFn, FlowNode, Model } from '../../../src/core/ir/types';
import { buildProbeGraph, ProbeGraphError } from '../../../src/core/probe/build';
import { checkModelGradients, gradientsOf, lossInfo, SPAN } from './model-harness';
import { arg, chain, kerasRecurrent, layer, torchRecurrent } from './models';

const GLOROT = { family: 'variance_scaling' as const, scale: 1, mode: 'fan_avg' as const, distribution: 'uniform' as const };

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

  describe('sequence layers (5 steps)', () => {
    const steps = { sequenceLength: 5 };
    const tokens = (padding?: number) =>
      layer(0, 'embedding', 11, 4, { ctor: 'nn.Embedding', name: 'embed', bias: false, init: { family: 'normal', mean: 0, std: 1 }, args: [arg(undefined, 11), arg(undefined, 4), ...(padding === undefined ? [] : [arg('padding_idx', padding)])] });

    it('PyTorch embedding with a padding index: the row is zero, never drawn, and gets no gradient', async () => {
      const model = chain([tokens(3), layer(1, 'linear', 4, 3)]);
      await checkModelGradients(model, steps);
      const run = await gradientsOf(model, { ...steps, batch: 64 });
      const ids = run.feeds.x!;
      assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < 11 && id !== 3), 'ids are whole, in the vocabulary, never the padding index');
      assert.equal(new Set(ids).size, 10, 'every other id appears in 320 draws');
      const table = run.feeds['W0']!;
      const gradient = run.gradients['W0']!;
      for (let j = 0; j < 4; j++) {
        assert.equal(table[3 * 4 + j], 0);
        assert.equal(gradient[3 * 4 + j], 0);
      }
    });
    it('Keras embedding with mask_zero never draws id 0 and keeps the uniform default', async () => {
      const embed = layer(0, 'embedding', 7, 3, { ctor: 'layers.Embedding', bias: false, init: { family: 'uniform', low: -0.05, high: 0.05 }, args: [arg(undefined, 7), arg(undefined, 3), arg('mask_zero', true)] });
      const model = { ...chain([embed, layer(1, 'flatten', null, null), layer(2, 'linear', null, 2)], 'keras'), inputShape: [6] };
      await checkModelGradients(model);
      const run = await gradientsOf(model, { batch: 64 });
      assert.ok(run.feeds.x!.every((id) => id >= 1 && id < 7));
      assert.ok(run.feeds['W0']!.every((w) => Math.abs(w) <= 0.05));
    });
    it('PyTorch tanh RNN, 2 levels, bidirectional', async () => checkModelGradients(chain([torchRecurrent(0, 'rnn', 3, 4, { levels: 2, bidirectional: true }), layer(1, 'linear', 8, 2)]), steps));
    it('PyTorch ReLU RNN without biases', async () => checkModelGradients(chain([torchRecurrent(0, 'rnn', 3, 4, { nonlinearity: 'relu', bias: false }), layer(1, 'linear', 4, 2)]), steps));
    it('PyTorch LSTM, 2 levels, bidirectional, batch first, after an embedding', async () =>
      checkModelGradients(chain([tokens(), torchRecurrent(1, 'lstm', 4, 3, { levels: 2, bidirectional: true, batchFirst: true }), layer(2, 'linear', 6, 2)]), steps));
    it('PyTorch GRU, 2 levels (reset gate on h·W_hn + b_hn)', async () => checkModelGradients(chain([torchRecurrent(0, 'gru', 3, 4, { levels: 2 }), layer(1, 'linear', 4, 2)]), steps));
    it('Keras SimpleRNN returning its last step', async () =>
      checkModelGradients({ ...chain([kerasRecurrent(0, 'rnn', 3, 4, GLOROT), layer(1, 'linear', 4, 2)], 'keras'), inputShape: [5, 3] }, { loss: lossInfo('cross_entropy') }));
    it('Keras LSTM (sigmoid gates, unit forget bias) returning sequences', async () =>
      checkModelGradients({ ...chain([kerasRecurrent(0, 'lstm', 3, 4, GLOROT, [arg('return_sequences', true)]), layer(1, 'linear', 4, 2)], 'keras'), inputShape: [5, 3] }));
    it('Keras GRU with reset_after (one two-row bias)', async () =>
      checkModelGradients({ ...chain([kerasRecurrent(0, 'gru', 3, 4, GLOROT), layer(1, 'linear', 4, 2)], 'keras'), inputShape: [5, 3] }));
    it('TF.js GRU (reset before h·W_hh) and LSTM with hard-sigmoid gates', async () => {
      const model = chain([kerasRecurrent(0, 'gru', 3, 4, GLOROT, [arg('returnSequences', true)], 'tfjs'), kerasRecurrent(1, 'lstm', 4, 4, GLOROT, [], 'tfjs'), layer(2, 'linear', 4, 2)], 'tfjs');
      await checkModelGradients({ ...model, inputShape: [5, 3] });
    });
    it('a Keras Conv1D output (channels last) feeding an LSTM', async () => {
      const conv = layer(0, 'conv1d', 3, 4, { ctor: 'layers.Conv1D', kernelSize: [2], init: GLOROT, biasInit: { family: 'constant', value: 0 } });
      const model = { ...chain([conv, kerasRecurrent(1, 'lstm', 4, 3, GLOROT), layer(2, 'linear', 3, 2)], 'keras'), inputShape: [6, 3] };
      await checkModelGradients(model, { dtype: 'float32', batch: 3, step: 1e-3 });
    });
    it('Keras global average pooling over the steps of an LSTM sequence', async () => {
      const pool = layer(1, 'pooling', null, null, { ctor: 'layers.GlobalAveragePooling1D' });
      await checkModelGradients({ ...chain([kerasRecurrent(0, 'lstm', 3, 4, GLOROT, [arg('return_sequences', true)]), pool, layer(2, 'linear', 4, 2)], 'keras'), inputShape: [5, 3] });
    });
    it('a Keras embedding into a Conv1D (channels last) and global max pooling (float32)', async () => {
      const embed = layer(0, 'embedding', 9, 3, { ctor: 'layers.Embedding', bias: false, init: { family: 'uniform', low: -0.5, high: 0.5 }, args: [arg(undefined, 9), arg(undefined, 3)] });
      const conv = layer(1, 'conv1d', 3, 4, { ctor: 'layers.Conv1D', kernelSize: [2], init: GLOROT, biasInit: { family: 'constant', value: 0 } });
      const pool = layer(2, 'pooling', null, null, { ctor: 'layers.GlobalMaxPooling1D' });
      const model = { ...chain([embed, conv, pool, layer(3, 'linear', 4, 2)], 'keras'), inputShape: [6] };
      await checkModelGradients(model, { dtype: 'float32', batch: 3, step: 1e-3 });
    });
    it('PyTorch MultiheadAttention (packed in_proj_weight)', async () => {
      const attn = layer(0, 'attention', 8, 8, { ctor: 'nn.MultiheadAttention', args: [arg(undefined, 8), arg(undefined, 2), arg('batch_first', true)], init: GLOROT, biasInit: { family: 'constant', value: 0 }, bias: true });
      await checkModelGradients(chain([attn, layer(1, 'linear', 8, 2)]), steps);
    });
    it('Keras MultiHeadAttention with key_dim and value_dim apart from E/heads', async () => {
      const attn = layer(0, 'attention', null, null, { ctor: 'layers.MultiHeadAttention', args: [arg(undefined, 3), arg(undefined, 2), arg('value_dim', 5)] });
      await checkModelGradients({ ...chain([attn, layer(1, 'linear', null, 2)], 'keras'), inputShape: [4, 6] });
    });
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
      const model = chain([layer(0, 'linear', 4, 4), layer(1, 'conv3d', 4, 4, { name: 'volume', ctor: 'nn.Conv3d' })]);
      assert.throws(() => buildProbeGraph(model), (error: Error) => error instanceof ProbeGraphError && /'volume' \(nn\.Conv3d, layer 1\).*'conv3d'/.test(error.message));
    });
    it('names the attention layers it cannot build yet', () => {
      const encoder = layer(0, 'attention', 8, 8, { name: 'encoder', ctor: 'nn.TransformerEncoderLayer', args: [arg(undefined, 8), arg(undefined, 2)] });
      assert.throws(() => buildProbeGraph(chain([encoder, layer(1, 'linear', 8, 2)])), /'encoder' \(nn\.TransformerEncoderLayer, layer 0\): nn\.TransformerEncoderLayer is not supported/);
      const attn = layer(1, 'attention', 4, 4, { name: 'cross', ctor: 'nn.MultiheadAttention', args: [arg(undefined, 4), arg(undefined, 2)] });
      const flow: FlowNode[] = [
        { id: 0, op: 'input', inputs: [], span: SPAN },
        { id: 1, op: 'layer', layer: 0, inputs: [0], span: SPAN },
        { id: 2, op: 'layer', layer: 1, inputs: [1, 0], span: SPAN },
        { id: 3, op: 'output', inputs: [2], span: SPAN },
      ];
      const cross = { ...chain([torchRecurrent(0, 'gru', 4, 4, { batchFirst: true }), attn]), flow, flowKnown: true };
      assert.throws(() => buildProbeGraph(cross), /'cross' \(nn\.MultiheadAttention, layer 1\): only self-attention/);
    });
    it('names the recurrent options it cannot build yet', () => {
      const wrapped = layer(0, 'unknown', null, null, { ctor: 'layers.Bidirectional' });
      assert.throws(() => buildProbeGraph({ ...chain([wrapped, layer(1, 'linear', 8, 2)], 'keras'), inputShape: [5, 3] }), /\(layers\.Bidirectional, layer 0\): this layer type cannot be probed yet/);
      const backwards = kerasRecurrent(0, 'lstm', 3, 4, GLOROT, [arg('go_backwards', true)]);
      assert.throws(() => buildProbeGraph({ ...chain([backwards], 'keras'), inputShape: [5, 3] }), /\(layers\.LSTM, layer 0\): go_backwards is not supported/);
      const projected = torchRecurrent(0, 'lstm', 3, 4, { name: 'lstm' });
      projected.args.push(arg('proj_size', 2));
      assert.throws(() => buildProbeGraph(chain([projected])), /'lstm' \(nn\.LSTM, layer 0\): LSTM projections/);
    });
    it('refuses sequence layers fed the wrong shape, and token ids fed past the embedding', () => {
      assert.throws(() => buildProbeGraph(chain([layer(0, 'linear', 4, 4), torchRecurrent(1, 'lstm', 4, 4, { name: 'rnn' })])), /'rnn' \(nn\.LSTM, layer 1\): it expects a \(batch, steps, features\) input but receives \[64, 4\]/);
      assert.throws(() => buildProbeGraph(chain([torchRecurrent(0, 'gru', 3, 4, { name: 'gru' })]), { inputShape: [3] }), /'gru' \(nn\.GRU, layer 0\): it needs a \(steps, features\) input per sample/);
      const embed = layer(1, 'embedding', 10, 4, { name: 'embed', ctor: 'nn.Embedding', bias: false });
      assert.throws(() => buildProbeGraph(chain([layer(0, 'linear', 4, 4), embed])), /'embed' \(nn\.Embedding, layer 1\): an embedding reads token ids/);
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
