import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import type { FlowNode, Model } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';

/** Each flow node as [op, layer index or activation/label, input ids]. */
function flowOf(model: Model): [FlowNode['op'], number | string | undefined, number[]][] {
  return model.flow.map((node) => [node.op, node.layer ?? node.activation ?? node.label, node.inputs]);
}

describe('Python front end: Keras functional models on expressions', () => {
  before(async () => {
    // Marks the run as a test so the CPU backend does not print its "install tfjs-node" banner.
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  it("tests a tensor's shape in a helper (`x.shape[-1] != filters`), sized as tfjs counts the same model", () => {
    const program = parsePython(`import keras
from keras import layers

def block(x, filters, stride=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", activation="relu")(x)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    if stride != 1 or shortcut.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=stride)(shortcut)
    channels = y.shape[-1]
    y = layers.add([y, shortcut])
    return layers.Dense(channels)(y)

inputs = keras.Input(shape=(8, 8, 4))
x = block(inputs, 4)
x = block(x, 8, stride=2)
model = keras.Model(inputs, x)
`);
    const input = tf.input({ shape: [8, 8, 4] });
    const block = (x: tf.SymbolicTensor, filters: number, stride: number, project: boolean): tf.SymbolicTensor => {
      const y = tf.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
      const z = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
      const shortcut = project ? (tf.layers.conv2d({ filters, kernelSize: 1, strides: stride }).apply(x) as tf.SymbolicTensor) : x;
      return tf.layers.dense({ units: filters }).apply(tf.layers.add().apply([z, shortcut]) as tf.SymbolicTensor) as tf.SymbolicTensor;
    };
    const expected = tf.model({ inputs: input, outputs: block(block(input, 4, 1, false), 8, 2, true) });
    const model = program.models.find((candidate) => candidate.name === 'model')!;
    // The first block keeps 4 channels at stride 1: no projection.
    assert.equal(model.layers.filter((layer) => layer.kind === 'conv2d').length, 5);
    assert.equal(model.parameterCount, expected.countParams());
    expected.dispose();
  });

  it('gives a layer applied to a sum, a product or a concatenation the operands as inputs (checked with tfjs)', () => {
    const program = parsePython(`import keras
from keras import layers

inputs = keras.Input(shape=(16,))
x = layers.Dense(16, activation="relu")(inputs)
y = layers.LayerNormalization()(x + inputs)
z = layers.Dense(16)(y)
gate = layers.Dense(16, activation="sigmoid")(y)
w = layers.LayerNormalization()(layers.multiply([z, gate]) + y)
c = layers.Dense(4)(layers.concatenate([w, y]))
outputs = layers.Softmax()(c)
model = keras.Model(inputs, outputs)
`);
    const [model] = program.models;
    assert.deepEqual(flowOf(model!), [
      ['input', undefined, []],
      ['layer', 0, [0]],
      ['add', undefined, [1, 0]],
      ['layer', 1, [2]],
      ['layer', 2, [3]],
      ['layer', 3, [3]],
      ['mul', undefined, [4, 5]],
      ['add', undefined, [6, 3]],
      ['layer', 4, [7]],
      ['concat', undefined, [8, 3]],
      ['layer', 5, [9]],
      ['layer', 6, [10]],
      ['output', undefined, [11]],
    ]);
    // Sums keep the size, the concatenation adds the two: the last Dense reads 32 features.
    assert.deepEqual(model!.layers.map((layer) => [layer.kind, layer.in, layer.out, layer.params]), [
      ['linear', 16, 16, 272],
      ['layernorm', 16, 16, 32],
      ['linear', 16, 16, 272],
      ['linear', 16, 16, 272],
      ['layernorm', 16, 16, 32],
      ['linear', 32, 4, 132],
      ['activation', 4, 4, 0],
    ]);
    const input = tf.input({ shape: [16] });
    const rx = tf.layers.dense({ units: 16, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const ry = tf.layers.layerNormalization().apply(tf.layers.add().apply([rx, input])) as tf.SymbolicTensor;
    const rz = tf.layers.dense({ units: 16 }).apply(ry) as tf.SymbolicTensor;
    const rgate = tf.layers.dense({ units: 16, activation: 'sigmoid' }).apply(ry) as tf.SymbolicTensor;
    const rw = tf.layers.layerNormalization().apply(tf.layers.add().apply([tf.layers.multiply().apply([rz, rgate]) as tf.SymbolicTensor, ry])) as tf.SymbolicTensor;
    const rc = tf.layers.dense({ units: 4 }).apply(tf.layers.concatenate().apply([rw, ry])) as tf.SymbolicTensor;
    const reference = tf.model({ inputs: input, outputs: tf.layers.softmax().apply(rc) as tf.SymbolicTensor });
    assert.equal(model!.parameterCount, 1012);
    assert.equal(model!.parameterCount, reference.countParams());
  });

  it('keeps layers it cannot read in the model, so its size is unknown rather than short', () => {
    const program = parsePython(`import keras
from keras import layers


def head_fn(x, classes=2):
    return layers.Dense(classes)(x)


def scale(x):
    return x * 2.0


augment = [layers.RandomFlip("horizontal")]

inputs = keras.Input(shape=(4,))
x = layers.Dense(8)(inputs)
x = scale(x)
helper = keras.Model(inputs, head_fn(x))

inputs2 = keras.Input(shape=(4,))
built = keras.Model(inputs2, make_head(2)(layers.Dense(8)(inputs2)))

listed = keras.Sequential([layers.Dense(8, input_shape=(4,)), MyHead(2)])
starred = keras.Sequential([keras.Input(shape=(8, 8, 3)), *augment, layers.Flatten(), layers.Dense(2)])
added = keras.Sequential()
added.add(layers.Dense(8, input_shape=(4,)))
added.add(head)

known = keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(2)])
`);
    const byName = new Map(program.models.map((model) => [model.name, model]));
    const summary = (name: string) => byName.get(name)!.layers.map((layer) => [layer.ctor, layer.kind, layer.params]);
    // A helper of the file that builds layers is walked, its layers the model's; one that only computes (scale)
    // stays out of the layers, and what it gives is of unknown shape, so the head's size is unknown.
    assert.deepEqual(summary('helper'), [['layers.Dense', 'linear', 40], ['layers.Dense', 'linear', null]]);
    assert.deepEqual(summary('built'), [['layers.Dense', 'linear', 40], ['make_head', 'unknown', null]]);
    assert.deepEqual(summary('listed'), [['layers.Dense', 'linear', 40], ['MyHead', 'unknown', null]]);
    assert.deepEqual(summary('starred'), [['augment', 'unknown', null], ['layers.Flatten', 'flatten', 0], ['layers.Dense', 'linear', null]]);
    assert.deepEqual(summary('added'), [['layers.Dense', 'linear', 40], ['head', 'unknown', null]]);
    for (const name of ['helper', 'built', 'listed', 'starred', 'added']) assert.equal(byName.get(name)!.parameterCount, null, name);
    assert.equal(byName.get('known')!.parameterCount, 40 + 18);
  });

  it('gives a grouped Keras convolution the share of input channels each group sees', () => {
    const program = parsePython(`import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(32, 32, 16)), layers.Conv2D(32, 3, groups=4, padding="same"), layers.GlobalAveragePooling2D(), layers.Dense(10)])
`);
    // Keras's kernel is kernel_size + (in_channels // groups, filters): 3·3·4·32 weights and 32 biases. tfjs has no
    // groups to check this against; before, the groups were ignored (4,640).
    assert.deepEqual(program.models[0]!.layers.map((layer) => layer.params), [3 * 3 * 4 * 32 + 32, 0, 32 * 10 + 10]);
  });

  it('walks the block helpers of the file with the arguments of each call (checked with tfjs)', () => {
    const program = parsePython(`import keras
from keras import layers


def conv_block(x, filters, kernel_size=3, use_bn=True):
    x = layers.Conv2D(filters, kernel_size, padding="same", use_bias=not use_bn)(x)
    if use_bn:
        x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def residual(x, filters):
    shortcut = x
    y = conv_block(x, filters)
    y = conv_block(y, filters)
    return layers.add([shortcut, y])


inputs = keras.Input(shape=(32, 32, 3))
x = conv_block(inputs, 16, kernel_size=5)
for filters in [16, 16]:
    x = residual(x, filters)
x = conv_block(x, 32, use_bn=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`);
    const model = program.models.find((candidate) => candidate.name === 'model')!;
    const input = tf.input({ shape: [32, 32, 3] });
    const block = (x: tf.SymbolicTensor, filters: number, kernelSize = 3, useBn = true) => {
      let y = tf.layers.conv2d({ filters, kernelSize, padding: 'same', useBias: !useBn }).apply(x) as tf.SymbolicTensor;
      if (useBn) y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
      return tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    };
    let x = block(input, 16, 5);
    for (const filters of [16, 16]) x = tf.layers.add().apply([x, block(block(x, filters), filters)]) as tf.SymbolicTensor;
    x = block(x, 32, 3, false);
    const reference = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(tf.layers.globalAveragePooling2d({}).apply(x)) as tf.SymbolicTensor });
    const trainable = reference.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
    // Before, each helper call was a layer of unknown size, and so was the model.
    assert.equal(model.parameterCount, trainable);
    assert.equal(model.layers.filter((layer) => layer.kind === 'conv2d').length, 6);
    assert.equal(model.flow.filter((node) => node.op === 'add').length, 2);
  });

  it('adds the layers a loop adds to a Sequential as many times as it runs, each with the constants of its iteration, and leaves other cases unknown', () => {
    const program = parsePython(`import keras
from keras import layers

looped = keras.Sequential()
looped.add(keras.Input(shape=(32,)))
for _ in range(3):
    looped.add(layers.Dense(64, activation="relu"))
looped.add(layers.Dense(1))

branched = keras.Sequential()
branched.add(keras.Input(shape=(32,)))
for i in range(3):
    if i > 0:
        branched.add(layers.Dropout(0.1))
    branched.add(layers.Dense(64, activation="relu"))

halving = keras.Sequential()
halving.add(keras.Input(shape=(64,)))
units = 256
for _ in range(3):
    halving.add(layers.Dense(units, activation="relu"))
    units //= 2
halving.add(layers.Dense(10))

reassigned = keras.Sequential()
reassigned.add(keras.Input(shape=(64,)))
width = 128
reassigned.add(layers.Dense(width, activation="relu"))
width = 32
reassigned.add(layers.Dense(width))

def build(deep, depth):
    chosen = keras.Sequential()
    chosen.add(keras.Input(shape=(64,)))
    if deep:
        w = 128
    else:
        w = 32
    chosen.add(layers.Dense(w))
    if deep:
        chosen.add(layers.Dropout(0.5))
    chosen.add(layers.Dense(10))
    return chosen

def shrinking(depth):
    model = keras.Sequential()
    model.add(keras.Input(shape=(64,)))
    units = 256
    for _ in range(depth):
        model.add(layers.Dense(units, activation="relu"))
        units //= 2
    model.add(layers.Dense(units))
    return model

joined = keras.Sequential([keras.Input(shape=(32,))] + [layers.Dense(64, activation="relu") for _ in range(3)] + [layers.Dense(1)])
plain = keras.Sequential([keras.Input(shape=(32,))] + [layers.Dense(64, activation="relu"), layers.Dense(1)])
`);
    const byName = new Map(program.models.map((model) => [model.name, model]));
    // A loop of known length adds its layers that many times, in order: before, the loop's Dense was counted once.
    assert.equal(byName.get('looped')!.parameterCount, 32 * 64 + 64 + 2 * (64 * 64 + 64) + 65);
    // Each iteration's test is known: the dropout comes after the first Dense only.
    const branched = byName.get('branched')!;
    assert.deepEqual(branched.layers.map((layer) => layer.kind), ['linear', 'dropout', 'linear', 'dropout', 'linear']);
    assert.equal(branched.parameterCount, 32 * 64 + 64 + 2 * (64 * 64 + 64));
    // Each add reads the constants of its own point: before, every layer was read with the last value (35,329 and
    // 3,466 parameters).
    const halving = tf.sequential({ layers: [tf.layers.dense({ inputShape: [64], units: 256 }), tf.layers.dense({ units: 128 }), tf.layers.dense({ units: 64 }), tf.layers.dense({ units: 10 })] });
    assert.equal(byName.get('halving')!.parameterCount, halving.countParams());
    assert.equal(byName.get('reassigned')!.parameterCount, 64 * 128 + 128 + 128 * 32 + 32);
    // A width chosen by a test the file does not settle, or a layer added only on one side of one, is unknown.
    const chosen = byName.get('chosen')!;
    assert.deepEqual(chosen.layers.map((layer) => [layer.kind, layer.out, layer.repeat]), [['linear', null, undefined], ['dropout', null, null], ['linear', 10, undefined]]);
    assert.equal(chosen.parameterCount, null);
    // A loop of unknown length: its layers are there an unknown number of times, with widths it changes.
    const shrinking = byName.get('shrinking')!;
    assert.deepEqual(shrinking.layers.map((layer) => [layer.in, layer.out, layer.repeat]), [[64, null, null], [null, null, undefined]]);
    // The joined list gave a model of no layers (0); its comprehension is now a layer of unknown size.
    assert.equal(byName.get('joined')!.parameterCount, null);
    assert.deepEqual(byName.get('joined')!.layers.map((layer) => layer.kind), ['unknown', 'linear']);
    assert.equal(byName.get('plain')!.parameterCount, 32 * 64 + 64 + 65);
  });

  it('repeats the layers a loop of functional code makes, walks a loop that changes them once per iteration, and leaves them unknown when its length is (checked with tfjs)', () => {
    const program = parsePython(`import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
for _ in range(3):
    x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10)(x)
repeated = keras.Model(inputs, outputs)

width = 16
inputs2 = keras.Input(shape=(32, 32, 3))
y = layers.Conv2D(width, 3, padding="same")(inputs2)
width *= 2
y = layers.Conv2D(width, 3, padding="same")(y)
y = layers.GlobalAveragePooling2D()(y)
widened = keras.Model(inputs2, layers.Dense(10)(y))

inputs3 = keras.Input(shape=(32, 32, 3))
z = layers.Conv2D(16, 3, padding="same")(inputs3)
for _ in range(2):
    width = width * 2
    z = layers.Activation("relu")(z)
    z = layers.Conv2D(width, 3, padding="same")(z)
z = layers.GlobalAveragePooling2D()(z)
doubling = keras.Model(inputs3, layers.Dense(10)(z))

def build(depth, width=16):
    inputs = keras.Input(shape=(32, 32, 3))
    z = layers.Conv2D(width, 3, padding="same")(inputs)
    for _ in range(depth):
        width = width * 2
        z = layers.Conv2D(width, 3, padding="same")(z)
    return keras.Model(inputs, layers.Dense(10)(layers.GlobalAveragePooling2D()(z)))
`);
    const byName = new Map(program.models.map((model) => [model.name, model]));
    const reference = tf.sequential({ layers: [tf.layers.dense({ inputShape: [32], units: 64 }), tf.layers.dense({ units: 64 }), tf.layers.dense({ units: 64 }), tf.layers.dense({ units: 64 }), tf.layers.dense({ units: 10 })] });
    assert.equal(byName.get('repeated')!.parameterCount, reference.countParams());
    assert.deepEqual(byName.get('repeated')!.layers.map((layer) => layer.repeat), [undefined, 3, undefined]);
    // `width *= 2` had been passed over: the second convolution was read 16 -> 16.
    const widened = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 3, padding: 'same' }), tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 10 })],
    });
    assert.deepEqual(byName.get('widened')!.layers.map((layer) => [layer.in, layer.out]), [[3, 16], [16, 32], [32, 32], [32, 10]]);
    assert.equal(byName.get('widened')!.parameterCount, widened.countParams());
    // Each iteration widens the next convolution (width is 32 by then): each is read with its own width. Walked once
    // and repeated, as before, the count was unknown.
    const doubling = byName.get('doubling')!;
    const doubled = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 3, padding: 'same' }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same' }),
        tf.layers.conv2d({ filters: 128, kernelSize: 3, padding: 'same' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 10 }),
      ],
    });
    assert.equal(doubling.parameterCount, doubled.countParams());
    assert.deepEqual(doubling.layers.map((layer) => [layer.kind, layer.out, layer.repeat]), [['conv2d', 16, undefined], ['activation', 16, undefined], ['conv2d', 64, undefined], ['activation', 64, undefined], ['conv2d', 128, undefined], ['pooling', 128, undefined], ['linear', 10, undefined]]);
    // A loop of unknown length that widens: its layers and what follows are of unknown size.
    const build = byName.get('build')!;
    assert.equal(build.parameterCount, null);
    assert.deepEqual(build.layers.map((layer) => [layer.kind, layer.params, layer.repeat]), [['conv2d', 448, undefined], ['conv2d', null, null], ['pooling', 0, undefined], ['linear', null, undefined]]);
  });

  it('counts text vectorization, lookups and Lambda layers as weightless', () => {
    const program = parsePython(`import keras
from keras import layers

vectorize = layers.TextVectorization(max_tokens=1000, output_sequence_length=40)
texts = keras.Input(shape=(1,), dtype="string")
x = vectorize(texts)
x = layers.Embedding(1000, 16)(x)
x = layers.Flatten()(x)
x = layers.Lambda(lambda t: t * 0.5)(x)
model = keras.Model(texts, layers.Dense(1)(layers.Dense(8)(x)))
tags = keras.Sequential([keras.Input(shape=(5,), dtype="string"), layers.StringLookup(vocabulary=["a", "b"]), layers.Embedding(3, 4)])
`);
    const [model, tags] = program.models;
    // 40 ids per text: the Flatten gives 40·16; after the Lambda no size is followed.
    assert.deepEqual(model!.layers.map((layer) => [layer.ctor, layer.out, layer.params]), [
      ['layers.TextVectorization', null, 0],
      ['layers.Embedding', 16, 16000],
      ['layers.Flatten', 640, 0],
      ['layers.Lambda', null, 0],
      ['layers.Dense', 8, null],
      ['layers.Dense', 1, null],
    ]);
    assert.equal(tags!.parameterCount, 12);
  });

  it('sizes the vectors lookups, hashing and category encoding give outside int mode, and leaves an adapted vocabulary unknown', () => {
    const program = parsePython(`import keras
from keras import layers

COLORS = ["red", "green", "blue"]

color = keras.Input(shape=(1,), dtype="string")
words = keras.Input(shape=(4,), dtype="string")
codes = keras.Input(shape=(3,), dtype="int32")
encoded = layers.StringLookup(vocabulary=COLORS, output_mode="one_hot")(color)
hashed = layers.Hashing(num_bins=16, output_mode="multi_hot")(words)
counted = layers.CategoryEncoding(num_tokens=10, output_mode="count")(codes)
features = keras.Model([color, words, codes], layers.Dense(1)(layers.concatenate([encoded, hashed, counted])))
each = keras.Sequential([keras.Input(shape=(5,), dtype="int64"), layers.IntegerLookup(vocabulary=[1, 2, 3], num_oov_indices=2, output_mode="one_hot"), layers.Flatten(), layers.Dense(1)])
padded = keras.Sequential([keras.Input(shape=(2,), dtype="string"), layers.StringLookup(max_tokens=50, pad_to_max_tokens=True, output_mode="tf_idf"), layers.Dense(1)])
adapted = keras.Sequential([keras.Input(shape=(2,), dtype="string"), layers.StringLookup(output_mode="multi_hot"), layers.Dense(1)])
`);
    const byName = new Map(program.models.map((model) => [model.name, model]));
    // Three colours and one out-of-vocabulary index; 16 bins; 10 tokens. Before, each kept its input's width.
    assert.deepEqual(byName.get('features')!.layers.map((layer) => [layer.ctor, layer.out]), [
      ['layers.StringLookup', 4],
      ['layers.Hashing', 16],
      ['layers.CategoryEncoding', 10],
      ['layers.Dense', 1],
    ]);
    assert.equal(byName.get('features')!.parameterCount, 4 + 16 + 10 + 1);
    // One-hot on 5 ids of a last axis wider than 1 adds an axis of 3 + 2: the Flatten gives 25.
    assert.equal(byName.get('each')!.parameterCount, 5 * 5 + 1);
    assert.equal(byName.get('padded')!.parameterCount, 50 + 1);
    assert.equal(byName.get('adapted')!.parameterCount, null);
  });

  it('sizes depthwise, separable, dilated, causal and transposed convolutions as tfjs builds them', () => {
    const program = parsePython(`import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(20, 20, 6)),
    layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
    layers.SeparableConv2D(16, 3, strides=2, depth_multiplier=2),
    layers.Conv2D(8, 3, dilation_rate=2),
    layers.Conv2DTranspose(4, 4, strides=2),
    layers.Conv2DTranspose(5, 3, strides=2, padding="same", use_bias=False),
    layers.BatchNormalization(),
    layers.DepthwiseConv2D((3, 3), use_bias=False),
    layers.Flatten(),
    layers.Dense(3),
])
seq = keras.Sequential([keras.Input(shape=(30, 7)), layers.Conv1D(12, 5, padding="causal", dilation_rate=2), layers.Conv1D(4, 3), layers.Flatten(), layers.Dense(2)])
`);
    const [model, seq] = program.models;
    const reference = tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ inputShape: [20, 20, 6], kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
        tf.layers.separableConv2d({ filters: 16, kernelSize: 3, strides: 2, depthMultiplier: 2 }),
        tf.layers.conv2d({ filters: 8, kernelSize: 3, dilationRate: 2 }),
        tf.layers.conv2dTranspose({ filters: 4, kernelSize: 4, strides: 2 }),
        tf.layers.conv2dTranspose({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.depthwiseConv2d({ kernelSize: 3, useBias: false }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3 }),
      ],
    });
    // tfjs counts BatchNormalization's moving mean and variance too; the IR counts trainable weights.
    const trainable = (layers: tf.layers.Layer[]) => layers.map((layer) => layer.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0));
    assert.deepEqual(model!.layers.map((layer) => layer.params), trainable(reference.layers));
    assert.deepEqual(model!.layers.map((layer) => layer.out), reference.layers.map((layer) => (layer.outputShape as number[]).at(-1)));
    assert.notEqual(model!.parameterCount, null);
    // tfjs has no causal padding: it pads on the left only, to the length `same` gives.
    const sequence = tf.sequential({
      layers: [
        tf.layers.conv1d({ inputShape: [30, 7], filters: 12, kernelSize: 5, padding: 'same', dilationRate: 2 }),
        tf.layers.conv1d({ filters: 4, kernelSize: 3 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    assert.equal(seq!.parameterCount, sequence.countParams());
    assert.equal(seq!.layers[2]!.out, 28 * 4);
  });

  it('sizes 3-D transposed convolutions as tfjs builds them, and 1-D ones by hand', () => {
    const program = parsePython(`import keras
from keras import layers

volume = keras.Sequential([
    keras.Input(shape=(4, 8, 8, 16)),
    layers.Conv3DTranspose(8, 3, strides=2, padding="same"),
    layers.Conv3DTranspose(4, (3, 2, 2), strides=(1, 2, 2)),
    layers.Conv3D(1, 3, padding="same", activation="sigmoid"),
])
audio = keras.Sequential([
    keras.Input(shape=(32, 80)),
    layers.Conv1D(64, 7, padding="same"),
    layers.Conv1DTranspose(32, 16, strides=8, padding="same"),
    layers.Conv1D(1, 7, padding="same", activation="tanh"),
])
`);
    const [volume, audio] = program.models;
    const reference = tf.sequential({
      layers: [
        tf.layers.conv3dTranspose({ inputShape: [4, 8, 8, 16], filters: 8, kernelSize: 3, strides: 2, padding: 'same' }),
        tf.layers.conv3dTranspose({ filters: 4, kernelSize: [3, 2, 2], strides: [1, 2, 2] }),
        tf.layers.conv3d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
      ],
    });
    assert.deepEqual(volume!.layers.map((layer) => layer.params), reference.layers.map((layer) => layer.countParams()));
    assert.equal(volume!.parameterCount, reference.countParams());
    // Conv1D 7·80·64 + 64; Conv1DTranspose 16·64·32 + 32 (its kernel is (16, 32, 64)); Conv1D 7·32 + 1.
    assert.deepEqual(audio!.layers.filter((layer) => layer.kind !== 'activation').map((layer) => [layer.kind, layer.in, layer.out, layer.params]), [
      ['conv1d', 80, 64, 7 * 80 * 64 + 64],
      ['convtranspose', 64, 32, 16 * 64 * 32 + 32],
      ['conv1d', 32, 1, 7 * 32 + 1],
    ]);
  });

  it('reads outputs given as a dict, and makes an output it cannot read a layer of unknown size', () => {
    const program = parsePython(`import keras
from keras import layers

a_in = keras.Input(shape=(10,), name="a")
b_in = keras.Input(shape=(6,), name="b")
m = layers.concatenate([layers.Dense(16)(a_in), layers.Dense(8)(b_in)])
o1 = layers.Dense(1, activation="sigmoid")(m)
o2 = layers.Dense(3, activation="softmax")(m)
by_list = keras.Model(inputs=[a_in, b_in], outputs=[o1, o2])
by_dict = keras.Model(inputs={"a": a_in, "b": b_in}, outputs={"o1": o1, "o2": o2})
heads = {"o2": o2}
spread = keras.Model(inputs=[a_in, b_in], outputs={"o1": o1, **heads})
looped = keras.Model(a_in, [layers.Dense(2)(a_in) for _ in range(3)])
`);
    const byName = new Map(program.models.map((model) => [model.name, model]));
    // Dense 10→16 and 6→8, then 24→1 and 24→3.
    const both = 10 * 16 + 16 + (6 * 8 + 8) + (24 + 1) + (24 * 3 + 3);
    assert.equal(byName.get('by_list')!.parameterCount, both);
    assert.equal(byName.get('by_dict')!.parameterCount, both);
    assert.deepEqual(byName.get('by_dict')!.layers.map((layer) => layer.kind), ['linear', 'linear', 'linear', 'linear']);
    // Before, both of these were models of no layers and 0 parameters.
    assert.equal(byName.get('spread')!.parameterCount, null);
    assert.deepEqual(byName.get('spread')!.layers.map((layer) => [layer.ctor, layer.kind]).at(-1), ['heads', 'unknown']);
    assert.equal(byName.get('looped')!.parameterCount, null);
    assert.deepEqual(byName.get('looped')!.layers.map((layer) => layer.kind), ['unknown']);
  });

  it('counts preprocessing and augmentation layers as weightless, keeping the channels', () => {
    const program = parsePython(`import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.Rescaling(1.0 / 255),
    layers.Resizing(32, 32),
    layers.Conv2D(8, 3),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2),
])
`);
    const model = program.models[0]!;
    assert.deepEqual(model.layers.map((layer) => layer.params), [0, 0, 0, 0, 3 * 8 * 9 + 8, 0, 8 * 2 + 2]);
    assert.equal(model.parameterCount, 3 * 8 * 9 + 8 + 8 * 2 + 2);
  });

  it("counts Normalization's adapted mean, variance and count as non-trainable weights, and none when they are given", () => {
    const program = parsePython(`import keras
from keras import layers

features = keras.Sequential([keras.Input(shape=(9,)), layers.Normalization(), layers.Dense(1)])
pixels = keras.Sequential([keras.Input(shape=(4, 5, 3)), layers.Normalization(axis=(1, 2)), layers.Flatten()])
whole = keras.Sequential([keras.Input(shape=(9,)), layers.Normalization(axis=None)])
given = keras.Sequential([keras.Input(shape=(9,)), layers.Normalization(mean=0.5, variance=2.0)])
unsized = keras.Sequential([layers.Normalization(), layers.Dense(1)])
`);
    const nonTrainable = (name: string) => program.models.find((model) => model.name === name)!.layers[0]!.nonTrainable;
    // Keras builds a mean and a variance shaped as the kept axes, and one scalar count.
    assert.equal(nonTrainable('features'), 2 * 9 + 1);
    assert.equal(nonTrainable('pixels'), 2 * (4 * 5) + 1);
    assert.equal(nonTrainable('whole'), 2 * 1 + 1);
    assert.equal(nonTrainable('given'), 0);
    assert.equal(nonTrainable('unsized'), null);
    const features = program.models.find((model) => model.name === 'features')!;
    assert.deepEqual(features.layers.map((layer) => layer.params), [0, 9 + 1]);
  });

  it('reads a layer listed in a Sequential by the variable it was assigned to', () => {
    // TensorFlow's regression tutorial: the normalizer is made and adapted first, then listed.
    const program = parsePython(`import keras
import numpy as np
from keras import layers

normalizer = layers.Normalization(axis=-1)
normalizer.adapt(np.zeros((8, 9)))
hidden = layers.Dense(64, activation="relu")
model = keras.Sequential([keras.Input(shape=(9,)), normalizer, hidden, layers.Dense(1)])
`);
    const model = program.models.find((candidate) => candidate.name === 'model')!;
    assert.deepEqual(model.layers.map((layer) => [layer.kind, layer.in, layer.out, layer.params]), [
      ['unknown', 9, 9, 0],
      ['linear', 9, 64, 9 * 64 + 64],
      ['linear', 64, 1, 64 + 1],
    ]);
    assert.equal(model.layers[1]!.activation, 'relu');
    assert.equal(model.parameterCount, 9 * 64 + 64 + 64 + 1);
  });

  it('makes a model applied inside another one layer, however often it is applied, and a helper-built one a layer of unknown size (checked with tfjs)', () => {
    const program = parsePython(`import keras
from keras import layers


def feed_forward(width, hidden):
    return keras.Sequential([layers.Dense(hidden, activation="gelu"), layers.Dense(width), layers.Dropout(0.1)])


def build(width=32):
    inputs = keras.Input(shape=(16, width))
    ffn = keras.Sequential([keras.Input(shape=(16, width)), layers.Dense(128, activation="relu"), layers.Dense(width), layers.Dropout(0.1)])
    x = layers.LayerNormalization()(inputs)
    x = layers.Add()([inputs, ffn(x)])
    x = layers.Add()([x, ffn(layers.LayerNormalization()(x))])
    outputs = layers.Dense(10)(layers.GlobalAveragePooling1D()(x))
    return keras.Model(inputs, outputs)


def build_with_helper(width=32):
    inputs = keras.Input(shape=(16, width))
    x = layers.Add()([inputs, feed_forward(width, 128)(inputs)])
    return keras.Model(inputs, layers.Dense(10)(layers.GlobalAveragePooling1D()(x)))
`);
    const ffn = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [16, 32], units: 128, activation: 'relu' }), tf.layers.dense({ units: 32 }), tf.layers.dropout({ rate: 0.1 })],
    });
    const byName = new Map(program.models.map((model) => [model.name, model]));
    const build = byName.get('build')!;
    // Applied twice, the block is one layer: both applications share its weights.
    assert.deepEqual(
      build.layers.filter((layer) => layer.ref !== undefined).map((layer) => [layer.ref, layer.params]),
      [['ffn', ffn.countParams()]],
    );
    // What the block outputs is read when its Sequential is finished, after the outer model: its size stays unknown.
    assert.equal(build.parameterCount, null);
    const helper = byName.get('build_with_helper')!;
    assert.deepEqual(helper.layers.filter((layer) => layer.ref !== undefined).map((layer) => layer.ref), ['feed_forward']);
    assert.equal(helper.parameterCount, null);
  });

  it('leaves a layer variable that branches assign differently unknown, listed or added', () => {
    const program = parsePython(`import keras
from keras import layers

big = input() == "y"
if big:
    dense = layers.Dense(128)
else:
    dense = layers.Dense(64)
listed = keras.Sequential([keras.Input(shape=(8,)), dense, layers.Dense(1)])
added = keras.Sequential([keras.Input(shape=(8,))])
added.add(dense)
added.add(layers.Dense(1))
`);
    for (const name of ['listed', 'added']) {
      const model = program.models.find((candidate) => candidate.name === name)!;
      assert.deepEqual(model.layers.map((layer) => [layer.kind, layer.params]), [['unknown', null], ['linear', null]], name);
      assert.equal(model.parameterCount, null, name);
    }
  });

  it('reads activations passed as functions, as it reads them passed as names', () => {
    const program = parsePython(`import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.activations import swish

model = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(16, activation=tf.nn.relu),
    layers.Dense(16, activation=keras.activations.gelu),
    layers.Dense(16, activation=tf.keras.activations.tanh),
    layers.Dense(16, activation=swish),
    layers.Dense(16, activation=my_activation),
    layers.Dense(2, activation=tf.nn.softmax),
])
`);
    const layers = program.models[0]!.layers;
    assert.deepEqual(layers.map((layer) => layer.activation), ['relu', 'gelu', 'tanh', 'silu', undefined, 'softmax']);
    // The argument keeps what it is: a function, not a constant the evaluator knows.
    assert.ok(layers.every((layer) => layer.args.find((arg) => arg.name === 'activation')!.value !== 'relu'));
  });

  it('reads TensorFlow functions, keeps unknown ones and layer classes from elsewhere opaque', () => {
    const program = parsePython(`import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from mylib import CustomScale

inputs = keras.Input(shape=(8,))
x = layers.Dense(8)(inputs)
x = tf.nn.gelu(x)
x = tf.reduce_mean(tf.expand_dims(x, 1), axis=1)
x = CustomScale(2.0)(x)
steps = tf.shape(x)[0]
y = tf.concat([x, x * 0.5], axis=-1)
outputs = layers.Dense(1)(-y)
model = keras.Model(inputs, outputs)
`);
    const [model] = program.models;
    assert.deepEqual(flowOf(model!), [
      ['input', undefined, []],
      ['layer', 0, [0]],
      ['activation', 'gelu', [1]],
      ['opaque', 'expand_dims', [2]],
      ['opaque', 'reduce_mean', [3]],
      ['layer', 1, [4]],
      ['concat', undefined, [5]],
      ['layer', 2, [6]],
      ['output', undefined, [7]],
    ]);
    assert.deepEqual(model!.layers.map((layer) => [layer.kind, layer.ctor, layer.in, layer.params, layer.ref]), [
      ['linear', 'layers.Dense', 8, 72, undefined],
      ['unknown', 'CustomScale', null, null, undefined],
      ['linear', 'layers.Dense', null, null, undefined],
    ]);
  });

  it('applies blocks defined in the file as sub-models, whose counts stay their own', () => {
    const program = parsePython(`import keras
from keras import layers


class Mixer(layers.Layer):
    def __init__(self, width=8):
        super().__init__()
        self.fc = layers.Dense(width, input_dim=width)

    def call(self, x):
        return x + self.fc(x)


inputs = keras.Input(shape=(8,))
x = Mixer()(inputs)
x = Mixer(16)(x)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
`);
    const mixer = program.models.find((model) => model.name === 'Mixer')!;
    // Without a tensor reaching it the declared input_dim sizes the layer.
    assert.deepEqual(mixer.layers.map((layer) => [layer.in, layer.out, layer.params]), [[8, 8, 72]]);
    const model = program.models.find((candidate) => candidate.name === 'model')!;
    assert.deepEqual(flowOf(model), [
      ['input', undefined, []],
      ['layer', 0, [0]],
      ['layer', 1, [1]],
      ['layer', 2, [2]],
      ['output', undefined, [3]],
    ]);
    assert.deepEqual(model.layers.map((layer) => [layer.ctor, layer.ref, layer.params]), [
      ['Mixer', 'Mixer', 72],
      ['Mixer', 'Mixer', null],
      ['layers.Dense', undefined, null],
    ]);
  });
});
