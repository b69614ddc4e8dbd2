import type { FlowNode, Layer, Model } from '../../ir/types';
import { insertBeforeInList, torchNnAlias } from '../edits';
import { layerOf, nodeActivation } from '../queries';
import { defineRule } from '../types';

/** The layer whose output reaches a node, skipping activations and dropout. */
function previousLayer(model: Model, node: FlowNode): Layer | undefined {
  let current = node;
  for (let steps = 0; steps < 8; steps++) {
    if (current.inputs.length !== 1) return undefined;
    const previous = model.flow[current.inputs[0]!]!;
    const layer = layerOf(model, previous);
    // Activations, dropout and batch or group normalization keep the conv output's axes.
    const keepsAxes = layer?.kind === 'dropout' || layer?.kind === 'batchnorm' || layer?.kind === 'groupnorm' || (layer?.kind === 'activation' && nodeActivation(model, previous));
    if (previous.op === 'activation' || previous.op === 'dropout' || keepsAxes) {
      current = previous;
      continue;
    }
    return previous.op === 'layer' ? layer : undefined;
  }
  return undefined;
}

export const DL402 = defineRule({
  code: 'DL402',
  name: 'missing-flatten',
  category: 'shapes',
  severity: 'error',
  frameworks: ['pytorch'],
  fixable: true,
  messages: {
    flatten:
      '{{linear}} receives the 4-D output of {{previous}} (batch, channels, height, width) with no Flatten: nn.Linear acts on the last axis only, so this fails or computes the wrong thing. Insert nn.Flatten() before it.',
  },
  options: {},
  docs: {
    summary: 'Reports a Linear layer fed directly by a convolution or pooling output without flattening.',
    whatItDoes: 'In the data flow, finds nn.Linear layers whose input comes from a Conv or pooling layer (through activations and dropout only), with no Flatten, view/reshape or torch.flatten between.',
    whyBad:
      'Convolution and pooling produce (N, C, H, W) tensors. nn.Linear multiplies only the last axis, so `Linear(C*H*W, k)` raises a shape error and a Linear sized to W silently mixes the wrong axis.',
    knownProblems: 'Keras Dense layers do accept N-D inputs (they act on the last axis by design), so the rule covers PyTorch only.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

net = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Linear(8 * 13 * 13, 10))
`,
        correct: `import torch.nn as nn

net = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 13 * 13, 10))
`,
      },
    ],
    useInstead: '`nn.Flatten()` in a Sequential, or `torch.flatten(x, 1)` in forward.',
    fixSafety: 'Safe: flattening is what makes the Linear layer applicable; the model had a shape error before.',
    concepts: ['flatten', 'tensor-shapes', 'convolution'],
  },
  check(context) {
    const { text } = context;
    for (const model of context.program.models) {
      if (model.framework !== 'pytorch') continue;
      for (const node of model.flow) {
        const linear = layerOf(model, node);
        if (linear?.kind !== 'linear') continue;
        const previous = previousLayer(model, node);
        if (!previous || !/^conv|pooling/.test(previous.kind)) continue;
        // A pooling layer that reduces to 1×1 still leaves 4 axes; only an explicit flatten removes them.
        const edit = insertBeforeInList(text, linear, `${torchNnAlias(text)}.Flatten()`);
        context.report({
          messageId: 'flatten',
          span: linear.calleeSpan,
          model: model.name,
          data: { linear: linear.name ?? linear.ctor, previous: previous.name ?? previous.ctor },
          fix: edit ? { title: 'Insert nn.Flatten() before the Linear layer', safe: true, edits: [edit] } : null,
        });
      }
    }
  },
});
