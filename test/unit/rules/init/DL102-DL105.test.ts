import { DL102 } from '../../../../src/core/rules/init/DL102-unscaled-random-init';
import { DL103 } from '../../../../src/core/rules/init/DL103-constant-weight-init';
import { DL104 } from '../../../../src/core/rules/init/DL104-init-activation-mismatch';
import { DL105 } from '../../../../src/core/rules/init/DL105-uninitialized-parameter';
import { testRule } from '../tester';

const HEADER = 'import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

testRule(DL102, {
  valid: [
    { name: 'nanoGPT normal(0.02)', code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(768, 768)\n        nn.init.normal_(self.fc.weight, mean=0.0, std=0.02)\n` },
    { name: 'std-1 embedding is the PyTorch default', code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(100, 16)\n        nn.init.normal_(self.emb.weight)\n` },
    { name: 'scaled tf.variable', kind: 'javascript', code: "import * as tf from '@tensorflow/tfjs';\nconst w = tf.variable(tf.randomNormal([10, 10], 0, 0.1));\nconst f = (x) => tf.matMul(x, w);\n" },
    {
      name: 'a local trunc_normal_ wrapper with std=0.02 (timm-style ViT)',
      code: `${HEADER}def trunc_normal_(tensor, std=0.02):\n    return nn.init.trunc_normal_(tensor, std=std, a=-2 * std, b=2 * std)\n\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(768, 768)\n        self.apply(self._init_weights)\n\n    def _init_weights(self, m):\n        if isinstance(m, nn.Linear):\n            trunc_normal_(m.weight)\n`,
    },
    {
      name: 'biases, scales, layer scale, positional embeddings and cls tokens are added or multiplied element-wise',
      code: `${HEADER}class A(nn.Module):\n    def __init__(self, d=256):\n        super().__init__()\n        self.cls_token = nn.Parameter(torch.randn(1, 1, d))\n        self.pos_embed = nn.Parameter(torch.randn(1, 17, d))\n        self.W = nn.Parameter(torch.randn(d, d) / math.sqrt(d))\n        self.b = nn.Parameter(torch.randn(d))\n        self.gamma = nn.Parameter(torch.randn(d))\n        self.beta = nn.Parameter(torch.randn(d))\n\n    def forward(self, x):\n        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed\n        x = x @ self.W + self.b\n        return x * self.gamma + self.beta\n`,
    },
    {
      name: 'scaled at creation, or initialised afterwards',
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w1 = nn.Parameter(torch.randn(512, 512) * 0.02)\n        self.w2 = nn.Parameter(torch.randn(512, 512))\n        self.w3 = nn.Parameter(torch.randn(512, 512))\n        nn.init.kaiming_uniform_(self.w2, a=math.sqrt(5))\n        for p in self.parameters():\n            if p.dim() > 1:\n                nn.init.xavier_uniform_(p)\n\n    def forward(self, x):\n        return F.linear(F.linear(F.linear(x, self.w1), self.w2), self.w3)\n`,
    },
    {
      name: 'an embedding table read with F.embedding and tied to the output',
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.table = nn.Parameter(torch.randn(10000, 512))\n\n    def forward(self, idx):\n        h = F.embedding(idx, self.table)\n        return h @ self.table.T\n`,
    },
    {
      name: 'equalized learning rate: the std-1 weight is scaled where it is used (StyleGAN)',
      code: `${HEADER}class EqualLinear(nn.Module):\n    def __init__(self, in_dim, out_dim):\n        super().__init__()\n        self.weight = nn.Parameter(torch.randn(out_dim, in_dim))\n        self.scale = 1 / math.sqrt(in_dim)\n\n    def forward(self, x):\n        return F.linear(x, self.weight * self.scale)\n`,
    },
    {
      name: 'a learned query whose scores are scaled, and fixed random Fourier features',
      code: `${HEADER}class A(nn.Module):\n    def __init__(self, d=256):\n        super().__init__()\n        self.query = nn.Parameter(torch.randn(1, d))\n        self.B = nn.Parameter(torch.randn(d, 128), requires_grad=False)\n        self.scale = d ** -0.5\n\n    def forward(self, x):\n        scores = self.query @ x.transpose(-2, -1)\n        scores = scores * self.scale\n        p = (scores.softmax(-1) @ x) @ self.B\n        return torch.cat([torch.sin(p), torch.cos(p)], dim=-1)\n`,
    },
  ],
  invalid: [
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(512, 512)\n        self.fc.weight.data.normal_()\n`,
      errors: [{ messageId: 'layer', line: 9, column: 9, endLine: 9, endColumn: 38 }],
    },
    {
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst w = tf.variable(tf.randomNormal([784, 10]));\nconst f = (x) => tf.matMul(x, w);\n",
      errors: [{ messageId: 'parameter', message: 'fan-in 784', line: 2, column: 7, endLine: 2, endColumn: 8 }],
    },
    {
      code: `${HEADER}class MyLinear(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.weight = nn.Parameter(torch.randn(256, 512))\n        self.bias = nn.Parameter(torch.zeros(256))\n\n    def forward(self, x):\n        return F.linear(x, self.weight, self.bias)\n`,
      errors: [{ messageId: 'parameter', message: 'fan-in 512', line: 8, column: 23, endLine: 8, endColumn: 58 }],
      output: null,
    },
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.W = nn.Parameter(torch.randn(512, 128))\n        self.b = nn.Parameter(torch.zeros(128))\n\n    def forward(self, x):\n        return torch.relu(x @ self.W + self.b)\n`,
      errors: [{ messageId: 'parameter', message: 'fan-in 512', line: 8, column: 18, endLine: 8, endColumn: 53 }],
    },
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.W = nn.Parameter(torch.randn(8, 64, 32))\n        self.head = nn.Parameter(torch.randn(10, 300))\n\n    def forward(self, x):\n        y = torch.einsum("bhd,hde->bhe", x, self.W)\n        return y.flatten(1).matmul(self.head.t())\n`,
      errors: [
        { messageId: 'parameter', message: 'fan-in 64', line: 8, column: 18, endLine: 8, endColumn: 54 },
        { messageId: 'parameter', message: 'fan-in 300', line: 9, column: 21, endLine: 9, endColumn: 55 },
      ],
    },
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.weight = nn.Parameter(torch.randn(64, 32, 3, 3))\n\n    def forward(self, x):\n        return F.conv2d(x, self.weight, padding=1)\n`,
      errors: [{ messageId: 'parameter', message: 'fan-in 288', line: 8, column: 23, endLine: 8, endColumn: 62 }],
    },
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.W = nn.Parameter(torch.rand(100, 10))\n\n    def forward(self, x):\n        return x @ self.W\n`,
      errors: [{ messageId: 'uniformParameter', message: 'fan-in 100', line: 8, column: 18, endLine: 8, endColumn: 51 }],
    },
  ],
});

testRule(DL103, {
  valid: [
    { name: 'zero-init classifier head', code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n        self.head = nn.Linear(8, 2)\n        nn.init.zeros_(self.head.weight)\n\n    def forward(self, x):\n        return self.head(F.relu(self.fc(x)))\n` },
    { name: 'BatchNorm gamma set to zero (zero_init_residual)', code: `${HEADER}class B(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(8, 8, 3, bias=False)\n        self.bn = nn.BatchNorm2d(8)\n        nn.init.constant_(self.bn.weight, 0)\n\n    def forward(self, x):\n        return x + self.bn(self.conv(x))\n` },
  ],
  invalid: [
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n        self.head = nn.Linear(8, 2)\n        self.fc.weight.data.fill_(0.5)\n\n    def forward(self, x):\n        return self.head(F.relu(self.fc(x)))\n`,
      errors: [{ message: 'start at 0.5', line: 10, column: 9, endColumn: 39 }],
      output: null,
    },
  ],
});

testRule(DL104, {
  valid: [
    { name: 'kaiming leaky_relu default slope before ReLU (timm style)', code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n        nn.init.kaiming_uniform_(self.fc.weight, nonlinearity="leaky_relu")\n\n    def forward(self, x):\n        return F.relu(self.fc(x))\n` },
    {
      name: 'He init on a squeeze-and-excitation conv that feeds a hard-sigmoid gate (torchvision MobileNetV3)',
      code: `${HEADER}class SE(nn.Module):\n    def __init__(self, c):\n        super().__init__()\n        self.fc1 = nn.Conv2d(c, c // 4, 1)\n        self.fc2 = nn.Conv2d(c // 4, c, 1)\n        for m in self.modules():\n            if isinstance(m, nn.Conv2d):\n                nn.init.kaiming_normal_(m.weight, mode="fan_out")\n\n    def forward(self, x):\n        scale = self.fc2(F.relu(self.fc1(x.mean((2, 3), keepdim=True))))\n        return x * F.hardsigmoid(scale)\n`,
    },
    {
      name: 'He init on a Keras Dense whose sigmoid output gates another tensor',
      code: `from tensorflow import keras\nfrom tensorflow.keras import layers\n\ninputs = keras.Input(shape=(64,))\nx = layers.Dense(64, activation="relu", kernel_initializer="he_normal")(inputs)\ngate = layers.Dense(64, activation="sigmoid", kernel_initializer="he_normal")(inputs)\nx = layers.Multiply()([x, gate])\noutputs = layers.Dense(10)(x)\nmodel = keras.Model(inputs, outputs)\n`,
    },
    { name: 'xavier with tanh gain before tanh', code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n        nn.init.xavier_uniform_(self.fc.weight, gain=nn.init.calculate_gain("tanh"))\n\n    def forward(self, x):\n        return torch.tanh(self.fc(x))\n` },
  ],
  invalid: [
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n        nn.init.kaiming_normal_(self.fc.weight)\n\n    def forward(self, x):\n        return torch.sigmoid(self.fc(x))\n`,
      errors: [{ messageId: 'nonlinearity', line: 9, column: 9 }],
    },
  ],
});

