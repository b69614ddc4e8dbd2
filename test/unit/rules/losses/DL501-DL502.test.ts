import { DL501 } from '../../../../src/core/rules/losses/DL501-softmax-before-cross-entropy';
import { DL502 } from '../../../../src/core/rules/losses/DL502-sigmoid-before-bce-with-logits';
import { testRule } from '../tester';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
const KERAS = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

const TWO_HEADS = `${KERAS}inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
label = layers.Dense(10, activation="softmax", name="label")(x)
box = layers.Dense(4, name="box")(x)
model = keras.Model(inputs, [label, box])
`;

/** A model ending in softmax (its line 10, column 16) and a training helper that takes it and its loss under other names. */
const SOFTMAX_NET_AND_TRAIN = `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return F.softmax(self.fc(x), dim=-1)

def train(model, loader, criterion):
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
`;

testRule(DL501, {
  valid: [
    { name: 'log_softmax + nll_loss (PyTorch MNIST)', code: `${HEADER}def step(output, target):\n    return F.nll_loss(F.log_softmax(output, dim=1), target)\n` },
    { name: 'raw logits', code: `${HEADER}criterion = nn.CrossEntropyLoss()\nloss = criterion(logits, labels)\n` },
    {
      name: 'a model ending in log_softmax into nll_loss (the PyTorch MNIST example)',
      code: `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 3)\n\n    def forward(self, x):\n        return F.log_softmax(self.fc(x), dim=1)\n\nmodel = Net()\nloss = F.nll_loss(model(x), y)\n`,
    },
    {
      name: 'a Keras loss variable set on one side of a branch only is not read',
      code: `${KERAS}model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(10, activation="softmax")])\nif use_logits:\n    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nelse:\n    loss_fn = "sparse_categorical_crossentropy"\nmodel.compile(optimizer="adam", loss=loss_fn)\n`,
    },
    { name: 'Keras softmax + categorical_crossentropy', code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation="softmax")])\nm.compile(optimizer="adam", loss="categorical_crossentropy")\n` },
    {
      name: 'per-output losses that match their outputs',
      code: `${TWO_HEADS}model.compile(optimizer="adam", loss={"label": "sparse_categorical_crossentropy", "box": "mse"})\n`,
    },
    {
      name: 'a list of losses for outputs given as a dict, whose order the code does not show',
      code: `${TWO_HEADS.replace('[label, box]', '{"label": label, "box": box}')}model.compile(optimizer="adam", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), "mse"])\n`,
    },
    {
      name: 'a per-output loss whose key names no output layer, and one behind **',
      code: `${TWO_HEADS}extra = {}\nmodel.compile(optimizer="adam", loss={"logits": keras.losses.SparseCategoricalCrossentropy(from_logits=True), **extra})\n`,
    },
    {
      name: 'TF.js raw logits into tf.losses.softmaxCrossEntropy in a custom step',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4]})]});\nconst optimizer = tf.train.adam(0.01);\nexport function step(xs, ys) {\n  optimizer.minimize(() => {\n    const logits = model.apply(xs);\n    return tf.losses.softmaxCrossEntropy(ys, logits);\n  });\n}\n",
    },
    { name: 'TF.js softmax + categoricalCrossentropy', kind: 'javascript', code: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4], activation: 'softmax'})]});\nm.compile({optimizer: 'adam', loss: 'categoricalCrossentropy'});\n" },
  ],
  invalid: [
    {
      code: `${HEADER}criterion = nn.CrossEntropyLoss()\nloss = criterion(F.softmax(logits, dim=1), labels)\n`,
      errors: [{ messageId: 'torch', line: 5, column: 18, endColumn: 42 }],
      output: `${HEADER}criterion = nn.CrossEntropyLoss()\nloss = criterion(logits, labels)\n`,
      safe: true,
    },
    {
      name: 'model whose forward ends in softmax',
      code: `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return F.softmax(self.fc(x), dim=-1)

model = Net()
loss_fn = nn.CrossEntropyLoss()
for x, y in data:
    out = model(x)
    loss = loss_fn(out, y)
`,
      errors: [{ messageId: 'torch', line: 10, column: 16 }],
      output: null,
    },
    {
      name: 'model and loss object passed to a training function under other names',
      code: `${SOFTMAX_NET_AND_TRAIN}
def main(loader):
    net = Net()
    loss_fn = nn.CrossEntropyLoss()
    train(net, loader, loss_fn)
`,
      errors: [{ messageId: 'torch', line: 10, column: 16 }],
      output: null,
    },
    {
      name: 'model and loss object made in the call of a training function',
      code: `${SOFTMAX_NET_AND_TRAIN}
