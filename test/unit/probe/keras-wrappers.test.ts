// Keras wrappers as the probe builds them from the front end's IR: a Bidirectional recurrent layer against
// tfjs-layers' own Bidirectional wrapper (forward and backward cells joined by concatenation) set to the probe's
// weights, and TimeDistributed around a layer that reads only the last axis.
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parsePython } from '../../../src/core/parse/python';
import { checkModelGradients, gradientsOf, lossInfo, type GradientRun } from './model-harness';
import { cpuBackend } from './tfjs-reference';

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i]! - b[i]!) ** 2;
    norm += a[i]! ** 2;
  }
  return Math.sqrt(difference / norm);
}

function model(cell: 'LSTM' | 'SimpleRNN', sequences: boolean) {
  const program = parsePython(`import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(5, 3)),
    layers.Bidirectional(layers.${cell}(4, return_sequences=${sequences ? 'True' : 'False'})),
    layers.Dense(2),
])
`);
  return program.models[0]!;
}

/** The loss and gradients tfjs computes for the same weights, batch and MSE loss. */
function reference(run: GradientRun, cell: 'LSTM' | 'SimpleRNN', sequences: boolean): { loss: number; gradients: Record<string, Float32Array> } {
  const tensor = (name: string) => tf.tensor(Float32Array.from(run.feeds[name]!), run.shapes[name]);
  const options = { units: 4, returnSequences: sequences, kernelInitializer: 'zeros' as const, recurrentInitializer: 'zeros' as const };
  const inner = cell === 'LSTM' ? tfl.layers.lstm({ ...options, recurrentActivation: 'sigmoid' }) : tfl.layers.simpleRNN(options);
  const wrapper = tfl.layers.bidirectional({ layer: inner as tfl.layers.RNN, mergeMode: 'concat' });
  tf.dispose(wrapper.apply(tf.zeros([1, 5, 3])) as tf.Tensor);
  const labels = ['forward/kernel', 'forward/recurrent_kernel', 'forward/bias', 'backward/kernel', 'backward/recurrent_kernel', 'backward/bias'].map((label) => `p0.${label}`);
  wrapper.setWeights(labels.map(tensor));
  const variables: Record<string, tf.Variable> = Object.fromEntries(wrapper.trainableWeights.map((weight, i) => [labels[i]!, weight.read() as tf.Variable]));
  variables['W1'] = tf.variable(tensor('W1'));
  variables['b1'] = tf.variable(tensor('b1'));
  const x = tensor('x');
  const target = tensor('target');
  const f = () => {
    const h = wrapper.apply(x) as tf.Tensor;
    const rows = tf.reshape(h, [-1, 8]);
    const out = tf.add(tf.matMul(rows, variables['W1']!), variables['b1']!);
    return tf.mean(tf.square(tf.sub(tf.reshape(out, target.shape), target))) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(f, Object.values(variables));
  const gradients = Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, grads[variable.name]!.dataSync() as Float32Array]));
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads), variables['W1']!, variables['b1']!, x, target]);
  wrapper.dispose();
  return { loss, gradients };
}

describe('probe: Keras Bidirectional and TimeDistributed', function () {
  this.timeout(30000);
  before(cpuBackend);

  for (const [cell, sequences] of [['LSTM', true], ['LSTM', false], ['SimpleRNN', false]] as const) {
    it(`Bidirectional(${cell}(4, return_sequences=${sequences})) into a Dense head`, async () => {
      const keras = model(cell, sequences);
      assert.equal(keras.layers[0]!.wrapper?.kind, 'bidirectional');
      const run = await gradientsOf(keras, { loss: lossInfo('mse'), batch: 6 });
      assert.deepEqual(
        run.graph.parameters.map((parameter) => parameter.name),
        ['p0.forward/kernel', 'p0.forward/recurrent_kernel', 'p0.forward/bias', 'p0.backward/kernel', 'p0.backward/recurrent_kernel', 'p0.backward/bias', 'W1', 'b1'],
      );
      const expected = reference(run, cell, sequences);
      // tfjs computes in float32: 1e-5 relative is well above its rounding and far below a wrong gradient.
      assert.ok(Math.abs(run.loss - expected.loss) <= 1e-5 * Math.abs(run.loss), `loss ${run.loss} vs tfjs ${expected.loss}`);
      for (const [name, gradient] of Object.entries(expected.gradients)) {
        const error = relativeError(run.gradients[name]!, gradient);
        assert.ok(error <= 1e-5, `${name}: relative error ${error}`);
      }
    });
  }

  it('refuses merge modes other than concat', async () => {
    const program = parsePython(`import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(5, 3)), layers.Bidirectional(layers.LSTM(4), merge_mode="sum"), layers.Dense(2)])
`);
    await assert.rejects(gradientsOf(program.models[0]!), /Bidirectional with merge_mode sum is not supported by the probe yet \(concat is\)/);
  });

  it('probes TimeDistributed(Dense) as the Dense it applies at every step, and refuses it around a convolution', async () => {
    const program = parsePython(`import keras
from keras import layers

dense = keras.Sequential([keras.Input(shape=(5, 3)), layers.TimeDistributed(layers.Dense(4, activation="tanh")), layers.Flatten(), layers.Dense(2)])
conv = keras.Sequential([keras.Input(shape=(5, 8, 8, 1)), layers.TimeDistributed(layers.Conv2D(4, 3)), layers.Flatten(), layers.Dense(1)])
`);
    const [dense, conv] = program.models;
    await checkModelGradients(dense!);
    await assert.rejects(gradientsOf(conv!), /layers\.TimeDistributed around 'conv2d' layers is not supported by the probe yet/);
  });
});
