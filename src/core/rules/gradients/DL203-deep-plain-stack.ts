import { denseDepth, hasNormalization, hasOpaqueSubmodules, hasSkipConnections } from '../queries';
import { defineRule } from '../types';

export const DL203 = defineRule({
  code: 'DL203',
  name: 'deep-plain-stack',
  category: 'gradients',
  severity: 'info',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    plain:
      '{{depth}} weight layers with neither normalization nor residual connections: gradients pass through every layer multiplicatively, so they easily vanish or explode. Add BatchNorm/LayerNorm or residual connections.',
  },
  options: {
    minDepth: { type: 'number', default: 12, description: 'Fewest dense layers in a plain stack before it is reported.' },
  },
  docs: {
    summary: 'Reports very deep stacks without normalization or residual connections.',
    whatItDoes: 'Counts the linear and convolutional layers data passes through and reports models with at least `minDepth` of them and no normalization layer and no skip connection.',
    whyBad:
      'The gradient reaching the first layer is a product of one factor per layer. Without normalization to keep activations in range, or residual connections that give the gradient a short path, that product drifts towards 0 or infinity as depth grows; this is why very deep networks use BatchNorm/LayerNorm and residual blocks.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(128, 128) for _ in range(12)])

    def forward(self, x):
        for layer in self.layers:
            x = nn.functional.gelu(layer(x))
        return x
`,
        correct: `import torch.nn as nn

class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(128, 128) for _ in range(12)])
        self.norms = nn.ModuleList([nn.LayerNorm(128) for _ in range(12)])

    def forward(self, x):
        for layer, norm in zip(self.layers, self.norms):
            x = x + nn.functional.gelu(layer(norm(x)))
        return x
`,
      },
    ],
    useInstead: 'Residual blocks (`x = x + f(x)`) and normalization (BatchNorm for convnets, LayerNorm for transformers and MLPs).',
    fixSafety: 'No automatic fix.',
    concepts: ['vanishing-exploding-gradients', 'residual-connections', 'batch-normalization'],
  },
  check(context) {
    for (const model of context.program.models) {
      const depth = denseDepth(model);
      if (depth < Number(context.options.minDepth)) continue;
      if (hasNormalization(model) || hasSkipConnections(model) || hasOpaqueSubmodules(model)) continue;
      context.report({ messageId: 'plain', span: model.nameSpan, model: model.name, data: { depth } });
    }
  },
});
