// `deeplint models` is how the IR is checked from outside: its JSON must say what the code builds, with sizes and
// parameter counts worked out by hand here.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { cli, tempTree } from './helpers';

const TORCH = `import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.drop = nn.Dropout(0.25)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(self.drop(self.fc1(x).relu()))
`;

const KERAS = `import keras
from keras import layers

inputs = keras.Input(shape=(20, 8))
x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(inputs)
outputs = layers.TimeDistributed(layers.Dense(4))(x)
model = keras.Model(inputs, outputs)
`;

describe('deeplint models', () => {
  it('prints each model with its layers, sizes, parameter counts and initialization as JSON', async () => {
    const root = tempTree({ 'net.py': TORCH });
    const result = await cli('models', path.join(root, 'net.py'), '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    const { version, models } = JSON.parse(result.stdout);
    assert.equal(version, 1);
    assert.equal(models.length, 1);
    const [net] = models;
    assert.deepEqual([net.name, net.framework, net.line], ['Net', 'pytorch', 4]);
    // 784·128 + 128 and 128·10 + 10.
    assert.equal(net.parameterCount, 100_480 + 1_290);
    assert.deepEqual(
      net.layers.map((layer: { kind: string; in: number | null; out: number | null; parameterCount: number | null; line: number }) => [layer.kind, layer.in, layer.out, layer.parameterCount, layer.line]),
      [
        ['linear', 784, 128, 100_480, 7],
        ['dropout', null, null, 0, 8],
        ['linear', 128, 10, 1_290, 9],
      ],
    );
    assert.equal(net.layers[0].init.name, 'kaiming_uniform_(a=√5)');
    assert.equal(net.layers[0].init.source, 'default');
  });

  it('says which layers sit in a Keras wrapper, with the wrapper’s sizes and parameters', async () => {
    const root = tempTree({ 'tagger.py': KERAS });
    const json = JSON.parse((await cli('models', path.join(root, 'tagger.py'), '--format', 'json')).stdout);
    const [lstm, dense] = json.models[0].layers;
    // Each direction: kernel 8·64, recurrent kernel 16·64, bias 64 (four gates of 16 units); two directions.
    assert.deepEqual([lstm.kind, lstm.in, lstm.out, lstm.parameterCount], ['lstm', 8, 32, 2 * (512 + 1024 + 64)]);
    assert.deepEqual(lstm.wrapper, { kind: 'bidirectional', ctor: 'layers.Bidirectional', mergeMode: 'concat' });
    assert.deepEqual([dense.kind, dense.in, dense.out, dense.parameterCount], ['linear', 32, 4, 32 * 4 + 4]);
    assert.deepEqual(dense.wrapper, { kind: 'time_distributed', ctor: 'layers.TimeDistributed' });
    const text = (await cli('models', path.join(root, 'tagger.py'))).stdout;
    assert.match(text, /lstm tanh in layers\.Bidirectional 8 -> 32 {2}params=3,200/);
  });

  it('prints how many copies a layer built in a loop stands for', async () => {
    const root = tempTree({
      'stack.py': `import torch.nn as nn


class Stack(nn.Module):
    def __init__(self, depth=6, steps=None):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(64, 64) for _ in range(depth)])
        self.extra = nn.ModuleList([nn.Linear(64, 64) for _ in range(steps)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x
`,
    });
    const text = (await cli('models', path.join(root, 'stack.py'))).stdout;
    // One copy is 64·64 + 64; the text had shown it without saying there are six.
    assert.match(text, /linear 64 -> 64 {2}params=4,160 x6 /);
    assert.match(text, /linear 64 -> 64 {2}params=4,160 x\? /);
  });

  it('gives the moving statistics of Keras BatchNormalization beside the trainable count, as Keras and tfjs count them', async () => {
    const root = tempTree({
      'cnn.py': `import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, 3, use_bias=False),
    layers.BatchNormalization(),
    layers.ReLU(),
    layers.Flatten(),
    layers.Dense(10),
])
`,
      'mlp.py': TORCH,
    });
    const json = JSON.parse((await cli('models', root, '--format', 'json')).stdout);
    const byName = new Map(json.models.map((model: { name: string }) => [model.name, model]));
    const cnn = byName.get('model') as { parameterCount: number; nonTrainableCount: number; layers: { kind: string; nonTrainableCount?: number }[] };
    const reference = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10 }),
      ],
    });
    const trainable = reference.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
    assert.equal(cnn.parameterCount, trainable);
    // tfjs's countParams() is the trainable weights plus the moving mean and variance, one per channel each.
    assert.equal(cnn.parameterCount + cnn.nonTrainableCount, reference.countParams());
    assert.equal(cnn.nonTrainableCount, 2 * 16);
    assert.deepEqual(cnn.layers.filter((layer) => 'nonTrainableCount' in layer).map((layer) => [layer.kind, layer.nonTrainableCount]), [['batchnorm', 32]]);
    // PyTorch's parameters() holds no running statistics (they are buffers), and a model without any says nothing.
    assert.equal('nonTrainableCount' in (byName.get('Net') as object), false);
    const text = (await cli('models', path.join(root, 'cnn.py'))).stdout;
    assert.match(text, new RegExp(`model \\(keras\\), ${trainable.toLocaleString('en-US')} parameters \\+ 32 non-trainable`));
    assert.match(text, /batchnorm 16 -> 16 {2}params=32 non-trainable=32/);
  });
});
