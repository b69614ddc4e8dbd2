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
    uniformParameter:
      '`{{name}}` is drawn from U(0, 1) (mean 0.5) and used as a layer weight: with fan-in {{fanIn}} each output sums {{fanIn}} positive-mean terms, so activations and gradients explode. Center and scale it (U(±1/√fan_in)), or use kaiming/xavier init.',
    layer:
      '{{layer}} weights are drawn from a normal with std 1, not scaled by fan-in ({{fanIn}}): activations grow ~{{fanIn}}× in variance per layer. Use kaiming_normal_/xavier_normal_, or std ≈ 1/√fan_in.',
  },
  options: {},
  docs: {
    summary: 'Reports weights drawn from a standard normal (std 1) without scaling by the fan-in.',
    whatItDoes:
      'Finds weight tensors created with `torch.randn`/`tf.randomNormal` (or `torch.rand`/`tf.randomUniform`, U(0, 1)), not multiplied or divided by a scale and not initialised afterwards, that are used as layer weights: a PyTorch `nn.Parameter` that `forward()` passes as the weight of `F.linear`/`F.conv1d`/`F.conv2d`/`F.conv3d`, multiplies the data with (`@`, `torch.matmul`, `torch.mm`, `torch.bmm`) or sums over in `torch.einsum`, and a TF.js `tf.matMul` operand. The fan-in comes from the weight\'s shape and the side of the product it is on. It also finds Linear/Conv weights explicitly initialised with `normal_()` at its default std of 1, directly or through a helper function of the file (whose own defaults count).',
    whyBad:
      'A weight with variance 1 multiplies the variance of each output by the fan-in: 512 inputs make activations ~512× larger in variance per layer. Activations saturate or overflow and gradients explode from the first step.',
    knownProblems:
      'Embeddings and positional encodings are often std-1 on purpose; they are not matrix-product weights and are not reported. Nor are biases and element-wise scales (added or multiplied, not contracted), a parameter `forward()` also reads rows of (`F.embedding(ids, w)`, `w[ids]`), one created with `requires_grad=False` (fixed random features), a product scaled right after (`F.linear(x, w * scale)`, `(q @ w) * scale`, equalized learning rates), and a weight passed through anything else before the product. A fan-in of 4 or less is not reported.',
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
        if ((parameter.creator !== 'randn' && parameter.creator !== 'rand') || parameter.scaled || parameter.init || parameter.usedAsWeight !== true) continue;
        // A front end that does not work the fan-in out gives TF.js-style [in, out] weights.
        const fanIn = parameter.fanIn === undefined ? parameter.shape?.[0] : parameter.fanIn;
        if (typeof fanIn === 'number' && fanIn <= 4) continue;
        context.report({
          messageId: parameter.creator === 'rand' ? 'uniformParameter' : 'parameter',
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
