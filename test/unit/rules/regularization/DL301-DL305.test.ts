import { DL301 } from '../../../../src/core/rules/regularization/DL301-no-dropout';
import { DL302 } from '../../../../src/core/rules/regularization/DL302-dropout-on-output';
import { DL303 } from '../../../../src/core/rules/regularization/DL303-invalid-dropout-rate';
import { DL304 } from '../../../../src/core/rules/regularization/DL304-functional-dropout-always-on';
import { DL305 } from '../../../../src/core/rules/regularization/DL305-dropout-before-batchnorm';
import { testRule } from '../tester';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

testRule(DL301, {
  valid: [
    { name: 'VGG classifier with dropout', code: `${HEADER}classifier = nn.Sequential(nn.Linear(25088, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))\n` },
    { name: 'weight decay on the optimizer', code: `${HEADER}class Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(1024, 1024)\n        self.b = nn.Linear(1024, 1024)\n        self.c = nn.Linear(1024, 10)\n\nmodel = Big()\nopt = torch.optim.AdamW(model.parameters(), lr=1e-3)\n` },
    { name: 'small MLP', code: `${HEADER}m = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))\n` },
    {
      name: 'weight decay in parameter groups built from named_parameters()',
      code: `${HEADER}model = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))\ngroups = [\n    {"params": [p for n, p in model.named_parameters() if not n.endswith("bias")], "weight_decay": 0.05},\n    {"params": [p for n, p in model.named_parameters() if n.endswith("bias")], "weight_decay": 0.0},\n]\nopt = torch.optim.SGD(groups, lr=0.1)\n`,
    },
    {
      name: 'weight decay in parameter groups a helper of the file builds',
      code: `${HEADER}class Big(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(1024, 1024)\n        self.b = nn.Linear(1024, 1024)\n        self.c = nn.Linear(1024, 10)\n\n    def forward(self, x):\n        return self.c(F.relu(self.b(F.relu(self.a(x)))))\n\n\ndef param_groups(model, decay):\n    return [{"params": model.a.parameters(), "weight_decay": decay}, {"params": model.c.parameters(), "weight_decay": 0.0}]\n\n\nmodel = Big()\nopt = torch.optim.SGD(param_groups(model, 0.05), lr=0.1)\n`,
    },
    {
      name: 'Keras L2 kernel regularizers instead of dropout',
      code: `from tensorflow import keras\nfrom tensorflow.keras import layers, regularizers\n\nmodel = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(1024, activation="relu", kernel_regularizer=regularizers.l2(1e-4)), layers.Dense(1024, activation="relu", kernel_regularizer=regularizers.l2(1e-4)), layers.Dense(10)])\n`,
    },
    {
      name: 'TF.js L2 kernel regularizers instead of dropout',
      kind: 'javascript',
      code: `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({inputShape: [784], units: 1024, activation: 'relu', kernelRegularizer: tf.regularizers.l2({l2: 1e-4})}));\nmodel.add(tf.layers.dense({units: 1024, activation: 'relu', kernelRegularizer: tf.regularizers.l2({l2: 1e-4})}));\nmodel.add(tf.layers.dense({units: 10}));\n`,
    },
    {
      name: 'VAE: one layer feeding two heads is not a plain stack',
      code: `${HEADER}class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))
`,
    },
  ],
  invalid: [
    {
      code: `${HEADER}m = nn.Sequential(
    nn.Linear(784, 1024),
    nn.ReLU(),
    nn.Linear(1024, 1024),
    nn.ReLU(),
    nn.Linear(1024, 10),
)
`,
      errors: [{ message: '3 layers (1,863,690 parameters, widest 1024)', line: 4, column: 1 }],
      output: `${HEADER}m = nn.Sequential(
    nn.Linear(784, 1024),
    nn.ReLU(),
    nn.Linear(1024, 1024),
    nn.ReLU(),
    nn.Dropout(p=0.5),
    nn.Linear(1024, 10),
)
`,
    },
  ],
});

// A block that ends in dropout, like timm's Mlp.
const DROPOUT_LAST_BLOCK = `${HEADER}class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return self.drop(self.fc(x))
`;

