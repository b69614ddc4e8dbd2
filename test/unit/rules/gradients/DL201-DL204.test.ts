import { DL201 } from '../../../../src/core/rules/gradients/DL201-sigmoid-in-deep-stack';
import { DL202 } from '../../../../src/core/rules/gradients/DL202-linear-without-activation';
import { DL203 } from '../../../../src/core/rules/gradients/DL203-deep-plain-stack';
import { DL204 } from '../../../../src/core/rules/gradients/DL204-rnn-without-grad-clipping';
import { testRule } from '../tester';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

testRule(DL201, {
  valid: [
    {
      name: 'squeeze-and-excitation gate',
      code: `${HEADER}class SE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.reduce = nn.Conv2d(c, c // 4, 1)
        self.expand = nn.Conv2d(c // 4, c, 1)
        self.conv1 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        s = F.relu(self.reduce(x.mean((2, 3), keepdim=True)))
        x = x * torch.sigmoid(self.expand(s))
        return self.conv2(x)
`,
    },
    {
      name: 'sigmoid and tanh outputs (GAN generator, binary classifier)',
      code: `${HEADER}gen = nn.Sequential(nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())\n`,
    },
    { name: 'SiLU is not sigmoid', code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.SiLU(), nn.Linear(8, 8), nn.SiLU(), nn.Linear(8, 8), nn.SiLU(), nn.Linear(8, 1))\n` },
    { name: 'LSTM internals', code: `${HEADER}class LM(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.rnn = nn.LSTM(8, 8, num_layers=4)\n        self.out = nn.Linear(8, 2)\n\n    def forward(self, x):\n        y, _ = self.rnn(x)\n        return self.out(y)\n` },
    { name: 'shallow', code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 1))\n` },
  ],
  invalid: [
    {
      code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))\n`,
      errors: [{ messageId: 'sigmoid', line: 4, column: 36, endLine: 4, endColumn: 46 }],
      output: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))\n`,
      safe: false,
    },
    {
      name: 'functional tanh in forward',
      code: `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(16, 16) for _ in range(4)])

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = layer(x)
        for layer in self.layers:
            x = torch.tanh(layer(x))
        return x
`,
      errors: [{ messageId: 'tanh', line: 13, column: 17 }],
      output: `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(16, 16) for _ in range(4)])

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = layer(x)
        for layer in self.layers:
            x = torch.relu(layer(x))
        return x
`,
    },
    {
      name: 'Keras activation string',
      code: `from tensorflow import keras
from tensorflow.keras import layers
m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="sigmoid"), layers.Dense(8, activation="relu"), layers.Dense(8, activation="relu"), layers.Dense(1)])
`,
      errors: [{ line: 3, column: 75, endColumn: 84 }],
      output: `from tensorflow import keras
from tensorflow.keras import layers
m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(8, activation="relu"), layers.Dense(8, activation="relu"), layers.Dense(1)])
`,
    },
  ],
});

