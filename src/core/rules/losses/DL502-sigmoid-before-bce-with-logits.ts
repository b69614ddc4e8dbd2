import { defineRule } from '../types';
import { modelOf, outputActivation, PROBABILITY_OUTPUTS, unwrapFix } from './shared';

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
    torchNotProbabilities:
      '{{loss}} expects probabilities in [0, 1], but its input comes out of {{activation}}: values outside raise an error or give a meaningless loss. End in a sigmoid, or give the raw outputs to BCEWithLogitsLoss (numerically stable).',
    kerasSigmoidFromLogits: 'The model ends in sigmoid but the loss uses from_logits=True: sigmoid is applied twice. Remove the activation or set from_logits=False.',
    kerasLogits:
      'The model outputs raw logits but "{{loss}}" expects probabilities (from_logits=False): set from_logits=True or add a sigmoid activation to the last layer.',
    kerasNotProbabilities:
      'The last layer\'s {{activation}} does not give probabilities in [0, 1], but "{{loss}}" expects them (from_logits=False): it clips what falls outside, and clipped outputs get no gradient. Use a sigmoid on the last layer, or no activation with from_logits=True.',
    tfjsSigmoidTwice:
      'The model ends in sigmoid but {{loss}} applies the sigmoid itself: it is applied twice. Remove the activation, or give the probabilities to a loss that takes them (tf.metrics.binaryCrossentropy).',
    tfjsLogits:
      'The model outputs raw logits but {{loss}} expects probabilities: add a sigmoid activation to the last layer, or give the logits to tf.losses.sigmoidCrossEntropy.',
    tfjsNotProbabilities:
      'The last layer\'s {{activation}} does not give probabilities in [0, 1], but {{loss}} expects them: it clips what falls outside, and clipped outputs get no gradient. Use a sigmoid on the last layer, or no activation with tf.losses.sigmoidCrossEntropy.',
    singleSoftmax:
      'A softmax over one unit always outputs 1: "{{loss}}" is then constant and its gradient is 0, so the model never learns. Use a sigmoid for one binary output.',
  },
  options: {},
  docs: {
    summary: 'Reports sigmoid before BCE-with-logits, and raw outputs given to plain BCE.',
    whatItDoes:
      'PyTorch: finds `BCEWithLogitsLoss`/`binary_cross_entropy_with_logits` fed by a sigmoid, and `BCELoss`/`binary_cross_entropy` fed by a model whose last layer has no sigmoid or by an activation that does not give probabilities (ReLU, tanh and the like). Keras and TF.js: compares the last layer\'s activation with `from_logits` of binary cross-entropy (raw logits, or an activation such as ReLU, where probabilities are expected), and reports a softmax over a single unit, which always outputs 1; a per-output Keras loss with its output: the layer of its name (`loss={"box": ...}`), or the output at its position when both are lists.',
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
        // Only when what feeds it visibly gives other values than probabilities: unknown inputs stay silent.
        const model = modelOf(program, loss);
        const torchModel = model?.framework === 'pytorch' ? model : undefined;
        const ending = activation ?? (torchModel ? outputActivation(torchModel) : undefined);
        // `torch.exp(log_probs)` gives probabilities back.
        if (!ending || PROBABILITY_OUTPUTS.has(ending.fn) || ending.fn === 'exp') continue;
        if (ending.fn === 'linear' && torchModel) context.report({ messageId: 'rawToBce', span: loss.span, model: torchModel.name, data: { loss: loss.ctor, model: torchModel.name } });
        else if (ending.fn !== 'linear') context.report({ messageId: 'torchNotProbabilities', span: loss.span, ...(torchModel ? { model: torchModel.name } : {}), data: { loss: loss.ctor, activation: ending.fn } });
        continue;
      }
      if (loss.kind !== 'binary_crossentropy' || loss.fromLogits === null) continue;
      const model = modelOf(program, loss);
      if (!model || model.framework === 'pytorch') continue;
      const ending = outputActivation(model, loss.output);
      if (!ending) continue;
      const lossName = loss.ctor.replace(/['"]/g, '');
      // TF.js has no from_logits: which loss function is called says whether it takes logits.
      const tfjs = model.framework === 'tfjs';
      if (ending.fn === 'softmax' && ending.units === 1) context.report({ messageId: 'singleSoftmax', span: ending.span, model: model.name, data: { loss: lossName } });
      else if (ending.fn === 'sigmoid' && loss.fromLogits) context.report({ messageId: tfjs ? 'tfjsSigmoidTwice' : 'kerasSigmoidFromLogits', span: loss.span, model: model.name, data: { loss: lossName } });
      else if (ending.fn === 'linear' && !loss.fromLogits) context.report({ messageId: tfjs ? 'tfjsLogits' : 'kerasLogits', span: loss.span, model: model.name, data: { loss: lossName } });
      else if (!PROBABILITY_OUTPUTS.has(ending.fn) && !loss.fromLogits) {
        context.report({ messageId: tfjs ? 'tfjsNotProbabilities' : 'kerasNotProbabilities', span: loss.span, model: model.name, data: { loss: lossName, activation: ending.fn } });
      }
    }
  },
});
