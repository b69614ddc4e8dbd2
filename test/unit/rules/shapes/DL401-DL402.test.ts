import { DL401 } from '../../../../src/core/rules/shapes/DL401-layer-shape-mismatch';
import { DL402 } from '../../../../src/core/rules/shapes/DL402-missing-flatten';
import { testRule } from '../tester';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

testRule(DL401, {
  valid: [
    { name: 'matching sizes through activations, dropout and norms', code: `${HEADER}m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.1), nn.LayerNorm(256), nn.Linear(256, 10))\n` },
    {
      name: 'a LayerNorm over the whole feature map, [C, H, W], keeps the channels',
      code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 128, 3, padding=1), nn.LayerNorm([128, 8, 8]), nn.GroupNorm(8, 128), nn.Conv2d(128, 64, 3, padding=1))\n`,
    },
    { name: 'conv -> pool -> conv keeps channels', code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3), nn.BatchNorm2d(32))\n` },
    { name: 'flatten between conv and linear is not compared', code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 16, 3), nn.Flatten(), nn.Linear(16 * 30 * 30, 10))\n` },
    { name: 'concatenated branches are not compared', code: `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(8, 4)\n        self.b = nn.Linear(8, 4)\n        self.c = nn.Linear(8, 2)\n\n    def forward(self, x):\n        return self.c(torch.cat([self.a(x), self.b(x)], dim=1))\n` },
  ],
  invalid: [
    {
      code: `${HEADER}m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(128, 10))\n`,
      errors: [{ message: 'expects 128 input features/channels but m.0 produces 256', line: 4, column: 61, endColumn: 64 }],
      output: `${HEADER}m = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))\n`,
      safe: false,
    },
    {
      name: 'conv channels into batch norm',
      code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(32))\n`,
      errors: [{ message: 'produces 16', line: 4, column: 55 }],
    },
  ],
});

testRule(DL402, {
  valid: [
    { code: `${HEADER}m = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))\n` },
    { name: 'torch.flatten in forward', code: `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(1, 8, 3)\n        self.fc = nn.Linear(8 * 26 * 26, 10)\n\n    def forward(self, x):\n        x = F.relu(self.conv(x))\n        x = torch.flatten(x, 1)\n        return self.fc(x)\n` },
  ],
  invalid: [
    {
      code: `${HEADER}m = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Linear(8 * 13 * 13, 10))\n`,
      errors: [{ line: 4, column: 67, endColumn: 76 }],
      output: `${HEADER}m = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 13 * 13, 10))\n`,
      safe: true,
    },
    {
      name: 'a BatchNorm between the convolution and the Linear',
      code: `${HEADER}m = nn.Sequential(nn.Conv2d(1, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.Linear(8 * 26 * 26, 10))\n`,
      errors: [{ line: 4, column: 81 }],
      output: `${HEADER}m = nn.Sequential(nn.Conv2d(1, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 26 * 26, 10))\n`,
      safe: true,
    },
  ],
});
