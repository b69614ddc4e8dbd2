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
  ],
  invalid: [
    {
      code: `${HEADER}class A(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n        self.w = nn.Parameter(torch.empty(d, d))\n`,
      errors: [{ line: 8, column: 18, endLine: 8, endColumn: 49 }],
    },
  ],
});