train(Net(), data, nn.CrossEntropyLoss())
`,
      errors: [{ messageId: 'torch', line: 10, column: 16 }],
      output: null,
    },
    { name: 'softmax into NLLLoss', code: `${HEADER}loss = F.nll_loss(torch.softmax(out, 1), y)\n`, errors: [{ messageId: 'nll', line: 4, column: 19 }] },
    {
      // An evaluation helper that never says "loss" or trains: the functional loss's name is enough to read it.
      name: 'functional cross entropy in a file without training code',
      code: `${HEADER}def score(logits, y):\n    return F.cross_entropy(F.softmax(logits, dim=1), y)\n`,
      errors: [{ messageId: 'torch', line: 5, column: 28 }],
    },
    {
      name: 'Keras raw logits with a probability loss',
      code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\nm.compile(optimizer="adam", loss="sparse_categorical_crossentropy")\n`,
      errors: [{ messageId: 'logitsNotFromLogits', line: 4, column: 34 }],
    },
    {
      name: 'a per-output loss with from_logits=True on the softmax output',
      code: `${TWO_HEADS}model.compile(optimizer="adam", loss={"label": keras.losses.SparseCategoricalCrossentropy(from_logits=True), "box": "mse"})\n`,
      errors: [{ messageId: 'softmaxFromLogits', line: 8, column: 48 }],
    },
    {
      name: 'a list of losses whose first, for the softmax output, has from_logits=True',
      code: `${TWO_HEADS}model.compile(optimizer="adam", loss=[keras.losses.SparseCategoricalCrossentropy(from_logits=True), "mse"])\n`,
      errors: [{ messageId: 'softmaxFromLogits', line: 8, column: 39 }],
    },
    {
      name: 'raw logits of a model of the file into nll_loss',
      code: `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n\nmodel = Net()\nloss = F.nll_loss(model(x), y)\n`,
      errors: [{ messageId: 'nllRaw', line: 13, column: 8 }],
    },
    {
      name: 'Keras softmax with from_logits=True',
      code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation="softmax")])\nm.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n`,
      errors: [{ messageId: 'softmaxFromLogits', line: 4, column: 34 }],
    },
    {
      name: 'a dict of losses matched to a dict of outputs by its keys, not by the layers\' names',
      code: `${KERAS}inputs = keras.Input(shape=(32,))\nh = layers.Dense(64, activation="relu")(inputs)\nmodel = keras.Model(inputs, {"label": layers.Dense(10, activation="softmax", name="label_probs")(h), "flag": layers.Dense(1, name="flag_logit")(h)})\nmodel.compile(optimizer="adam", loss={"label": keras.losses.SparseCategoricalCrossentropy(from_logits=True), "flag": "mse"})\n`,
      errors: [{ messageId: 'softmaxFromLogits', line: 6, column: 48 }],
    },
    {
      name: 'a Keras loss object held in a variable, as the TensorFlow quickstart writes it',
      code: `${KERAS}model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")])\nloss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nmodel.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])\n`,
      errors: [{ messageId: 'softmaxFromLogits', line: 4, column: 11 }],
    },
    {
      name: 'a TF.js custom training step giving a softmax model\'s output to tf.losses.softmaxCrossEntropy',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4], activation: 'softmax'})]});\nconst optimizer = tf.train.adam(0.01);\nexport function step(xs, ys) {\n  optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.predict(xs)).mean());\n}\n",
      errors: [{ messageId: 'tfjsSoftmaxTwice', line: 5, column: 28, endLine: 5, endColumn: 80 }],
    },
    {
      name: 'TF.js raw logits, through a variable, into a loss on probabilities',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4]})]});\nexport function loss(xs, ys) {\n  const out = model.apply(xs);\n  return tf.metrics.categoricalCrossentropy(ys, out);\n}\n",
      errors: [{ messageId: 'tfjsLogitsToProbabilities', line: 5, column: 10 }],
    },
    {
      name: 'a TF.js softmax model compiled with a loss that applies softmax itself',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4], activation: 'softmax'})]});\nm.compile({optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy});\n",
      errors: [{ messageId: 'tfjsSoftmaxTwice', line: 3, column: 37 }],
    },
  ],
});

