import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { analyzeText } from '../../../../src/core/analyze';
import { defaultConfig } from '../../../../src/core/config';
import { parsePython } from '../../../../src/core/parse/python';

/** PyTorch imports and a classifier with dropout whose forward ends in `F.<ending>`. */
function classifierEndingIn(ending: string): string {
  return `import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 3)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return F.${ending}(self.drop(self.fc(x)), dim=1)`;
}

describe('Python front end: training code', () => {
  const text = `${classifierEndingIn('log_softmax')}

model = Net().to("cuda")
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)

def train(loader):
    model.train()
    for epoch in range(10):
        for step, (x, y) in enumerate(loader):
            out = model(x)
            loss = criterion(out, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()

@torch.no_grad()
def evaluate(x):
    model.eval()
    return model(x)

with torch.inference_mode():
    model(x)
    loss.backward()
`;
  const program = parsePython(text);

  it('links losses to the activation and the model that feed them', () => {
    assert.deepEqual(
      program.losses.map((loss) => [loss.kind, loss.inputActivation?.fn, loss.model]),
      [['cross_entropy', 'log_softmax', 'Net']],
    );
  });

  it('reads optimizers with their defaults and model', () => {
    assert.deepEqual(program.optimizers.map((o) => [o.kind, o.lr, o.weightDecay, o.model]), [['adamw', 3e-4, 0.01, 'Net']]);
  });

  it('finds the innermost training loop with its zero_grad/backward/step/clip calls', () => {
    assert.equal(program.loops.length, 1);
    const [loop] = program.loops;
    assert.equal(loop!.kind, 'loop');
    assert.deepEqual([loop!.zeroGrad.length, loop!.backward.length, loop!.step.length, loop!.clip.length], [0, 1, 1, 1]);
    assert.deepEqual(loop!.models, ['Net']);
    assert.equal(text.slice(loop!.headerSpan.start, loop!.headerSpan.end).trim(), 'for step, (x, y) in enumerate(loader)');
  });

  it('reads no_grad regions, decorators included, and mode calls', () => {
    assert.deepEqual(program.noGrad.map((region) => [region.kind, region.calls.map((call) => call.model), region.backward.length]), [
      ['no_grad', ['Net'], 0],
      ['inference_mode', ['Net'], 1],
    ]);
    assert.deepEqual(program.modeCalls.map((call) => [call.model, call.mode]), [['Net', 'train'], ['Net', 'eval']]);
  });

  it('sees gradient accumulation in nested loops and modulo-guarded steps', () => {
    const accumulated = parsePython(`import torch
for it in range(100):
    for micro in range(4):
        loss = model(x) / 4
        scaler.scale(loss).backward()
    scaler.step(optimizer)
    optimizer.zero_grad(set_to_none=True)

for i, batch in enumerate(data):
    loss = compute(batch)
    loss.backward()
    if (i + 1) % 8 == 0:
        opt.step()
        opt.zero_grad()
`);
    assert.deepEqual(accumulated.loops.map((loop) => [loop.accumulation, loop.step.length, loop.zeroGrad.length]), [
      [true, 1, 1],
      [true, 1, 1],
    ]);
  });

  it('reads training code that names PyTorch only through the conventional nn, F and optim, and none in Keras code', () => {
    // A snippet without imports: the names still qualify to torch.
    const snippet = parsePython(`loss = F.cross_entropy(F.softmax(logits, dim=1), y)
criterion = nn.MSELoss()
opt = optim.SGD(params, lr=0.1)
`);
    assert.deepEqual(snippet.losses.map((loss) => loss.kind), ['cross_entropy', 'mse']);
    assert.deepEqual(snippet.optimizers.map((optimizer) => optimizer.kind), ['sgd']);
    const keras = parsePython(`import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(10, activation=tf.nn.softmax)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
loss = F.cross_entropy
`);
    assert.deepEqual(keras.losses.map((loss) => loss.kind), ['sparse_categorical_crossentropy']);
  });

  describe('model classes that name nothing of training', () => {
    const header = `import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return self.drop(self.fc(x))
`;

    it('reads the training code they hold under names an import gives', () => {
      const program = parsePython(`${header}
from torch.optim import AdamW as Opt
from torch.nn.functional import cross_entropy as ce

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()

    def forward(self, x, y):
        return ce(self.block(x), y)

    def make_optimizer(self):
        return Opt(self.parameters(), lr=1e-3)
`);
      assert.deepEqual(program.losses.map((loss) => loss.kind), ['cross_entropy']);
      assert.deepEqual(program.optimizers.map((optimizer) => [optimizer.kind, optimizer.lr]), [['adamw', 1e-3]]);
    });

    /** A model class whose `score` method returns `expression`, and a loss object made after it at module level. */
    const scoring = (expression: string) =>
      parsePython(`${header}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()

    def score(self, x, y):
        return ${expression}

criterion = nn.CrossEntropyLoss()
`);

    it('reads their calls of a loss object made elsewhere', () => {
      const program = scoring('criterion (torch.softmax(self.block(x), dim=1), y)');
      assert.equal(program.losses[0]!.inputActivation?.fn, 'softmax');
    });

    it('does not take an attribute or a longer name for a call of that loss object', () => {
      const program = scoring('self.criterion(torch.softmax(self.block(x), dim=1), y) + my_criterion(torch.softmax(x, dim=1), y)');
      assert.equal(program.losses.length, 1);
      assert.equal(program.losses[0]!.inputActivation, null);
    });

    it('keeps the submodules their methods bind out of the model instances', () => {
      // `block` in Net.__init__ holds a submodule; the no_grad call below is of a function's own argument.
      const program = parsePython(`${header}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        block = Block()
        self.block = block

def predict(block, x):
    with torch.no_grad():
        return block(x)
`);
      assert.deepEqual(program.noGrad.map((region) => region.calls.map((call) => call.model)), [[]]);
    });
  });
});

