import { DENSE_KINDS, isSubmodule, isTrainedInFile, layerOf } from '../queries';
import type { Model } from '../../ir/types';
import { defineRule } from '../types';

/**
 * Whether a model is a class that may be a block of a larger model, whose output is no prediction: a PyTorch
 * nn.Module or a Keras Layer subclass. A Keras `Model` subclass is declared whole.
 */
function mayBeBlock(text: string, model: Model): boolean {
  if (!text.startsWith('class', model.span.start)) return false;
  const header = /^class\s+\w+\s*\(([^)]*)\)/.exec(text.slice(model.span.start, model.span.start + 300));
  return !(model.framework === 'keras' && header && /\bModel\b/.test(header[1]!));
}

export const DL302 = defineRule({
  code: 'DL302',
  name: 'dropout-on-output',
  category: 'regularization',
  severity: 'warning',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    output:
      "Dropout is applied to the model's output, after the last layer: it zeroes random logits/predictions during training, which only adds noise to the loss. Move it before the last layer.",
  },
  options: {},
  docs: {
    summary: "Reports dropout applied after a model's last weight layer, on its output.",
    whatItDoes:
      'Follows the data flow to the model output and reports a dropout whose input is the last linear/convolution layer. Blocks used inside a larger model (a transformer block ending in residual dropout) are not whole models and are not reported; neither is a PyTorch module or Keras layer class that nothing in the file trains or uses, since it may well be such a block (timm\'s `Mlp` ends in dropout and lives in a file of its own). Keras `Model` subclasses are whole models.',
    whyBad:
      'Dropout regularises by hiding hidden features from the next layer. After the last layer there is no next layer: it zeroes some outputs (and scales the rest) in training only, so the loss sees corrupted predictions and train/eval outputs differ for no benefit.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10), nn.Dropout(0.5))
`,
        correct: `import torch.nn as nn

model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))
`,
      },
    ],
    useInstead: 'Apply dropout to hidden features, before the output layer.',
    fixSafety: 'No automatic fix.',
    concepts: ['dropout'],
  },
  check(context) {
    const { program } = context;
    for (const model of program.models) {
      if (!model.flowKnown || isSubmodule(program, model)) continue;
      if (mayBeBlock(context.text, model) && !isTrainedInFile(program, model)) continue;
      const output = model.flow.find((node) => node.op === 'output');
      if (!output || output.inputs.length !== 1) continue;
      const last = model.flow[output.inputs[0]!]!;
      const dropoutLayer = layerOf(model, last);
      if (last.op !== 'dropout' && dropoutLayer?.kind !== 'dropout') continue;
      if (last.inputs.length !== 1) continue;
      const before = layerOf(model, model.flow[last.inputs[0]!]);
      if (!before || !DENSE_KINDS.has(before.kind)) continue;
      context.report({ messageId: 'output', span: dropoutLayer ? dropoutLayer.calleeSpan : last.span, model: model.name });
    }
  },
});