testRule(DL202, {
  valid: [
    {
      name: 'Keras activations given as layer objects, callables and names DeepLint does not know',
      code: `from tensorflow import keras\nfrom tensorflow.keras import layers\n\ndef custom_act(t):\n    return t * keras.ops.sigmoid(t)\n\nmodel = keras.Sequential([\n    keras.Input(shape=(32,)),\n    layers.Dense(64, activation=layers.LeakyReLU(negative_slope=0.2)),\n    layers.Dense(64, activation=custom_act),\n    layers.Dense(64, activation="hard_silu"),\n    layers.Dense(10),\n])\n`,
    },
    {
      name: 'TF.js activations from a parameter, and options from a spread of settings',
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nexport function buildMlp(hiddenActivation, settings) {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({units: 8, activation: hiddenActivation, inputShape: [4]}));\n  m.add(tf.layers.dense({...settings, units: 8}));\n  m.add(tf.layers.dense({units: 1}));\n  return m;\n}\n",
    },
    {
      name: 'a depthwise convolution and the pointwise one after it (Xception, MobileNet)',
      code: `${HEADER}class SeparableConv2d(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, 1, 1, 1, cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


grouped = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1, groups=8), nn.Conv2d(64, 128, 1))
`,
    },
    {
      name: 'a LoRA update: a low-rank pair added to the frozen layer it adapts',
      code: `${HEADER}class LoRALinear(nn.Module):
    def __init__(self, base, r=8, alpha=16):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)
        self.lora_B = nn.Linear(r, base.out_features, bias=False)
        self.drop = nn.Dropout(0.05)
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(self.drop(x))) * self.scaling


class Adapter(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Linear(768, 64)
        self.up = nn.Linear(64, 768)

    def forward(self, x):
        return x + self.up(self.down(x))
`,
    },
    {
      name: 'the code an encoder hands its decoder (an autoencoder)',
      code: `${HEADER}class AE(nn.Module):
    def __init__(self, d=784, latent=32):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d, 256), nn.ReLU(), nn.Linear(256, latent))
        self.decoder = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, d))

    def forward(self, x):
        return self.decoder(self.encoder(x))
`,
    },
    {
      name: 'a 1×1 score layer and the transposed convolution that upsamples it (FCN)',
      code: `${HEADER}head = nn.Sequential(nn.Conv2d(512, 21, 1), nn.ConvTranspose2d(21, 21, 4, stride=2, padding=1, bias=False))
`,
    },
    {
      name: 'blocks of a Linear and an activation, made by a comprehension or appended in a loop',
      code: `${HEADER}class Net(nn.Module):
    def __init__(self, hidden=256, depth=4):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden), nn.GELU()) for _ in range(depth)])
        self.more = nn.ModuleList()
        for _ in range(depth):
            self.more.append(nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU()))

    def forward(self, x):
        for block in self.blocks:
            x = x + block(x)
        for block in self.more:
            x = block(x)
        return x
`,
    },
    {
      name: 'a block of four layers added to a list once per loop iteration',
      code: `${HEADER}class Trunk(nn.Module):
    def __init__(self, hidden=256, depth=3):
        super().__init__()
        layers = []
        for _ in range(depth):
            layers += [nn.Dropout(0.2), nn.Linear(hidden, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU()]
        self.trunk = nn.Sequential(*layers)
        blocks = []
        for _ in range(depth):
            blocks.extend([nn.Linear(hidden, hidden), nn.ReLU()])
        self.blocks = nn.Sequential(*blocks)

    def forward(self, x):
        return self.blocks(self.trunk(x))
`,
    },
    {
      name: 'attention q/k/v and output projection',
      code: `${HEADER}class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.h = h

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        y = F.scaled_dot_product_attention(q, k, v)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))
`,
    },
    { name: 'batch norm between convs', code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.Conv2d(8, 8, 1))\n` },
    { name: 'embedding then linear head', code: `${HEADER}class LM(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(100, 16)\n        self.head = nn.Linear(16, 100)\n\n    def forward(self, idx):\n        return self.head(self.emb(idx))\n` },
  ],
  invalid: [
    { code: `${HEADER}m = nn.Sequential(nn.Linear(32, 64), nn.Linear(64, 10))\n`, errors: [{ messageId: 'collapse', line: 4, column: 38, endColumn: 47 }] },
    { name: 'low-rank bottleneck is info', code: `${HEADER}m = nn.Sequential(nn.Linear(512, 32), nn.Linear(32, 512))\n`, errors: [{ messageId: 'bottleneck', line: 4, column: 39, severity: 'info' }] },
    {
      name: 'a residual MLP that forgot its activation: wide in the middle, so no low-rank update',
      code: `${HEADER}class Block(nn.Module):
    def __init__(self, d=256):
        super().__init__()
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x):
        return x + self.fc2(self.fc1(x))
`,
      errors: [{ messageId: 'collapse', line: 8, column: 20, endColumn: 29 }],
    },
    { name: 'ungrouped convolutions', code: `${HEADER}m = nn.Sequential(nn.Conv2d(8, 8, 3, groups=1), nn.Conv2d(8, 16, 1))\n`, errors: [{ messageId: 'collapse', line: 4, column: 49 }] },
    {
      name: 'two layers added per loop iteration with nothing between',
      code: `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        for _ in range(3):
            layers += [nn.Linear(8, 8), nn.Linear(8, 8), nn.ReLU()]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)
`,
      errors: [{ messageId: 'collapse', line: 9, column: 41 }],
    },
  ],
});

testRule(DL203, {
  valid: [{ code: `${HEADER}m = nn.Sequential(${Array.from({ length: 12 }, () => 'nn.Linear(8, 8), nn.LayerNorm(8), nn.ReLU()').join(', ')})\n` }],
  invalid: [{ code: `${HEADER}m = nn.Sequential(${Array.from({ length: 12 }, () => 'nn.Linear(8, 8), nn.GELU()').join(', ')})\n`, errors: [{ message: '12 weight layers', line: 4, column: 1, endColumn: 2 }] }],
});

const LM = `${HEADER}class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(8, 16)
        self.out = nn.Linear(16, 4)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y)