describe('Python front end: models and losses passed to functions', () => {
  const header = `${classifierEndingIn('softmax')}

class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 3)

    def forward(self, x):
        return self.fc(x)

def train(model, loader, criterion, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()

def evaluate(model, loader):
    with torch.no_grad():
        return [model(x) for x, _ in loader]
`;

  it('gives the parameters the model and the loss object the calls pass in by variable', () => {
    const program = parsePython(`${header}
def main(loader):
    net = Net()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    train(net, loader, loss_fn, opt)
    evaluate(loader=loader, model=net)
`);
    assert.deepEqual(
      program.losses.map((loss) => [loss.kind, loss.inputActivation?.fn, loss.model]),
      [['cross_entropy', 'softmax', 'Net']],
    );
    assert.deepEqual(program.noGrad.map((region) => region.calls.map((call) => call.model)), [['Net']]);
  });

  it('gives the parameters a model and a loss object made right in the call', () => {
    const source = `${header}
def main(loader):
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    train(net, loader, nn.CrossEntropyLoss(), opt)
    evaluate(Net(), loader)
`;
    const program = parsePython(source);
    const made = source.indexOf('nn.CrossEntropyLoss()');
    assert.deepEqual(
      program.losses.map((loss) => [loss.kind, loss.span, loss.inputActivation?.fn, loss.model]),
      [['cross_entropy', { start: made, end: made + 'nn.CrossEntropyLoss()'.length }, 'softmax', 'Net']],
    );
    assert.deepEqual(program.noGrad.map((region) => region.calls.map((call) => call.model)), [['Net']]);
  });

  it('links nothing when the calls make different losses in place', () => {
    const program = parsePython(`${header}
def main(loader, opt):
    net = Net()
    train(net, loader, nn.CrossEntropyLoss(), opt)
    train(net, loader, nn.NLLLoss(), opt)
`);
    assert.deepEqual(
      program.losses.map((loss) => [loss.kind, loss.inputActivation]),
      [['cross_entropy', null], ['nll', null]],
    );
  });

  it('follows them through a chain of calls', () => {
    const program = parsePython(`${header}
def fit(network, data, objective, opt):
    train(network, data, objective, opt)

def main(loader):
    net = Net()
    loss_fn = nn.CrossEntropyLoss()
    fit(net, loader, loss_fn, torch.optim.SGD(net.parameters(), lr=0.1))
`);
    assert.deepEqual(program.losses.map((loss) => [loss.inputActivation?.fn, loss.model]), [['softmax', 'Net']]);
  });

  it('links nothing when the calls pass different models, or a variable that holds none', () => {
    for (const calls of ['evaluate(a, loader)\n    evaluate(b, loader)', 'evaluate(a, loader)\n    evaluate(other, loader)']) {
      const program = parsePython(`${header}
def main(loader, other):
    a = Net()
    b = Other()
    ${calls}
`);
      assert.deepEqual(program.noGrad.map((region) => region.calls.map((call) => call.model)), [[]], calls);
    }
  });

  it('gives a parameter what its calls pass in, not what a variable of that name elsewhere holds', () => {
    const program = parsePython(`${header}
model = Other()

def main(loader):
    net = Net()
    evaluate(net, loader)
`);
    assert.deepEqual(program.noGrad.map((region) => region.calls.map((call) => call.model)), [['Net']]);
  });

  it('maps only keywords onto a function that takes *args', () => {
    const program = parsePython(`${header}
def check(*args, model=None):
    with torch.no_grad():
        return model(args[0])

def peek(*args):
    with torch.no_grad():
        return args[0]

def main(x):
    net = Net()
    check(x, model=net)
    peek(net)
`);
    // evaluate() is not called: its parameter holds nothing known.
    assert.deepEqual(program.noGrad.map((region) => region.calls.map((call) => call.model)), [[], ['Net'], []]);
  });

  it('lets DL501 and DL602 judge the model and loss passed in', () => {
    const { findings } = analyzeText(
      'python',
      `${header}
def main(loader):
    net = Net()
    loss_fn = nn.CrossEntropyLoss()
    train(net, loader, loss_fn, torch.optim.SGD(net.parameters(), lr=0.1))
    evaluate(net, loader)
`,
      defaultConfig(),
    );
    assert.deepEqual(findings.map((finding) => finding.code).sort(), ['DL501', 'DL602']);
  });
});

