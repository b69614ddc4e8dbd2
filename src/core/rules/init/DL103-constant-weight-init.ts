import { defineRule } from '../types';
import { consumers, denseNodes, layerOf, nextSubstantive, DENSE_KINDS } from '../queries';

export const DL103 = defineRule({
  code: 'DL103',
  name: 'constant-weight-init',
  category: 'init',
  severity: 'error',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    constant:
      '{{layer}} weights all start at {{value}}: every unit of this hidden layer computes the same thing and receives the same gradient, so they never become different. Use a random init (kaiming/xavier).',
  },
  options: {},
  docs: {
    summary: 'Reports hidden-layer weights initialised to zeros, ones or another constant.',
    whatItDoes:
      'Finds Linear/Dense and convolution layers whose weights are explicitly set to a constant (`zeros_`, `ones_`, `constant_`, `fill_`, `kernel_initializer="zeros"`) when the layer feeds other weight layers. Biases and normalization scales are not weights in this sense and are not reported.',
    whyBad:
      'Identical weights make every unit of a layer compute the same output and get the same gradient update: the symmetry is never broken and the layer behaves like a single unit. With zeros, the layers after it also receive zero gradient.',
    knownProblems:
      'Zero-initialising the last layer of a residual branch or of a classifier head is a known good practice and is not reported: only layers whose output feeds further weight layers are.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 64)
        self.out = nn.Linear(64, 2)
        nn.init.zeros_(self.hidden.weight)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))
`,
        correct: `import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(20, 64)
        self.out = nn.Linear(64, 2)
        nn.init.kaiming_normal_(self.hidden.weight, nonlinearity="relu")
        nn.init.zeros_(self.out.weight)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(64, activation="relu", kernel_initializer="zeros"),
    layers.Dense(2),
])
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(2),
])
`,
      },
    ],
    useInstead: 'Initialise hidden weights randomly (kaiming/He for ReLU, xavier/Glorot for tanh); keep constants for biases and normalization parameters.',
    fixSafety: 'No automatic fix: which random init fits depends on the activation.',
    concepts: ['weight-initialization', 'backpropagation'],
  },
  check(context) {
    for (const model of context.program.models) {
      const readers = consumers(model);
      const reported = new Set<number>();
      const nodes = model.flowKnown ? denseNodes(model) : [];
      for (const node of nodes) {
        const layer = layerOf(model, node)!;
        if (reported.has(layer.index) || layer.init?.source !== 'explicit' || layer.init.dist.family !== 'constant') continue;
        // Only a hidden layer's symmetry matters: its output must reach another weight layer.
        const next = nextSubstantive(model, node.id, readers);
        const feedsDense = next.some((candidate) => {
          const target = layerOf(model, candidate);
          return target !== undefined && DENSE_KINDS.has(target.kind);
        });
        if (!feedsDense) continue;
        reported.add(layer.index);
        context.report({
          messageId: 'constant',
          span: layer.init.span ?? layer.calleeSpan,
          model: model.name,
          data: { layer: layer.name ?? layer.ctor, value: String(layer.init.dist.value) },
        });
      }
    }
  },
});
