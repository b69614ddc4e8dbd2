import { defineRule } from '../types';
import { modelOf, outputActivation, unwrapFix } from './shared';

export const DL502 = defineRule({
  code: 'DL502',
  name: 'sigmoid-before-bce-with-logits',
  category: 'losses',
  severity: 'warning',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    doubleSigmoid:
      '{{loss}} applies the sigmoid itself, but its input already went through sigmoid: outputs are squashed twice into (0.5, 0.73) and gradients nearly vanish. Pass raw logits.',
    rawToBce:
      '{{loss}} expects probabilities in [0, 1] but {{model}} ends without a sigmoid: raw outputs make the loss fail or meaningless. Use BCEWithLogitsLoss on the raw outputs (numerically stable).',
    kerasSigmoidFromLogits: 'The model ends in sigmoid but the loss uses from_logits=True: sigmoid is applied twice. Remove the activation or set from_logits=False.',
    kerasLogits:
      'The model outputs raw logits but "{{loss}}" expects probabilities (from_logits=False): set from_logits=True or add a sigmoid activation to the last layer.',
  },
  options: {},
  docs: {
    summary: 'Reports sigmoid before BCE-with-logits, and raw outputs given to plain BCE.',
    whatItDoes:
      'PyTorch: finds `BCEWithLogitsLoss`/`binary_cross_entropy_with_logits` fed by a sigmoid, and `BCELoss`/`binary_cross_entropy` fed by a model whose last layer has no sigmoid. Keras and TF.js: compares the last layer\'s activation with `from_logits` of binary cross-entropy; a per-output Keras loss with its output: the layer of its name (`loss={"box": ...}`), or the output at its position when both are lists.',
    whyBad:
      'BCEWithLogits applies the sigmoid internally (in a numerically stable way). A second sigmoid maps everything into (0.5, 0.73), so the loss cannot fit and gradients are tiny. Plain BCE on raw outputs takes log of negative numbers or values above 1: NaN losses or an error.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch
import torch.nn as nn

criterion = nn.BCEWithLogitsLoss()
loss = criterion(torch.sigmoid(logits), labels)
`,
        correct: `import torch.nn as nn

criterion = nn.BCEWithLogitsLoss()
loss = criterion(logits, labels)
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="binary_crossentropy")
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
`,
      },
    ],
    useInstead: 'Raw logits with BCEWithLogitsLoss (PyTorch) or `from_logits=True` (Keras); a sigmoid only for reporting probabilities.',
    fixSafety: 'Safe when the sigmoid is written inside the loss call; no fix otherwise.',
    concepts: ['loss-functions', 'logits', 'sigmoid'],
  },
  check(context) {
    const { program, text } = context;
    for (const loss of program.losses) {
      const activation = loss.inputActivation;
      if (loss.kind === 'bce_with_logits') {
        if (activation?.fn === 'sigmoid') {
          context.report({ messageId: 'doubleSigmoid', span: activation.span, data: { loss: loss.ctor }, fix: unwrapFix(text, loss, activation, `Pass raw logits to ${loss.ctor}`) });
        }
        continue;
      }
      if (loss.kind === 'bce') {
        // Only when the producer is a model whose output is visibly raw: unknown inputs stay silent.
        const model = modelOf(program, loss);
        if (activation !== null || !model || model.framework !== 'pytorch') continue;
        const ending = outputActivation(model);
        if (ending?.fn !== 'linear') continue;
        context.report({ messageId: 'rawToBce', span: loss.span, model: model.name, data: { loss: loss.ctor, model: model.name } });
        continue;
      }
      if (loss.kind !== 'binary_crossentropy' || loss.fromLogits === null) continue;
      const model = modelOf(program, loss);
      if (!model || model.framework === 'pytorch') continue;
      const ending = outputActivation(model, loss.output);
      if (ending?.fn === 'sigmoid' && loss.fromLogits) context.report({ messageId: 'kerasSigmoidFromLogits', span: loss.span, model: model.name });
      else if (ending?.fn === 'linear' && !loss.fromLogits) context.report({ messageId: 'kerasLogits', span: loss.span, model: model.name, data: { loss: loss.ctor.replace(/['"]/g, '') } });
    }
  },
});