describe('Python front end: Keras', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('reads Sequential models with sizes that match the real layer arithmetic (checked with tfjs)', () => {
    const program = parsePython(`import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Flatten(),
    layers.Dropout(0.5),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=15)
`);
    const [model] = program.models;
    // TF.js mirrors Keras's layer arithmetic, so it is an independent count of the same architecture.
    const reference = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    assert.equal(model!.parameterCount, reference.countParams());
    assert.deepEqual(model!.inputShape, [28, 28, 1]);
    assert.equal(model!.layers[6]!.activation, 'softmax');
    assert.equal(model!.layers[0]!.init!.name, 'glorot_uniform');
    assert.deepEqual(program.losses.map((loss) => [loss.kind, loss.fromLogits, loss.model]), [['categorical_crossentropy', false, 'model']]);
    assert.deepEqual(program.loops.map((loop) => [loop.kind, loop.models]), [['fit', ['model']]]);
  });

  it('builds functional models as graphs and reads initializers, from_logits and clipnorm', () => {
    const program = parsePython(`from tensorflow import keras
from tensorflow.keras import layers

def build(units=64):
    inputs = keras.Input(shape=(32,))
    x = layers.Dense(units, activation="relu", kernel_initializer="he_normal")(inputs)
    y = layers.Dense(units, kernel_initializer=keras.initializers.RandomNormal(stddev=0.02))(x)
    z = layers.add([x, y])
    outputs = layers.Dense(3)(z)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model
`);
    const [model] = program.models;
    assert.equal(model!.name, 'build');
    assert.deepEqual(model!.layers.map((layer) => layer.params), [32 * 64 + 64, 64 * 64 + 64, 64 * 3 + 3]);
    assert.deepEqual(model!.layers[0]!.init!.dist, { family: 'variance_scaling', scale: 2, mode: 'fan_in', distribution: 'truncated_normal' });
    assert.deepEqual(model!.layers[1]!.init!.dist, { family: 'normal', mean: 0, std: 0.02 });
    const add = model!.flow.find((node) => node.op === 'add')!;
    assert.equal(add.inputs.length, 2);
    assert.deepEqual(program.losses.map((loss) => loss.fromLogits), [true]);
    assert.deepEqual(program.optimizers.map((o) => [o.kind, o.lr, o.clipnorm]), [['adam', 1e-3, 1]]);
  });

  it('appends model.add layers in order', () => {
    const analysis = analyzeText('python', `import tensorflow as tf
model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(8, input_shape=(4,)))
model.add(tf.keras.layers.Dense(2, activation='sigmoid'))
`, defaultConfig());
    const [model] = analysis.program!.models;
    assert.deepEqual(model!.layers.map((layer) => [layer.in, layer.out]), [[4, 8], [8, 2]]);
  });
});

