import type { Model } from '../../ir/types';
import { defineRule } from '../types';

function isRecurrent(model: Model): boolean {
  return model.layers.some((layer) => layer.kind === 'rnn' || layer.kind === 'lstm' || layer.kind === 'gru');
}

export const DL204 = defineRule({
  code: 'DL204',
  name: 'rnn-without-grad-clipping',
  category: 'gradients',
  severity: 'warning',
  frameworks: ['pytorch', 'keras'],
  fixable: false,
  messages: {
    loop:
      '{{model}} is recurrent and this training loop never clips gradients: backpropagation through time multiplies by the recurrent weights at every step, so one long sequence can blow the update up. Call torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0) between backward() and step().',
    keras:
      '{{model}} is recurrent and its optimizer has no clipnorm/clipvalue: gradients through time can explode. Pass clipnorm=1.0 to the optimizer.',
  },
  options: {},
  docs: {
    summary: 'Reports recurrent models trained without gradient clipping.',
    whatItDoes:
      'Finds RNN/LSTM/GRU models that are trained in the same file (a loop that calls `backward()` and runs the model, or Keras `fit`) and checks for `clip_grad_norm_`/`clip_grad_value_` in the loop, or `clipnorm`/`clipvalue`/`global_clipnorm` on the Keras optimizer.',
    whyBad:
      'Backpropagation through time multiplies the gradient by the recurrent Jacobian once per time step. When its norm exceeds 1 the gradient grows exponentially with sequence length; a single exploding step can wreck the weights (loss becomes NaN). Clipping bounds the update.',
    knownProblems: 'A file that defines the model without training it is not reported; neither is a loop that calls a training function defined elsewhere.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch
import torch.nn as nn

class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(32, 64)
        self.out = nn.Linear(64, 100)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y)

model = LM()
optimizer = torch.optim.Adam(model.parameters())
for x, y in batches:
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    optimizer.step()
`,
        correct: `import torch
import torch.nn as nn

class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(32, 64)
        self.out = nn.Linear(64, 100)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.out(y)

model = LM()
optimizer = torch.optim.Adam(model.parameters())
for x, y in batches:
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x).flatten(0, 1), y.flatten())
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
`,
      },
    ],
    useInstead: 'Clip the gradient norm (typically to 0.25–5) before every optimizer step.',
    fixSafety: 'No automatic fix.',
    concepts: ['gradient-clipping', 'recurrent-layers', 'vanishing-exploding-gradients'],
  },
  check(context) {
    const { program } = context;
    const recurrent = program.models.filter(isRecurrent);
    if (recurrent.length === 0) return;
    for (const loop of program.loops) {
      if (loop.kind === 'fit') {
        const model = recurrent.find((candidate) => loop.models.includes(candidate.name));
        if (!model) continue;
        const optimizer = program.optimizers.find((candidate) => candidate.model === model.name);
        if (!optimizer || optimizer.clipnorm != null || optimizer.clipvalue != null) continue;
        context.report({ messageId: 'keras', span: optimizer.span, model: model.name, data: { model: model.name } });
        continue;
      }
      if (loop.backward.length === 0 || loop.clip.length > 0) continue;
      const model = recurrent.find((candidate) => loop.models.includes(candidate.name)) ?? (program.models.length === 1 && loop.models.length === 0 ? recurrent[0] : undefined);
      if (!model) continue;
      context.report({ messageId: 'loop', span: loop.headerSpan, model: model.name, data: { model: model.name } });
    }
  },
});
