import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import type { FlowNode, Model, Program } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';
import { isSubmodule } from '../../../../src/core/rules/queries';

function model(program: Program, name: string): Model {
  const found = program.models.find((candidate) => candidate.name === name);
  assert.ok(found, `no model ${name} in ${program.models.map((candidate) => candidate.name).join(', ')}`);
  return found;
}

/** Each flow node as [op, layer name or activation, input ids]. */
function flowOf(found: Model): [FlowNode['op'], string | undefined, number[]][] {
  return found.flow.map((node) => [node.op, node.layer !== undefined ? (found.layers[node.layer]!.name ?? found.layers[node.layer]!.ctor) : (node.activation ?? node.label), node.inputs]);
}

describe('Python front end: subclassed Keras models', () => {
  before(async () => {
    // Marks the run as a test so the CPU backend does not print its "install tfjs-node" banner.
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  const RESIDUAL = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, units, rate=0.1):
        super().__init__()
        self.dense = layers.Dense(units, activation="relu", kernel_initializer="he_normal")
        self.dropout = layers.Dropout(rate)
        self.norm = layers.LayerNormalization()

    def call(self, inputs, training=False):
        x = self.dense(inputs)
        x = self.dropout(x, training=training)
        return self.norm(inputs + x)


class Classifier(keras.Model):
    def __init__(self, num_classes=10, width=64, depth=2):
        super().__init__()
        self.stem = keras.Sequential([layers.Dense(width, activation="relu"), layers.Dropout(0.2)])
        self.blocks = [ResidualBlock(width) for _ in range(depth)]
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.stem(inputs, training=training)
        for block in self.blocks:
            x = block(x, training=training)
        return self.head(x)


model = Classifier()
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x_train, y_train, epochs=5)
`;

  it('reads the layers __init__ assigns and the data flow of call()', () => {
    const program = parsePython(RESIDUAL);
    assert.deepEqual(program.models.map((found) => [found.name, found.framework, found.flowKnown]), [
      ['ResidualBlock', 'keras', true],
      ['Classifier', 'keras', true],
    ]);
    const block = model(program, 'ResidualBlock');
    assert.deepEqual(block.layers.map((layer) => [layer.name, layer.kind, layer.activation, layer.rate]), [
      ['dense', 'linear', 'relu', undefined],
      ['dropout', 'dropout', undefined, 0.1],
      ['norm', 'layernorm', undefined, undefined],
    ]);
    assert.deepEqual(block.layers[0]!.init, { name: 'he_normal', dist: { family: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' }, source: 'explicit', span: block.layers[0]!.init!.span });
    // `training=` is a flag, not data; the residual add reads the block's input and the dropout's output.
    assert.deepEqual(flowOf(block), [
      ['input', undefined, []],
      ['layer', 'dense', [0]],
      ['layer', 'dropout', [1]],
      ['add', undefined, [0, 2]],
      ['layer', 'norm', [3]],
      ['output', undefined, [4]],
    ]);
  });

  it('unrolls Sequential attributes and lists of blocks, which are sub-models', () => {
    const program = parsePython(RESIDUAL);
    const classifier = model(program, 'Classifier');
    assert.deepEqual(classifier.layers.map((layer) => [layer.name, layer.kind, layer.in, layer.out, layer.ref, layer.repeat]), [
      ['stem.0', 'linear', null, 64, undefined, undefined],
      ['stem.1', 'dropout', 64, 64, undefined, undefined],
      ['blocks[*]', 'unknown', null, null, 'ResidualBlock', 2],
      ['head', 'linear', null, 10, undefined, undefined],
    ]);
    assert.deepEqual(classifier.layers[0]!.init, { name: 'glorot_uniform', dist: { family: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' }, source: 'default' });
    assert.deepEqual(classifier.layers[3]!.biasInit, { name: 'zeros', dist: { family: 'constant', value: 0 }, source: 'default' });
    assert.deepEqual(flowOf(classifier), [
      ['input', undefined, []],
      ['layer', 'stem.0', [0]],
      ['layer', 'stem.1', [1]],
      ['layer', 'blocks[*]', [2]],
      ['layer', 'blocks[*]', [3]],
      ['layer', 'head', [4]],
      ['output', undefined, [5]],
    ]);
    assert.equal(classifier.parameterCount, null);
    assert.ok(isSubmodule(program, model(program, 'ResidualBlock')));
    assert.ok(!isSubmodule(program, classifier));
  });

  it('gives each attribute of a tuple assignment its own layer', () => {
    const pair = model(
      parsePython(`import keras
from keras import layers


class Pair(keras.Model):
    def __init__(self):
        super().__init__()
        self.first, self.second = layers.Dense(3), layers.Dense(50)
        self.norm, self.head = (layers.LayerNormalization(), layers.Dense(7))

    def call(self, x):
        return self.head(self.norm(self.second(self.first(x))))
`),
      'Pair',
    );
    // Before, both attributes of a line were the first layer: second read as a second Dense(3).
    assert.deepEqual(
      pair.layers.map((layer) => [layer.ctor, layer.out]),
      [
        ['layers.Dense', 3],
        ['layers.Dense', 50],
        ['layers.LayerNormalization', 50],
        ['layers.Dense', 7],
      ],
    );
    assert.deepEqual(pair.layers.slice(1).map((layer) => layer.params), [3 * 50 + 50, 2 * 50, 50 * 7 + 7]);
  });

  it('links compile and fit on an instance to the class', () => {
    const program = parsePython(RESIDUAL);
    assert.deepEqual(program.losses.map((loss) => [loss.kind, loss.fromLogits, loss.model]), [['sparse_categorical_crossentropy', true, 'Classifier']]);
    assert.deepEqual(program.optimizers.map((optimizer) => [optimizer.kind, optimizer.lr, optimizer.model]), [['adam', 1e-3, 'Classifier']]);
    assert.deepEqual(program.loops.map((loop) => [loop.kind, loop.models]), [['fit', ['Classifier']]]);
  });

  it('reads a model a plain class holds on self, with the layers added to it and its compile and fit', () => {
    const program = parsePython(`from tensorflow import keras
from tensorflow.keras import layers


class DQNAgent:
    def __init__(self, num_actions=4):
        self.model = keras.Sequential()
        self.model.add(keras.Input(shape=(8,)))
        self.model.add(layers.Dense(64, activation="relu"))
        self.model.add(layers.Dense(num_actions))
        self.model.compile(optimizer="adam", loss="mse")
        self.model.fit(states, targets, epochs=1)
`);
    // Before, the agent's network was no model at all: nothing about it was checked.
    const network = model(program, 'model');
    assert.deepEqual(network.layers.map((layer) => [layer.in, layer.out, layer.params]), [[8, 64, 8 * 64 + 64], [64, 4, 64 * 4 + 4]]);
    assert.equal(network.parameterCount, 8 * 64 + 64 + 64 * 4 + 4);
    assert.deepEqual(program.losses.map((loss) => loss.model), ['model']);
    assert.deepEqual(program.loops.map((loop) => loop.models), [['model']]);
  });

  it('sizes each layer from the last axis that reaches it, matching tfjs parameter counts', () => {
    const program = parsePython(`import tensorflow as tf
from tensorflow.keras import layers


class Tagger(tf.keras.Model):
    def __init__(self, vocab=1000, dim=32, tags=5):
        super().__init__()
        self.embed = layers.Embedding(vocab, dim)
        self.encoder = layers.Bidirectional(layers.GRU(24, return_sequences=True, reset_after=False))
        self.hidden = layers.TimeDistributed(layers.Dense(16, activation="tanh"))
        self.out = layers.Dense(tags)

    def call(self, tokens):
        x = self.embed(tokens)
        x = self.encoder(x)
        return self.out(self.hidden(x))
`);
    const tagger = model(program, 'Tagger');
    assert.deepEqual(tagger.layers.map((layer) => [layer.name, layer.kind, layer.in, layer.out, layer.params]), [
      ['embed', 'embedding', 1000, 32, 32000],
      ['encoder', 'gru', 32, 48, 2 * 3 * (24 * (32 + 24) + 24)],
      ['hidden', 'linear', 48, 16, 48 * 16 + 16],
      ['out', 'linear', 16, 5, 16 * 5 + 5],
    ]);
    // TF.js GRUs have no reset_after: they are Keras's reset_after=False.
    const reference = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 1000, outputDim: 32, inputLength: 7 }),
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 24, returnSequences: true }) }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 16, activation: 'tanh' }) }),
        tf.layers.dense({ units: 5 }),
      ],
    });
    assert.equal(tagger.parameterCount, 41077);
    assert.equal(tagger.parameterCount, reference.countParams());
  });

  it('counts weights made with add_weight, and sub-models only when built with their defaults', () => {
    const program = parsePython(`import tensorflow as tf
from tensorflow import keras


class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=16):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


class Lazy(keras.layers.Layer):
    def __init__(self, units=8):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, inputs):
        return inputs @ self.kernel


