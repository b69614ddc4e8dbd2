import { consumers, layerOf } from '../queries';
import { defineRule } from '../types';

export const DL305 = defineRule({
  code: 'DL305',
  name: 'dropout-before-batchnorm',
  category: 'regularization',
  severity: 'info',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    order:
      'Dropout feeds BatchNorm directly: BatchNorm learns running statistics from dropped-and-rescaled activations in training, but sees full activations at eval, so its statistics are off (the "variance shift"). Put dropout after the normalization, or after the last BatchNorm.',
  },
  options: {},
  docs: {
    summary: 'Reports dropout whose output goes straight into batch normalization.',
    whatItDoes: 'Follows the data flow and reports a dropout (module or functional) whose only reader is a BatchNorm layer.',
    whyBad:
      'During training dropout zeroes units and scales the rest by 1/(1-p), which changes the variance BatchNorm records in its running statistics. At evaluation dropout is off, the variance differs from the recorded one, and the normalised activations are shifted, which costs accuracy.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

block = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.3), nn.BatchNorm1d(64), nn.Linear(64, 10))
`,
        correct: `import torch.nn as nn

block = nn.Sequential(nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 10))
`,
      },
    ],
    useInstead: 'Order blocks as Linear/Conv → BatchNorm → activation → Dropout.',
    fixSafety: 'No automatic fix.',
    concepts: ['dropout', 'batch-normalization'],
  },
  check(context) {
    for (const model of context.program.models) {
      const readers = consumers(model);
      for (const node of model.flow) {
        const layer = layerOf(model, node);
        if (node.op !== 'dropout' && layer?.kind !== 'dropout') continue;
        const next = readers.get(node.id) ?? [];
        if (next.length !== 1) continue;
        const target = layerOf(model, model.flow[next[0]!]);
        if (target?.kind !== 'batchnorm') continue;
        context.report({ messageId: 'order', span: layer ? layer.calleeSpan : node.span, model: model.name });
      }
    }
  },
});
