import type { NoGradRegion, Program } from '../../ir/types';
import { hasDropout } from '../queries';
import { defineRule } from '../types';

/**
 * A no_grad block inside the training step loop that loops over nothing itself: the model is looked at between
 * steps, in the mode it trains in (the DCGAN tutorial samples its generator so), not evaluated on other data.
 */
function isTrainingSnapshot(program: Program, text: string, region: NoGradRegion): boolean {
  const inStep = program.loops.some((loop) => loop.backward.length > 0 && loop.span.start <= region.span.start && region.span.end <= loop.span.end);
  return inStep && !/^[ \t]*(?:async[ \t]+)?(?:for|while)\b/m.test(text.slice(region.span.start, region.span.end));
}

export const DL602 = defineRule({
  code: 'DL602',
  name: 'missing-eval-mode',
  category: 'training',
  severity: 'warning',
  frameworks: ['pytorch'],
  fixable: false,
  messages: {
    missing:
      '{{model}} has {{layers}} and is evaluated under {{kind}} without model.eval(): no_grad only stops gradient tracking, it does not switch dropout off or BatchNorm to its running statistics. Call model.eval() before evaluating (and model.train() after).',
  },
  options: {},
  docs: {
    summary: 'Reports models with dropout or batch norm run under no_grad/inference_mode without `.eval()`.',
    whatItDoes:
      'For each `torch.no_grad()`/`torch.inference_mode()` block or decorated function that calls a model of the file which contains dropout (a Dropout module, `F.dropout`, or the dropout inside an RNN/LSTM/GRU stack of more than one layer or a transformer layer, whose `dropout` defaults to 0.1) or batch normalization, checks that `.eval()` is called on that model somewhere in the file; `.eval()` on the variable of a loop over models counts for the models listed, or for all when the collection is not spelled out.',
    whyBad:
      '`no_grad` and `eval` are independent: no_grad saves memory and time, eval changes behaviour. In training mode dropout still drops units and BatchNorm normalises with the current batch and updates its running statistics, so validation numbers are noisy, depend on batch size, and the saved statistics drift.',
    knownProblems:
      'When `.eval()` is called anywhere in the file for the model the rule assumes it covers the evaluation; an `.eval()` called in another file is not seen. A `no_grad` block inside the training loop itself that runs no loop of its own (a GAN generator sampled every few steps, a metric on the current batch) is a snapshot of the model as it trains, and is not reported.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.drop(self.fc(x))

model = Net()
with torch.no_grad():
    preds = model(inputs)
`,
        correct: `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.drop(self.fc(x))

model = Net()
model.eval()
with torch.no_grad():
    preds = model(inputs)
`,
      },
    ],
    useInstead: '`model.eval()` before validation or inference (with `torch.no_grad()` too), `model.train()` before training again.',
    fixSafety: 'No automatic fix.',
    concepts: ['train-eval-mode', 'dropout', 'batch-normalization'],
  },
  check(context) {
    const { program, text } = context;
    for (const region of program.noGrad) {
      if (isTrainingSnapshot(program, text, region)) continue;
      const reported = new Set<string>();
      for (const call of region.calls) {
        if (reported.has(call.model)) continue;
        const model = program.models.find((candidate) => candidate.name === call.model);
        if (!model) continue;
        const dropout = hasDropout(model);
        const batchnorm = model.layers.some((layer) => layer.kind === 'batchnorm');
        if (!dropout && !batchnorm) continue;
        if (program.modeCalls.some((mode) => (mode.model === call.model || mode.model === '*') && mode.mode === 'eval')) continue;
        reported.add(call.model);
        context.report({
          messageId: 'missing',
          span: call.span,
          model: model.name,
          data: { model: model.name, layers: dropout && batchnorm ? 'dropout and batch norm' : dropout ? 'dropout' : 'batch norm', kind: region.kind },
        });
      }
    }
  },
});