testRule(DL105, {
  valid: [
    { name: 'initialised in reset_parameters called from __init__', code: `${HEADER}class A(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n        self.w = nn.Parameter(torch.empty(d, d))\n        self.reset_parameters()\n\n    def reset_parameters(self):\n        nn.init.kaiming_uniform_(self.w, a=math.sqrt(5))\n` },
    { name: 'layer scale from ones', code: `${HEADER}class A(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n        self.gamma = nn.Parameter(1e-6 * torch.ones(d))\n` },
    {
      name: "initialised by a parent's apply() under isinstance of the class",
      code: `${HEADER}class Attn(nn.Module):\n    def __init__(self, d=64):\n        super().__init__()\n        self.w = nn.Parameter(torch.empty(d, d))\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.attn = Attn()\n        self.apply(self._init_weights)\n\n    def _init_weights(self, m):\n        if isinstance(m, Attn):\n            nn.init.xavier_uniform_(m.w)\n`,
    },
    {
      name: 'a ParameterList initialised through the container, by a loop over it or by index',
      code: `${HEADER}class Experts(nn.Module):\n    def __init__(self, n=4, d=32):\n        super().__init__()\n        self.a = nn.ParameterList([nn.Parameter(torch.empty(d, d)) for _ in range(n)])\n        self.b = nn.ParameterList([nn.Parameter(torch.empty(d, d)) for _ in range(n)])\n        for w in self.a:\n            nn.init.kaiming_uniform_(w)\n        for i in range(n):\n            nn.init.xavier_uniform_(self.b[i])\n`,
    },
    {
      name: 'initialised by a loop over a tuple or a list of the parameters (a biaffine scorer)',
      code: `${HEADER}class Biaffine(nn.Module):\n    def __init__(self, n_in=100, n_out=4):\n        super().__init__()\n        self.w_dep = nn.Parameter(torch.empty(n_out, n_in))\n        self.w_head = nn.Parameter(torch.empty(n_out, n_in))\n        self.u = nn.Parameter(torch.empty(n_in, n_in))\n        for w in (self.w_dep, self.w_head):\n            nn.init.xavier_uniform_(w)\n        for w in [self.u]:\n            nn.init.zeros_(w.data)\n`,
    },
  ],
  invalid: [
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n        self.w = nn.Parameter(torch.empty(d, d))\n`,
      errors: [{ line: 8, column: 18, endLine: 8, endColumn: 49 }],
    },
    {
      name: 'a loop over a list of parameters that leaves one out',
      code: `${HEADER}class Biaffine(nn.Module):\n    def __init__(self, d=8):\n        super().__init__()\n        self.a = nn.Parameter(torch.empty(d, d))\n        self.b = nn.Parameter(torch.empty(d, d))\n        for w in (self.a,):\n            nn.init.xavier_uniform_(w)\n`,
      errors: [{ line: 9, column: 18, endLine: 9, endColumn: 49 }],
    },
    {
      name: 'a ParameterList of empty tensors that nothing but forward reads',
      code: `${HEADER}class Experts(nn.Module):\n    def __init__(self, n=4, d=32):\n        super().__init__()\n        self.w = nn.ParameterList([nn.Parameter(torch.empty(d, d)) for _ in range(n)])\n\n    def forward(self, x):\n        return sum(x @ w for w in self.w)\n`,
      errors: [{ line: 8, column: 36, endLine: 8, endColumn: 67 }],
    },
  ],
});