model = LM()
opt = torch.optim.SGD(model.parameters(), lr=1.0)
`;

// The Keras guide's recurrent classifier: an LSTM trained with Adam.
const KERAS_LSTM = `from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([keras.Input(shape=(20,)), layers.Embedding(1000, 32), layers.LSTM(32), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
model.fit(x, y)
`;

testRule(DL204, {
  valid: [
    { name: 'model-only file', code: LM },
    { name: 'Keras LSTM trained with Adam (gates and adaptive steps keep it in range)', code: KERAS_LSTM },
    {
      name: 'PyTorch GRU trained with Adam',
      code: `${LM.replace('torch.optim.SGD(model.parameters(), lr=1.0)', 'torch.optim.Adam(model.parameters())')}for x, y in data:\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    opt.step()\n`,
    },
    { name: 'clipped loop', code: `${LM}for x, y in data:\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    nn.utils.clip_grad_norm_(model.parameters(), 0.5)\n    opt.step()\n` },
    {
      name: 'clipped by an imported function under another name',
      code: `from torch.nn.utils import clip_grad_norm_ as clip\n${LM}for x, y in data:\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    clip(model.parameters(), 0.5)\n    opt.step()\n`,
    },
    {
      name: 'clipped by a helper of the file',
      code: `${LM}def clip_gradients(model, value):\n    torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=value)\n\n\nfor x, y in data:\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    clip_gradients(model, 1.0)\n    opt.step()\n`,
    },
  ],
  invalid: [
    {
      code: `${LM}for x, y in data:\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    opt.step()\n`,
      errors: [{ messageId: 'loop', line: 16, column: 1, endLine: 16, endColumn: 17 }],
    },
    {
      name: 'Keras LSTM trained with plain SGD, no clipnorm',
      code: KERAS_LSTM.replace('keras.optimizers.Adam(1e-3)', 'keras.optimizers.SGD(0.5)'),
      errors: [{ messageId: 'keras', line: 4, column: 25, message: 'plain SGD turns any spike' }],
    },
    {
      name: 'Keras SimpleRNN without clipnorm, even with Adam',
      code: KERAS_LSTM.replace('layers.LSTM(32)', 'layers.SimpleRNN(32)'),
      errors: [{ messageId: 'keras', line: 4, column: 25, message: 'multiplies by the recurrent weights at every step' }],
    },
    {
      name: 'PyTorch plain RNN with Adam',
      code: `${LM.replace('nn.GRU(8, 16)', 'nn.RNN(8, 16)').replace('torch.optim.SGD(model.parameters(), lr=1.0)', 'torch.optim.Adam(model.parameters())')}for x, y in data:\n    opt.zero_grad()\n    F.mse_loss(model(x), y).backward()\n    opt.step()\n`,
      errors: [{ messageId: 'loop', line: 16, column: 1, endLine: 16, endColumn: 17 }],
    },
    {
      name: 'gatedWithAdaptive reports an LSTM trained with Adam',
      code: KERAS_LSTM,
      options: { gatedWithAdaptive: true },
      errors: [{ messageId: 'keras', line: 4, column: 25, message: 'a spike in the gradient through time becomes a spike in the update' }],
    },
  ],
});
