import type { Model, OptimizerInfo, Program } from '../../ir/types';
import { defineRule } from '../types';

function isRecurrent(model: Model): boolean {
  return model.layers.some((layer) => layer.kind === 'rnn' || layer.kind === 'lstm' || layer.kind === 'gru');
}

/** A plain (Elman) recurrence: no gates stand between the gradient and the recurrent weights. */
function hasVanillaRecurrence(model: Model): boolean {
  return model.layers.some((layer) => layer.kind === 'rnn');
}

/** The optimizer that trains `model`: the one built from its parameters, else the file's only one. */
function optimizerOf(program: Program, model: Model): OptimizerInfo | undefined {
  return program.optimizers.find((optimizer) => optimizer.model === model.name) ?? (program.optimizers.length === 1 ? program.optimizers[0] : undefined);
}

const REASONS = {
  vanilla: 'backpropagation through time multiplies by the recurrent weights at every step, so one long sequence can blow the update up',
  sgd: 'its gates keep most gradients in range, but plain SGD turns any spike that gets through into a step just as large',
  gated: 'a spike in the gradient through time becomes a spike in the update',
};

/**
 * Why this model needs clipping with this optimizer, or undefined when it does not. LSTM/GRU gradients rarely
 * explode, and adaptive optimizers (Adam, RMSprop...) divide each step by the gradient's running scale, so such
 * models are reported only with plain SGD, unless `gatedWithAdaptive` asks for them all.
 */
function reasonFor(model: Model, optimizer: OptimizerInfo | undefined, gatedWithAdaptive: boolean): string | undefined {
  if (hasVanillaRecurrence(model)) return REASONS.vanilla;
  if (gatedWithAdaptive) return REASONS.gated;
  return optimizer?.kind === 'sgd' ? REASONS.sgd : undefined;
}

export const DL204 = defineRule({
  code: 'DL204',
  name: 'rnn-without-grad-clipping',
  category: 'gradients',
  severity: 'warning',
  frameworks: ['pytorch', 'keras'],
  fixable: false,
  messages: {
    loop: '{{model}} is recurrent and this training loop never clips gradients: {{reason}}. Call torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0) between backward() and step().',
    keras: '{{model}} is recurrent and its optimizer has no clipnorm/clipvalue: {{reason}}. Pass clipnorm=1.0 to the optimizer.',
  },
  options: {
    gatedWithAdaptive: {
      type: 'boolean',
      default: false,
      description: 'Also report LSTM/GRU models trained with an adaptive optimizer (Adam, RMSprop...) or an optimizer DeepLint cannot see.',
    },
  },
  docs: {
    summary: 'Reports recurrent models trained without gradient clipping.',
    whatItDoes:
      'Finds recurrent models that are trained in the same file (a loop that calls `backward()` and runs the model, or Keras `fit`) and checks for `clip_grad_norm_`/`clip_grad_value_` in the loop (or in a function of the file it calls), or `clipnorm`/`clipvalue`/`global_clipnorm` on the Keras optimizer. Plain RNNs (`nn.RNN`, `SimpleRNN`) are always reported without clipping; LSTM and GRU models only when trained with plain SGD (option `gatedWithAdaptive` reports them with any optimizer).',
    whyBad:
      'Backpropagation through time multiplies the gradient by the recurrent Jacobian once per time step. When its norm exceeds 1 the gradient grows exponentially with sequence length; a single exploding step can wreck the weights (loss becomes NaN). Clipping bounds the update. LSTM and GRU gates damp this, and adaptive optimizers divide each step by the gradient\'s running scale, which is why well-tuned LSTMs trained with Adam usually do without; with plain SGD the step is as large as the gradient.',
    knownProblems:
      'A file that defines the model without training it is not reported; neither is a loop that calls a training function defined elsewhere. Long-sequence LSTM language models can explode even with Adam: turn on `gatedWithAdaptive` for those.',
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
optimizer = torch.optim.SGD(model.parameters(), lr=20.0)
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
optimizer = torch.optim.SGD(model.parameters(), lr=20.0)
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
    const gatedWithAdaptive = context.options.gatedWithAdaptive === true;
    for (const loop of program.loops) {
      if (loop.kind === 'fit') {
        const model = recurrent.find((candidate) => loop.models.includes(candidate.name));
        if (!model) continue;
        const optimizer = program.optimizers.find((candidate) => candidate.model === model.name);
        if (!optimizer || optimizer.clipnorm != null || optimizer.clipvalue != null) continue;
        const reason = reasonFor(model, optimizer, gatedWithAdaptive);
        if (reason) context.report({ messageId: 'keras', span: optimizer.span, model: model.name, data: { model: model.name, reason } });
        continue;
      }
      if (loop.backward.length === 0 || loop.clip.length > 0) continue;
      const model = recurrent.find((candidate) => loop.models.includes(candidate.name)) ?? (program.models.length === 1 && loop.models.length === 0 ? recurrent[0] : undefined);
      if (!model) continue;
      const reason = reasonFor(model, optimizerOf(program, model), gatedWithAdaptive);
      if (reason) context.report({ messageId: 'loop', span: loop.headerSpan, model: model.name, data: { model: model.name, reason } });
    }
  },
});
