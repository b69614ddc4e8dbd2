import { DL101 } from '../../../../src/core/rules/init/DL101-missing-init';
import { testRule } from '../tester';

const deepRelu = (extra = '') => `import torch.nn as nn
import torch.nn.functional as F

class Deep(nn.Module):
    def __init__(self, width=128):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(8)])${extra}

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return x
`;

testRule(DL101, {
  valid: [
    {
      name: "weight-normed convolutions (HiFi-GAN's discriminators): the reparametrization normalizes each weight",
      code: `import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm, weight_norm


class ScaleDiscriminator(nn.Module):
    def __init__(self, use_spectral_norm=False):
        super().__init__()
        norm_f = spectral_norm if use_spectral_norm else weight_norm
        self.convs = nn.ModuleList([norm_f(nn.Conv1d(1 if i == 0 else 64, 64, 5, padding=2)) for i in range(6)])
        self.post = norm_f(nn.Conv1d(64, 1, 3, padding=1))

    def forward(self, x):
        for conv in self.convs:
            x = F.leaky_relu(conv(x), 0.1)
        return self.post(x)
`,
    },
    {
      name: 'parallel output heads are not depth (three weight layers on the longest path)',
      code: `import keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(32,))\nx = layers.Dense(64, activation="relu")(inputs)\nx = layers.Dense(64, activation="relu")(x)\na = layers.Dense(10, name="a")(x)\nb = layers.Dense(1, name="b")(x)\nc = layers.Dense(4, name="c")(x)\nd = layers.Dense(2, name="d")(x)\nmodel = keras.Model(inputs, [a, b, c, d])\n`,
    },
    { name: 'shallow MLP', code: 'import torch.nn as nn\nmlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n' },
    { name: 'deep stack with He init', code: deepRelu('\n        for layer in self.layers:\n            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")') },
    {
      name: 'deep stack with BatchNorm (VGG style)',
      code: `import torch.nn as nn
features = nn.Sequential(
    nn.Conv2d(3, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.BatchNorm2d(64), nn.ReLU(),
    nn.Conv2d(64, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.BatchNorm2d(64), nn.ReLU(),
)
`,
    },
    {
      name: 'residual stack',
      code: deepRelu().replace('x = F.relu(layer(x))', 'x = x + F.relu(layer(x))'),
    },
    {
      // Only the 64 → 10 head has known sizes; its Glorot factor (2·64/74, about 0.865 after ReLU) says nothing
      // about the hidden layers, whose input size the code never gives. No factor is stated on a guess.
      name: 'Keras stack whose hidden layers have no known input size',
      code: `import keras
from keras import layers


class MLP(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = [layers.Dense(64, activation="relu") for _ in range(6)]
        self.head = layers.Dense(10)

    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.head(x)
`,
    },
    {
      name: 'tanh stack is not this rule',
      code: deepRelu().replace('F.relu', 'torch.tanh').replace('import torch.nn as nn', 'import torch\nimport torch.nn as nn'),
    },
  ],
  invalid: [
    {
      name: 'PyTorch deep ReLU stack: message states 1/6 per layer, fix adds _init_weights',
      code: deepRelu(),
      errors: [{ message: 'scales activation variance by ~1/6 per layer', line: 4, column: 7, endLine: 4, endColumn: 11 }],
      output: `import torch.nn as nn
import torch.nn.functional as F

class Deep(nn.Module):
    def __init__(self, width=128):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(8)])
        self.apply(self._init_weights)

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return x

    def _init_weights(self, module):
        # He/Kaiming init keeps ReLU activations at a steady variance through the stack.
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            if module.bias is not None:
                nn.init.zeros_(module.bias)
`,
      safe: false,
    },
    {
      name: 'Keras glorot ReLU stack: 1/2 per layer, fix adds he_normal',
      code: `from tensorflow.keras import layers, Sequential

model = Sequential([
    layers.Dense(64, activation="relu", input_shape=(64,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64),
])
`,
      errors: [{ message: 'by ~1/2 per layer (~1/64 after 6 layers)', line: 3, column: 1 }],
      output: `from tensorflow.keras import layers, Sequential

model = Sequential([
    layers.Dense(64, activation="relu", input_shape=(64,), kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, kernel_initializer="he_normal"),
])
`,
    },
    {
      name: 'TF.js glorotNormal ReLU stack, fix adds heNormal',
      kind: 'javascript',
      code: `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 32, inputShape: [32], activation: 'relu'}));
model.add(tf.layers.dense({units: 32, activation: 'relu'}));
model.add(tf.layers.dense({units: 32, activation: 'relu'}));
model.add(tf.layers.dense({units: 32, activation: 'relu'}));
model.add(tf.layers.dense({units: 32, activation: 'relu'}));
model.add(tf.layers.dense({units: 2}));
`,
      errors: [{ message: 'TF.js default init glorotNormal', line: 2, column: 7 }],
    },
  ],
});