describe('Python front end: Keras models returned by a function', () => {
  const factory = (body: string, use: string) => `from tensorflow import keras
from tensorflow.keras import layers


def make_model(num_classes):
${body}


${use}
`;
  const functional = `    inputs = keras.Input(shape=(32,))
    x = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    net = keras.Model(inputs, outputs)
    return net`;
  const compile = `model = make_model(10)
model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(1e-3))
model.fit(x, y, epochs=5)`;

  it('gives the compile and fit calls on the returned model that model', () => {
    const program = parsePython(factory(functional, compile));
    assert.deepEqual(program.models.map((model) => model.name), ['net']);
    assert.deepEqual(program.losses.map((loss) => [loss.kind, loss.model]), [['sparse_categorical_crossentropy', 'net']]);
    assert.deepEqual(program.optimizers.map((optimizer) => [optimizer.kind, optimizer.lr, optimizer.model]), [['adam', 1e-3, 'net']]);
    assert.deepEqual(program.loops.map((loop) => [loop.kind, loop.models]), [['fit', ['net']]]);
  });

  it('links a call made inside another function too', () => {
    const program = parsePython(factory(functional, `def train(x, y):\n    ${compile.split('\n').join('\n    ')}`));
    assert.deepEqual(program.losses.map((loss) => loss.model), ['net']);
  });

  it('links nothing when the function builds no model or several', () => {
    const two = `${functional}\n    other = keras.Sequential([layers.Dense(4)])\n    return other`;
    for (const body of ['    return 3', two]) {
      const program = parsePython(factory(body, compile));
      assert.deepEqual([program.losses, program.optimizers, program.loops], [[], [], []], body);
    }
  });

  it('links nothing when the call passes another value than a default the model was read with', () => {
    const withDefault = factory(functional.replace('activation="softmax"', 'activation=output_activation'), 'model = make_model(10, output_activation=None)\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")').replace('def make_model(num_classes):', 'def make_model(num_classes, output_activation="softmax"):');
    const analysis = analyzeText('python', withDefault, defaultConfig());
    // Read with its default the model ends in softmax; the one built here does not. Before, DL501 was reported.
    assert.deepEqual(analysis.findings.map((finding) => finding.code), []);
    assert.deepEqual(analysis.program!.losses.map((loss) => loss.model), []);
  });

  it('lets the loss rules judge the returned model: softmax output with from_logits=True', () => {
    const analysis = analyzeText('python', factory(functional, 'model = make_model(10)\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), optimizer="adam")'), defaultConfig());
    assert.deepEqual(analysis.findings.map((finding) => finding.code), ['DL501']);
  });
});
