import { defineRule } from '../types';
import { DENSE_KINDS } from '../queries';

export const DL102 = defineRule({
  code: 'DL102',
  name: 'unscaled-random-init',
  category: 'init',
  severity: 'warning',
  frameworks: ['pytorch', 'tfjs'],
  fixable: false,
  messages: {
    parameter:
      '`{{name}}` is drawn with standard deviation 1 and used as a layer weight: with fan-in {{fanIn}} each output has variance ~{{fanIn}}× its input, so activations and gradients explode. Scale it by 1/√fan_in (or use kaiming/xavier init).',
    layer:
      '{{layer}} weights are drawn from a normal with std 1, not scaled by fan-in ({{fanIn}}): activations grow ~{{fanIn}}× in variance per layer. Use kaiming_normal_/xavier_normal_, or std ≈ 1/√fan_in.',
  },
  options: {},
  docs: {
    summary: 'Reports weights drawn from a standard normal (std 1) without scaling by the fan-in.',
    whatItDoes:
      'Finds weight tensors created with `torch.randn`/`torch.rand`/`tf.randomNormal` and not multiplied or divided by a scale, when they are used as layer weights (matrix products), and Linear/Conv weights explicitly initialised with `normal_()` at its default std of 1.',
    whyBad:
      'A weight with variance 1 multiplies the variance of each output by the fan-in: 512 inputs make activations ~512× larger in variance per layer. Activations saturate or overflow and gradients explode from the first step.',
    knownProblems: 'Embeddings and positional encodings are often std-1 on purpose; they are not matrix-product weights and are not reported.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(512, 512)
        nn.init.normal_(self.fc.weight)
`,
        correct: `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(512, 512)
        nn.init.normal_(self.fc.weight, std=0.02)
`,
      },
      {
        framework: 'tfjs',
        incorrect: `import * as tf from '@tensorflow/tfjs';
const w = tf.variable(tf.randomNormal([784, 256]));
export const predict = (x) => tf.matMul(x, w).relu();
`,
        correct: `import * as tf from '@tensorflow/tfjs';
const w = tf.variable(tf.randomNormal([784, 256], 0, Math.sqrt(2 / 784)));
export const predict = (x) => tf.matMul(x, w).relu();
`,
      },
    ],
    useInstead: 'Scale random weights by 1/√fan_in (√(2/fan_in) before ReLU), or use the framework initializers (kaiming/xavier, heNormal/glorotNormal).',
    fixSafety: 'No automatic fix: the right scale depends on the activation that follows.',
    concepts: ['weight-initialization', 'vanishing-exploding-gradients'],
  },
  check(context) {
    for (const model of context.program.models) {
      for (const parameter of model.parameters) {
        if ((parameter.creator !== 'randn' && parameter.creator !== 'rand') || parameter.scaled || parameter.usedAsWeight !== true) continue;
        const fanIn = parameter.shape?.[0];
        context.report({
          messageId: 'parameter',
          span: parameter.span,
          model: model.name,
          data: { name: parameter.name, fanIn: typeof fanIn === 'number' ? fanIn : 'n' },
        });
      }
      for (const layer of model.layers) {
        const init = layer.init;
        if (!DENSE_KINDS.has(layer.kind) || init?.source !== 'explicit' || init.dist.family !== 'normal' || init.dist.std !== 1) continue;
        if (layer.in !== null && layer.in <= 4) continue;
        context.report({
          messageId: 'layer',
          span: init.span ?? layer.calleeSpan,
          model: model.name,
          data: { layer: layer.name ?? layer.ctor, fanIn: layer.in ?? 'n' },
        });
      }
    }
  },
});
