import { defineRule } from '../types';
import { modelOf, outputActivation, unwrapFix } from './shared';

const CATEGORICAL = new Set(['categorical_crossentropy', 'sparse_categorical_crossentropy']);

export const DL501 = defineRule({
  code: 'DL501',
  name: 'softmax-before-cross-entropy',
  category: 'losses',
  severity: 'warning',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    torch:
      '{{loss}} applies log-softmax itself, but its input already went through {{activation}}: probabilities are squashed twice, gradients shrink and training is slow. Pass the raw logits.',
    nll: 'NLLLoss expects log-probabilities but receives softmax output: the loss is wrong. Use log_softmax (or CrossEntropyLoss on raw logits).',
    nllRaw:
      '{{loss}} expects log-probabilities but {{model}} ends without log_softmax: on raw logits the loss is unbounded below and learns nothing useful. Add log_softmax to the output, or use CrossEntropyLoss on the raw logits.',
    softmaxFromLogits:
      'The model ends in softmax but the loss uses from_logits=True: softmax is applied twice. Remove the softmax activation or set from_logits=False.',
    logitsNotFromLogits:
      'The model outputs raw logits (no activation on the last layer) but the loss expects probabilities (from_logits=False, the default for "{{loss}}"): set from_logits=True or add a softmax activation.',
    tfjsSoftmaxTwice:
      'The model ends in softmax but {{loss}} applies softmax itself: softmax is applied twice. Remove the softmax activation, or give the probabilities to a loss that takes them (tf.metrics.categoricalCrossentropy).',
    tfjsLogitsToProbabilities:
      'The model outputs raw logits (no activation on the last layer) but {{loss}} expects probabilities: add a softmax activation, or give the logits to tf.losses.softmaxCrossEntropy.',
  },
  options: {},
  docs: {
    summary: 'Reports softmax applied before a loss that applies it again, and raw logits given to a loss expecting probabilities.',
    whatItDoes:
      'PyTorch: finds `nn.CrossEntropyLoss`/`F.cross_entropy` fed by softmax or log_softmax output (written in the call, through a variable, or from a model whose forward ends in it), and `NLLLoss` fed by softmax or by the raw output of a model of the file. Keras and TF.js: compares the last layer\'s activation with the loss\'s `from_logits`; a per-output Keras loss with its output: the layer of its name (`loss={"label": ...}`), or the output at its position when both are lists.',
    whyBad:
      'CrossEntropyLoss computes log_softmax internally. Feeding it probabilities squashes twice: the loss can no longer get near 0 and its gradient is much smaller, so training is slow and calibration is poor. In Keras the same happens with softmax outputs and from_logits=True; the reverse (logits with from_logits=False) makes the loss treat arbitrary numbers as probabilities.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn
import torch.nn.functional as F

criterion = nn.CrossEntropyLoss()
loss = criterion(F.softmax(logits, dim=1), targets)
`,
        correct: `import torch.nn as nn

criterion = nn.CrossEntropyLoss()
loss = criterion(logits, targets)
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(64, activation="relu"), layers.Dense(10)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(64, activation="relu"), layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
`,
      },
    ],
    useInstead: 'Give cross-entropy raw logits (PyTorch CrossEntropyLoss; Keras `from_logits=True`), and apply softmax only when you need probabilities for prediction.',
    fixSafety: 'Safe when the softmax is written inside the loss call (removing it changes only what the loss sees); no fix otherwise, since the model\'s callers may rely on its output.',
    concepts: ['cross-entropy', 'logits', 'softmax', 'loss-functions'],
  },
  check(context) {
    const { program, text } = context;
    for (const loss of program.losses) {
      const activation = loss.inputActivation;
      if ((loss.kind === 'cross_entropy' || loss.kind === 'nll') && activation) {
        if (loss.kind === 'cross_entropy' && (activation.fn === 'softmax' || activation.fn === 'log_softmax')) {
          context.report({
            messageId: 'torch',
            span: activation.span,
            data: { loss: loss.ctor, activation: activation.fn },
            fix: unwrapFix(text, loss, activation, `Pass raw logits to ${loss.ctor}`),
          });
        } else if (loss.kind === 'nll' && activation.fn === 'softmax') {
          context.report({ messageId: 'nll', span: activation.span });
        }
        continue;
      }
      if (loss.kind === 'nll') {
        // Only a model of the file whose output is visibly raw: unknown inputs stay silent.
        const model = modelOf(program, loss);
        if (model?.framework === 'pytorch' && outputActivation(model)?.fn === 'linear') {
          context.report({ messageId: 'nllRaw', span: loss.span, model: model.name, data: { loss: loss.ctor, model: model.name } });
        }
        continue;
      }
      if (!CATEGORICAL.has(loss.kind) || loss.fromLogits === null) continue;
      const model = modelOf(program, loss);
      if (!model || model.framework === 'pytorch') continue;
      const ending = outputActivation(model, loss.output);
      if (!ending) continue;
      // TF.js has no from_logits: which loss function is called says whether it takes logits.
      const tfjs = model.framework === 'tfjs';
      const data = { loss: loss.ctor.replace(/['"]/g, '') };
      if (ending.fn === 'softmax' && loss.fromLogits) {
        context.report({ messageId: tfjs ? 'tfjsSoftmaxTwice' : 'softmaxFromLogits', span: loss.span, model: model.name, data });
      } else if (ending.fn === 'linear' && !loss.fromLogits) {
        context.report({ messageId: tfjs ? 'tfjsLogitsToProbabilities' : 'logitsNotFromLogits', span: loss.span, model: model.name, data });
      }
    }
  },
});