testRule(DL502, {
  valid: [
    {
      name: 'DCGAN discriminator with sigmoid and BCELoss',
      code: `${HEADER}class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Linear(784, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1), nn.Sigmoid())

    def forward(self, x):
        return self.main(x)

netD = D()
criterion = nn.BCELoss()
loss = criterion(netD(real), labels)
`,
    },
    { name: 'logits with BCEWithLogitsLoss', code: `${HEADER}loss = F.binary_cross_entropy_with_logits(logits, y)\n` },
    {
      name: 'multi-label outputs of a softmax into binary_crossentropy: probabilities, if unusual',
      code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation="softmax")])\nm.compile(optimizer="adam", loss="binary_crossentropy")\n`,
    },
    { name: 'probabilities recovered from log-probabilities', code: `${HEADER}loss = F.binary_cross_entropy(torch.exp(log_p), y)\n` },
    {
      name: 'a hard sigmoid output into binary_crossentropy',
      code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation="hard_sigmoid")])\nm.compile(optimizer="adam", loss="binary_crossentropy")\n`,
    },
  ],
  invalid: [
    {
      code: `${HEADER}criterion = nn.BCEWithLogitsLoss()\nloss = criterion(torch.sigmoid(logits), y)\n`,
      errors: [{ messageId: 'doubleSigmoid', line: 5, column: 18, endColumn: 39 }],
      output: `${HEADER}criterion = nn.BCEWithLogitsLoss()\nloss = criterion(logits, y)\n`,
    },
    {
      name: 'a sigmoid output indexed by a mask, then into the logits loss',
      code: `${HEADER}def masked(pred, target, mask):\n    return F.binary_cross_entropy_with_logits(torch.sigmoid(pred)[mask], target[mask])\n`,
      errors: [{ messageId: 'doubleSigmoid', line: 5, column: 47, endColumn: 66 }],
      output: `${HEADER}def masked(pred, target, mask):\n    return F.binary_cross_entropy_with_logits(pred[mask], target[mask])\n`,
    },
    {
      name: 'a sigmoid output squeezed, then into the logits loss',
      code: `${HEADER}def squeezed(pred, target):\n    return F.binary_cross_entropy_with_logits(torch.sigmoid(pred).squeeze(1), target)\n`,
      errors: [{ messageId: 'doubleSigmoid', line: 5, column: 47, endColumn: 66 }],
      output: `${HEADER}def squeezed(pred, target):\n    return F.binary_cross_entropy_with_logits(pred.squeeze(1), target)\n`,
    },
    {
      name: 'raw model output into BCELoss',
      code: `${HEADER}class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc(x)

netD = D()
criterion = nn.BCELoss()
loss = criterion(netD(x), y)
`,
      errors: [{ messageId: 'rawToBce', line: 13, column: 13 }],
    },
    {
      name: 'Keras raw logits with binary_crossentropy',
      code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])\nm.compile(optimizer="adam", loss="binary_crossentropy")\n`,
      errors: [{ messageId: 'kerasLogits', line: 4, column: 34 }],
    },
    {
      name: 'Keras ReLU outputs into binary_crossentropy',
      code: `${KERAS}m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="relu")])\nm.compile(optimizer="adam", loss="binary_crossentropy")\n`,
      errors: [{ messageId: 'kerasNotProbabilities', message: "last layer's relu", line: 4, column: 34 }],
    },
    {
      name: 'a TF.js softmax over one unit',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({inputShape: [8], units: 1, activation: 'softmax'}));\nm.compile({optimizer: 'adam', loss: 'binaryCrossentropy'});\n",
      errors: [{ messageId: 'singleSoftmax', line: 3, column: 63 }],
    },
    {
      name: 'a TF.js sigmoid model whose output a custom step gives to tf.losses.sigmoidCrossEntropy',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [4], activation: 'sigmoid'})]});\nexport const loss = (xs, ys) => tf.losses.sigmoidCrossEntropy(ys, model.predict(xs));\n",
      errors: [{ messageId: 'tfjsSigmoidTwice', line: 3, column: 33 }],
    },
    {
      name: 'TF.js raw logits compiled with binaryCrossentropy',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [4]})]});\nm.compile({optimizer: 'adam', loss: 'binaryCrossentropy'});\n",
      errors: [{ messageId: 'tfjsLogits', message: 'tf.losses.sigmoidCrossEntropy', line: 3, column: 37 }],
    },
    {
      name: 'a PyTorch model ending in ReLU into BCELoss',
      code: `${HEADER}class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        return F.relu(self.fc(x))

netD = D()
criterion = nn.BCELoss()
loss = criterion(netD(x), y)
`,
      errors: [{ messageId: 'torchNotProbabilities', message: 'comes out of relu', line: 13, column: 13 }],
    },
    {
      name: 'raw model output into the functional binary_cross_entropy',
      code: `${HEADER}class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc(x)

netD = D()
loss = F.binary_cross_entropy(netD(x), y)
`,
      errors: [{ messageId: 'rawToBce', line: 13, column: 8 }],
    },
    {
      name: 'a tanh written into the BCE call',
      code: `${HEADER}loss = F.binary_cross_entropy(torch.tanh(out), y)\n`,
      errors: [{ messageId: 'torchNotProbabilities', message: 'comes out of tanh', line: 4, column: 8 }],
    },
    {
      name: 'a per-output binary loss on raw outputs, by the output layer\'s name',
      code: `${TWO_HEADS}model.compile(optimizer="adam", loss={"label": "sparse_categorical_crossentropy", "box": "binary_crossentropy"})\n`,
      errors: [{ messageId: 'kerasLogits', line: 8, column: 90 }],
    },
    {
      name: 'a list of losses whose second, for the raw output, is binary_crossentropy',
      code: `${TWO_HEADS}model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "binary_crossentropy"])\n`,
      errors: [{ messageId: 'kerasLogits', line: 8, column: 74 }],
    },
  ],
});
