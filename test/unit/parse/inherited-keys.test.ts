import { strict as assert } from 'node:assert';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { isUnknown, type Model, type Program } from '../../../src/core/ir/types';
import { parsePython } from '../../../src/core/parse/python';

// Names every JavaScript object inherits: a lookup table that is a plain object finds them all.
const KERAS = 'import keras\nimport tensorflow as tf\nfrom keras import layers\n';
const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
const TFJS = "import * as tf from '@tensorflow/tfjs';\n";

function javascript(text: string): Program {
  const { program } = analyzeText('javascript', text, defaultConfig());
  assert.ok(program, 'no program');
  return program;
}

function onlyModel(program: Program): Model {
  assert.equal(program.models.length, 1);
  return program.models[0]!;
}

/** Each flow node as [op, activation or label]. */
function flowOf(model: Model): [string, string | undefined][] {
  return model.flow.map((node) => [node.op, node.activation ?? node.label]);
}

describe('Lookups keyed by names from user code, named like inherited object members', () => {
  it('reads no Keras activation from an activation string named like an object member', () => {
    const program = parsePython(`${KERAS}model = keras.Sequential([
    keras.Input(shape=(3,)),
    layers.Dense(4, activation="constructor"),
    layers.Dense(4, activation="__proto__"),
    layers.Dense(2, activation="relu"),
])
`);
    assert.deepEqual(
      onlyModel(program).layers.map((layer) => [layer.kind, layer.activation]),
      [
        ['linear', undefined],
        ['linear', undefined],
        ['linear', 'relu'],
      ],
    );
  });

  it('gives a Keras loss or optimizer named like an object member the kind other, or none for a loss class', () => {
    const strings = parsePython(`${KERAS}model = keras.Sequential([layers.Dense(4)])
model.compile(loss="constructor", optimizer="constructor")
model.compile(loss="__proto__", optimizer="__proto__")
`);
    assert.deepEqual(
      strings.losses.map((loss) => loss.kind),
      ['other', 'other'],
    );
    assert.deepEqual(
      strings.optimizers.map((optimizer) => optimizer.kind),
      ['other', 'other'],
    );
    const calls = parsePython(`${KERAS}model = keras.Sequential([layers.Dense(4)])
model.compile(loss=keras.losses.constructor(), optimizer=keras.optimizers.__proto__(0.1))
`);
    assert.deepEqual(calls.losses, []);
    assert.deepEqual(
      calls.optimizers.map((optimizer) => [optimizer.kind, optimizer.lr]),
      [['other', 0.1]],
    );
  });

  it('reads no Keras variance-scaling mode named like an object member', () => {
    const program = parsePython(`${KERAS}model = keras.Sequential([
    keras.Input(shape=(3,)),
    layers.Dense(4, kernel_initializer=keras.initializers.VarianceScaling(mode="constructor")),
])
`);
    assert.deepEqual(onlyModel(program).layers[0]!.init?.dist, { family: 'unknown' });
  });

  it('reads Keras functions named like object members as unknown calls, in functional and subclassed models', () => {
    const functional = parsePython(`${KERAS}inputs = keras.Input(shape=(4,))
x = layers.Dense(4)(inputs)
y = constructor(tf.nn.constructor(x))
outputs = layers.Dense(2)(y)
model = keras.Model(inputs, outputs)
`);
    assert.deepEqual(flowOf(onlyModel(functional)), [
      ['input', undefined],
      ['layer', undefined],
      ['opaque', 'constructor'],
      ['opaque', 'constructor'],
      ['layer', undefined],
      ['output', undefined],
    ]);
    const subclassed = parsePython(`${KERAS}class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4)
        self.out = layers.Dense(2)

    def call(self, x):
        return self.out(constructor(tf.nn.constructor(self.hidden(x))))
`);
    assert.deepEqual(flowOf(onlyModel(subclassed)), [
      ['input', undefined],
      ['layer', undefined],
      ['opaque', 'constructor'],
      ['opaque', 'constructor'],
      ['layer', undefined],
      ['output', undefined],
    ]);
  });

  it('reads no PyTorch activation from a function or tensor method named like an object member', () => {
    const program = parsePython(`${TORCH}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return F.constructor(self.fc(x)).toString().valueOf()
`);
    const activations = onlyModel(program).flow.filter((node) => node.op === 'activation');
    assert.deepEqual(activations, []);
  });

  it('reads no activation before a PyTorch loss from a tensor method named like an object member', () => {
    const program = parsePython(`${TORCH}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)

model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
for x, y in data:
    out = model(x)
    loss = criterion(out.constructor(), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
`);
    assert.deepEqual(
      program.losses.map((loss) => [loss.kind, loss.inputActivation]),
      [['cross_entropy', null]],
    );
  });

  it('reads no TF.js activation from an activation string named like an object member', () => {
    const program = javascript(`${TFJS}const model = tf.sequential();
model.add(tf.layers.dense({units: 4, inputShape: [3], activation: 'constructor'}));
model.add(tf.layers.dense({units: 2, activation: '__proto__'}));
`);
    assert.deepEqual(
      onlyModel(program).layers.map((layer) => [layer.kind, layer.activation, layer.params]),
      [
        ['linear', undefined, 16],
        ['linear', undefined, 10],
      ],
    );
  });

  it('gives a TF.js loss or optimizer named like an object member the kind other', () => {
    const strings = javascript(`${TFJS}const model = tf.sequential();
model.add(tf.layers.dense({units: 4, inputShape: [3]}));
model.compile({loss: 'constructor', optimizer: 'valueOf'});
model.compile({loss: 'toString', optimizer: 'constructor'});
`);
    assert.deepEqual(
      strings.losses.map((loss) => [loss.kind, loss.fromLogits]),
      [
        ['other', false],
        ['other', false],
      ],
    );
    assert.deepEqual(
      strings.optimizers.map((optimizer) => optimizer.kind),
      ['other', 'other'],
    );
    const calls = javascript(`${TFJS}const model = tf.sequential();
model.add(tf.layers.dense({units: 4, inputShape: [3]}));
model.compile({loss: tf.losses.constructor, optimizer: tf.train.constructor(0.1)});
`);
    assert.deepEqual(
      calls.losses.map((loss) => [loss.kind, loss.fromLogits]),
      [['other', false]],
    );
    assert.deepEqual(
      calls.optimizers.map((optimizer) => [optimizer.kind, optimizer.lr]),
      [['other', 0.1]],
    );
  });

  it('reads no TF.js custom-training loss from a call named like an object member', () => {
    const program = javascript(`${TFJS}const model = tf.sequential();
model.add(tf.layers.dense({units: 4, inputShape: [3]}));
const optimizer = tf.train.adam();
function step(xs, ys) {
  return optimizer.minimize(() => tf.constructor(ys, model.predict(xs)));
}
`);
    assert.deepEqual(program.losses, []);
  });

  it('gives a TF.js variable created by a function named like an object member the creator other', () => {
    const program = javascript(`${TFJS}const w = tf.variable(tf.constructor([4, 2]));
const b = tf.variable(tf.toString([2]));
function f(x) {
  return tf.matMul(x, w).add(b);
}
`);
    assert.deepEqual(
      onlyModel(program).parameters.map((parameter) => [parameter.name, parameter.creator]),
      [
        ['w', 'other'],
        ['b', 'other'],
      ],
    );
  });

  it('reads a TF.js constant object member named like an inherited member as unknown', () => {
    const program = javascript(`${TFJS}const cfg = {units: 4};
const model = tf.sequential();
model.add(tf.layers.dense({units: cfg.units, inputShape: [3], activation: cfg.constructor}));
model.add(tf.layers.dense({units: cfg.toString}));
`);
    const args = onlyModel(program).layers.map((layer) => layer.args.map((arg) => [arg.name, isUnknown(arg.value) ? 'unknown' : arg.value]));
    assert.deepEqual(args, [
      [
        ['units', 4],
        ['inputShape', [3]],
        ['activation', 'unknown'],
      ],
      [['units', 'unknown']],
    ]);
  });
});
