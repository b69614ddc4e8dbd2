import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import type { Layer, Span } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';

describe('Python front end: Keras Bidirectional and TimeDistributed', () => {
  before(async () => {
    // Marks the run as a test so the CPU backend does not print its "install tfjs-node" banner.
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  const text = `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(12, 16)),
    layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
    layers.TimeDistributed(layers.Dense(8, activation="relu")),
    layers.Bidirectional(layers.GRU(10, reset_after=False), merge_mode="sum"),
    layers.Dense(3),
])
`;
  const slice = (span: Span | undefined) => (span ? text.slice(span.start, span.end) : undefined);

  it('describes the wrapped layer with the sizes and parameters of the wrapper (checked with tfjs)', () => {
    const [model] = parsePython(text).models;
    assert.deepEqual(model!.layers.map((layer) => [layer.kind, layer.ctor, layer.wrapper?.kind, layer.wrapper?.mergeMode, layer.in, layer.out, layer.params]), [
      // Two LSTMs of 4·(32·(16 + 32) + 32) parameters, their outputs concatenated.
      ['lstm', 'layers.LSTM', 'bidirectional', 'concat', 16, 64, 12544],
      // One Dense applied at each of the 12 steps.
      ['linear', 'layers.Dense', 'time_distributed', undefined, 64, 8, 520],
      // Two GRUs of 3·(10·(8 + 10) + 10) parameters, their outputs summed.
      ['gru', 'layers.GRU', 'bidirectional', 'sum', 8, 10, 1140],
      ['linear', 'layers.Dense', undefined, undefined, 10, 3, 33],
    ]);
    // TF.js GRUs have no reset_after: they are Keras's reset_after=False. Zero recurrent kernels spare the
    // orthogonal initializer, which does not change the count.
    const reference = tf.sequential({
      layers: [
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 32, returnSequences: true, recurrentInitializer: 'zeros' }), inputShape: [12, 16] }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 8, activation: 'relu' }) }),
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 10, recurrentInitializer: 'zeros' }), mergeMode: 'sum' }),
        tf.layers.dense({ units: 3 }),
      ],
    });
    assert.equal(model!.parameterCount, 14237);
    assert.equal(model!.parameterCount, reference.countParams());
  });

  it('takes the constructor, arguments and initializers from the wrapped call and the span from the wrapper', () => {
    const [model] = parsePython(text).models;
    const [lstm, dense] = model!.layers as [Layer, Layer];
    assert.deepEqual([slice(lstm.span), slice(lstm.calleeSpan), slice(lstm.argsSpan), slice(lstm.wrapper?.calleeSpan), lstm.wrapper?.ctor], [
      'layers.Bidirectional(layers.LSTM(32, return_sequences=True))',
      'layers.LSTM',
      '32, return_sequences=True',
      'layers.Bidirectional',
      'layers.Bidirectional',
    ]);
    assert.deepEqual(lstm.args.map((arg) => [arg.name, arg.value]), [[undefined, 32], ['return_sequences', true]]);
    assert.deepEqual([lstm.activation, lstm.init?.name, lstm.init?.source, lstm.biasInit?.name], ['tanh', 'glorot_uniform', 'default', 'zeros']);
    assert.deepEqual([dense.activation, slice(dense.activationSpan)], ['relu', '"relu"']);
  });

  it('knows no output size for merge_mode=None and no count with a separate backward layer', () => {
    const program = parsePython(`import keras
from keras import layers

inputs = keras.Input(shape=(None, 6))
a = layers.Bidirectional(layers.SimpleRNN(5, return_sequences=True), merge_mode=None, name="pair")(inputs)
b = layers.Bidirectional(layers.LSTM(4), backward_layer=layers.LSTM(4, go_backwards=True))(inputs)
lstm = layers.LSTM(4)
c = layers.Bidirectional(lstm)(inputs)
model = keras.Model(inputs, [a, b, c])
`);
    const [model] = program.models;
    assert.deepEqual(model!.layers.map((layer) => [layer.name, layer.kind, layer.wrapper?.mergeMode, layer.in, layer.out, layer.params]), [
      ['pair', 'rnn', null, 6, null, 2 * (5 * (6 + 5) + 5)],
      [undefined, 'lstm', 'concat', 6, 8, null],
      // A wrapped layer held in a variable is not followed: the wrapper stays a layer the IR cannot see into.
      [undefined, 'unknown', undefined, null, null, null],
    ]);
  });
});