class Stack(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = Linear()
        self.second = Linear(8, 32)
        self.lazy = Lazy()

    def call(self, x):
        return self.lazy(tf.nn.relu(self.second(tf.nn.relu(self.first(x)))))
`);
    const linear = model(program, 'Linear');
    assert.deepEqual(linear.parameters.map((parameter) => [parameter.name, parameter.shape, parameter.initialized]), [
      ['w', [16, 32], true],
      ['b', [32], true],
    ]);
    assert.equal(linear.parameterCount, 16 * 32 + 32);
    assert.deepEqual(flowOf(linear), [
      ['input', undefined, []],
      ['opaque', 'matmul', [0]],
      ['output', undefined, [1]],
    ]);
    const lazy = model(program, 'Lazy');
    assert.deepEqual(lazy.parameters.map((parameter) => parameter.shape), [[null, 8]]);
    assert.equal(lazy.parameterCount, null);
    const stack = model(program, 'Stack');
    // `Linear(8, 32)` is not the Linear the class's defaults describe.
    assert.deepEqual(stack.layers.map((layer) => [layer.name, layer.ref, layer.params]), [
      ['first', 'Linear', 544],
      ['second', 'Linear', null],
      ['lazy', 'Lazy', null],
    ]);
    assert.deepEqual(flowOf(stack), [
      ['input', undefined, []],
      ['layer', 'first', [0]],
      ['activation', 'relu', [1]],
      ['layer', 'second', [2]],
      ['activation', 'relu', [3]],
      ['layer', 'lazy', [4]],
      ['output', undefined, [5]],
    ]);
  });

  it('finds models deriving from a local base and trains them from another scope', () => {
    const program = parsePython(`import tensorflow as tf


class Base(tf.keras.models.Model):
    pass


class Net(Base):
    def __init__(self):
        super().__init__()
        self.fc = tf.keras.layers.Dense(4)

    @tf.function
    def call(self, x):
        return self.fc(x)


net = Net()


def train(data):
    net.compile(optimizer="sgd", loss="mse")
    net.fit(data, epochs=2)
`);
    // The base's own layers are part of the model: it holds the base as a sub-model.
    assert.deepEqual(program.models.map((found) => [found.name, found.layers.map((layer) => [layer.name ?? layer.ctor, layer.ref, layer.params]), found.flowKnown]), [
      ['Base', [], false],
      ['Net', [['fc', undefined, null], ['Base', 'Base', 0]], true],
    ]);
    assert.deepEqual(program.losses.map((loss) => [loss.kind, loss.model]), [['mse', 'Net']]);
    assert.deepEqual(program.optimizers.map((optimizer) => [optimizer.kind, optimizer.model]), [['sgd', 'Net']]);
    assert.deepEqual(program.loops.map((loop) => loop.models), [['Net']]);
  });

  it('follows Sequential.add, appends in loops, layers made inside call() and any index of a repeated list', () => {
    const program = parsePython(`import keras
from keras import layers


class Tower(keras.Model):
    def __init__(self, depth):
        super().__init__()
        self.body = keras.Sequential()
        self.body.add(layers.Dense(32, activation="relu"))
        self.hidden = []
        for _ in range(3):
            self.hidden.append(layers.Dense(32, activation="relu"))
        self.extra = [layers.Dense(32) for _ in range(depth)]

    def call(self, x):
        x = self.body(x)
        for layer in self.hidden:
            x = layer(x)
        x = layers.Flatten()(x)
        for i in range(self.depth):
            x = self.extra[i](x)
        return x
`);
    const tower = model(program, 'Tower');
    assert.deepEqual(tower.layers.map((layer) => [layer.name, layer.ctor, layer.in, layer.out, layer.params, layer.repeat]), [
      ['body.0', 'layers.Dense', null, 32, null, undefined],
      ['hidden.0', 'layers.Dense', 32, 32, 32 * 32 + 32, 3],
      [undefined, 'layers.Flatten', null, null, 0, undefined],
      ['extra[*]', 'layers.Dense', null, 32, null, null],
    ]);
    assert.deepEqual(flowOf(tower), [
      ['input', undefined, []],
      ['layer', 'body.0', [0]],
      ['layer', 'hidden.0', [1]],
      ['layer', 'hidden.0', [2]],
      ['layer', 'hidden.0', [3]],
      ['layer', 'layers.Flatten', [4]],
      ['layer', 'extra[*]', [5]],
      ['output', undefined, [6]],
    ]);
  });

  it('inlines helper methods and merges the branches of an if', () => {
    const program = parsePython(`import tensorflow as tf
from tensorflow.keras import layers


class Gated(layers.Layer):
    def __init__(self, units=16):
        super().__init__()
        self.proj = layers.Dense(units)
        self.gate = layers.Dense(units, activation="sigmoid")

    def gated(self, x):
        return self.proj(x) * self.gate(x)

    def call(self, x, training=None):
        if training:
            x = tf.nn.dropout(x, rate=0.1)
        return self.gated(x)
`);
    const gated = model(program, 'Gated');
    assert.deepEqual(flowOf(gated), [
      ['input', undefined, []],
      ['dropout', undefined, [0]],
      ['opaque', 'branch', [1, 0]],
      ['layer', 'proj', [2]],
      ['layer', 'gate', [2]],
      ['mul', undefined, [3, 4]],
      ['output', undefined, [5]],
    ]);
    assert.deepEqual([gated.flow[1]!.rate, gated.flow[1]!.trainingFlag], [0.1, false]);
  });

  it('keeps a layer picked by a condition as one it cannot see into', () => {
    const program = parsePython(`import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, filters, stride=1):
        super().__init__()
        self.conv = layers.Conv2D(filters, 3, strides=stride, padding="same")
        self.shortcut = keras.Sequential([layers.Conv2D(filters, 1, strides=stride)]) if stride != 1 else None

    def call(self, inputs):
        shortcut = inputs if self.shortcut is None else self.shortcut(inputs)
        return self.conv(inputs) + shortcut
