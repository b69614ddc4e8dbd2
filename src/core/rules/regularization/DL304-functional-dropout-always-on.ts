import { defineRule } from '../types';

export const DL304 = defineRule({
  code: 'DL304',
  name: 'functional-dropout-always-on',
  category: 'regularization',
  severity: 'warning',
  frameworks: ['pytorch'],
  fixable: true,
  messages: {
    alwaysOn:
      "F.dropout defaults to training=True, so this dropout stays on after model.eval(): predictions are randomly corrupted at inference. Pass training=self.training (or use an nn.Dropout module).",
  },
  options: {},
  docs: {
    summary: 'Reports `F.dropout(x, p)` in forward without `training=self.training`.',
    whatItDoes: 'Finds functional dropout calls in a module\'s forward that do not pass the `training` argument.',
    whyBad:
      '`torch.nn.functional.dropout` has `training=True` as its default and does not know the module\'s mode. Unlike `nn.Dropout`, it keeps dropping units after `model.eval()`, so evaluation and inference are noisy and systematically worse.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)

    def forward(self, x):
        return F.dropout(F.relu(self.fc(x)), 0.2)
`,
        correct: `import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)

    def forward(self, x):
        return F.dropout(F.relu(self.fc(x)), 0.2, training=self.training)
`,
      },
    ],
    useInstead: '`F.dropout(x, p, training=self.training)`, or an `nn.Dropout(p)` module, which follows train()/eval().',
    fixSafety: 'Safe: training behaviour is unchanged; only evaluation stops dropping units, which is what eval() means.',
    concepts: ['dropout', 'train-eval-mode'],
  },
  check(context) {
    const { text } = context;
    for (const model of context.program.models) {
      if (model.framework !== 'pytorch') continue;
      const seen = new Set<number>();
      for (const node of model.flow) {
        if (node.op !== 'dropout' || node.trainingFlag !== false || seen.has(node.span.start)) continue;
        seen.add(node.span.start);
        const call = text.slice(node.span.start, node.span.end);
        const fix = call.endsWith(')')
          ? { title: 'Pass training=self.training', safe: true, edits: [{ span: { start: node.span.end - 1, end: node.span.end - 1 }, newText: ', training=self.training' }] }
          : null;
        context.report({ messageId: 'alwaysOn', span: node.span, model: model.name, fix });
      }
    }
  },
});