testRule(DL302, {
  valid: [
    { name: 'a class ending in dropout that the file neither trains nor uses (a block, as timm’s Mlp)', code: DROPOUT_LAST_BLOCK },
    {
      name: 'a Keras Sequential stored on a subclassed model is a part, not a model',
      code: `from tensorflow import keras
from tensorflow.keras import layers

class Classifier(keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dropout(0.1)])
        self.head = layers.Dense(10)

    def call(self, inputs):
        return self.head(self.stem(inputs))
`,
    },
    {
      name: 'a Keras feed-forward block ending in dropout, applied in residual branches of a functional model',
      code: `from tensorflow import keras
from tensorflow.keras import layers


def feed_forward(width, hidden, rate):
    return keras.Sequential([layers.Dense(hidden, activation="gelu"), layers.Dense(width), layers.Dropout(rate)])


def build(width=32):
    inputs = keras.Input(shape=(16, width))
    ffn = keras.Sequential([layers.Dense(128, activation="relu"), layers.Dense(width), layers.Dropout(0.1)])
    x = layers.Add()([inputs, ffn(layers.LayerNormalization()(inputs))])
    x = layers.Add()([x, feed_forward(width, 128, 0.1)(layers.LayerNormalization()(x))])
    outputs = layers.Dense(10)(layers.GlobalAveragePooling1D()(x))
    return keras.Model(inputs, outputs)


model = build()
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
`,
    },
    {
      name: 'a TF.js feed-forward block ending in dropout, applied in residual branches of a functional model',
      kind: 'javascript',
      code: `import * as tf from '@tensorflow/tfjs';

function feedForward(width) {
  return tf.sequential({layers: [tf.layers.dense({inputShape: [16, width], units: 128, activation: 'relu'}), tf.layers.dense({units: width}), tf.layers.dropout({rate: 0.1})]});
}

export function build(width = 32) {
  const inputs = tf.input({shape: [16, width]});
  const ffn = tf.sequential();
  ffn.add(tf.layers.dense({inputShape: [16, width], units: 128, activation: 'relu'}));
  ffn.add(tf.layers.dense({units: width}));
  ffn.add(tf.layers.dropout({rate: 0.1}));
  let x = tf.layers.add().apply([inputs, ffn.apply(tf.layers.layerNormalization().apply(inputs))]);
  x = tf.layers.add().apply([x, feedForward(width).apply(tf.layers.layerNormalization().apply(x))]);
  const outputs = tf.layers.dense({units: 10, activation: 'softmax'}).apply(tf.layers.globalAveragePooling1d().apply(x));
  const model = tf.model({inputs, outputs});
  model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy'});
  return model;
}
`,
    },
    {
      name: 'transformer block ending in residual dropout, used inside a model',
      code: `${HEADER}class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return self.drop(self.fc(x))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block(8)
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(x + self.block(x))
`,
    },
  ],
  invalid: [
    { code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2), nn.Dropout(0.5))\n`, errors: [{ line: 4, column: 64, endColumn: 74 }] },
    {
      name: 'a class trained in the file: its output is the prediction',
      code: `${DROPOUT_LAST_BLOCK}
model = Block(8)
optimizer = torch.optim.Adam(model.parameters())
for x, y in data:
    optimizer.zero_grad()
    F.cross_entropy(model(x), y).backward()
    optimizer.step()
`,
      errors: [{ line: 8, column: 21, endColumn: 31 }],
    },
  ],
});

testRule(DL303, {
  valid: [{ code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Linear(8, 2))\n` }],
  invalid: [
    { code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.Dropout(p=1.0), nn.Linear(8, 2))\n`, errors: [{ messageId: 'outOfRange', line: 4, column: 49, endColumn: 52, severity: 'error' }] },
    { code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.9), nn.Linear(8, 2))\n`, errors: [{ messageId: 'high', message: 'Did you mean 0.1?', line: 4, column: 47, severity: 'warning' }] },
    {
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.dense({units: 4, inputShape: [4]}), tf.layers.dropout({rate: -0.2}), tf.layers.dense({units: 1})]});\n",
      errors: [{ messageId: 'outOfRange', line: 2, column: 106 }],
    },
  ],
});

const NET = (call: string) => `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return ${call}
`;

testRule(DL304, {
  valid: [
    { code: NET('F.dropout(self.fc(x), 0.1, training=self.training)') },
    { code: NET('F.dropout(self.fc(x), 0.1, self.training)') },
  ],
  invalid: [
    {
      code: NET('F.dropout(self.fc(x), p=0.1)'),
      errors: [{ line: 10, column: 16, endColumn: 44 }],
      output: NET('F.dropout(self.fc(x), p=0.1, training=self.training)'),
      safe: true,
    },
  ],
});

testRule(DL305, {
  valid: [{ code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 2))\n` }],
  invalid: [{ code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Dropout(0.2), nn.BatchNorm1d(8), nn.Linear(8, 2))\n`, errors: [{ line: 4, column: 47, endColumn: 57 }] }],
});