`);
    const block = model(program, 'Block');
    assert.deepEqual(block.layers.map((layer) => [layer.name, layer.kind, layer.params]), [
      ['shortcut', 'unknown', null],
      ['conv', 'conv2d', null],
    ]);
    assert.deepEqual(flowOf(block), [
      ['input', undefined, []],
      ['layer', 'shortcut', [0]],
      ['opaque', 'branch', [0, 1]],
      ['layer', 'conv', [0]],
      ['add', undefined, [3, 2]],
      ['output', undefined, [4]],
    ]);
  });

  it('holds attributes set from arguments and called like layers, and functional __init__ graphs, as unknown layers', () => {
    const program = parsePython(`import tensorflow as tf
import keras


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim=128):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim

    def train_step(self, images):
        noise = tf.random.normal(shape=(tf.shape(images)[0], self.latent_dim))
        return {"score": self.discriminator(self.generator(noise))}


class Wrapped(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
`);
    // Their weights are not visible: the counts are unknown, not zero.
    assert.deepEqual(program.models.map((found) => [found.name, found.layers.map((layer) => [layer.name, layer.ctor, layer.kind]), found.parameterCount]), [
      ['GAN', [['discriminator', 'discriminator', 'unknown'], ['generator', 'generator', 'unknown']], null],
      ['Wrapped', [[undefined, 'super().__init__', 'unknown']], null],
    ]);
  });

  it('keeps losses, metrics, optimizers and activation functions a model holds and calls out of its layers', () => {
    const program = parsePython(`import tensorflow as tf
import keras
from keras import layers


class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.embed = layers.Embedding(1000, 16)
        self.pool = layers.GlobalAveragePooling1D()
        self.out = layers.Dense(1)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.tracker = tf.keras.metrics.Mean(name="loss")
        self.act = tf.nn.gelu

    def call(self, x):
        return self.out(self.act(self.pool(self.embed(x))))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = self.loss_fn(y, self(x, training=True))
        self.tracker(loss)
        return {"loss": loss}
`);
    const [model] = program.models;
    // Embedding 1000·16, then Dense 16→1.
    assert.deepEqual(model!.layers.map((layer) => layer.kind), ['embedding', 'pooling', 'linear']);
    assert.equal(model!.parameterCount, 1000 * 16 + 16 + 1);
  });

  it('leaves the methods of subclassed models to the class reader', () => {
    const program = parsePython(`import keras
from keras import layers


class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        stack = keras.Sequential([layers.Dense(8), layers.Dense(4)])
        self.stack = stack

    def call(self, x):
        return self.stack(x)
`);
    assert.deepEqual(program.models.map((found) => [found.name, found.layers.map((layer) => layer.name)]), [['Encoder', ['stack.0', 'stack.1']]]);
  });
});
