import { RELU_FAMILY, type Model } from '../../ir/types';
import { addArgument, heInitArgument, torchNnAlias } from '../edits';
import {
  denseDepth,
  densePath,
  denseNodes,
  formatFactor,
  frameworkName,
  hasNormalization,
  hasOpaqueSubmodules,
  hasSkipConnections,
  layerOf,
  nodeActivation,
  varianceGain,
} from '../queries';
import { defineRule, type Fix, type TextEdit } from '../types';

/** The activations a model applies, functional, module or fused. */
function activations(model: Model) {
  return model.flow.flatMap((node) => {
    const activation = nodeActivation(model, node);
    return activation ? [activation.fn] : [];
  });
}

function pytorchFix(text: string, model: Model): Fix | null {
  const insertion = model.insertion;
  if (!insertion || /def\s+_init_weights\s*\(/.test(text.slice(model.span.start, model.span.end))) return null;
  const nn = torchNnAlias(text);
  const kinds = new Set(model.layers.map((layer) => layer.ctor.split('.').pop()!).filter((name) => /^(Linear|Conv[123]d)$/.test(name)));
  const types = [...kinds].sort().map((name) => `${nn}.${name}`);
  const typeTest = types.length === 1 ? types[0]! : `(${types.join(', ')})`;
  const i = insertion.indent;
  const applyCall = `\n${i}${i}self.apply(self._init_weights)`;
  const method = [
    '',
    '',
    `${i}def _init_weights(self, module):`,
    `${i}${i}# He/Kaiming init keeps ReLU activations at a steady variance through the stack.`,
    `${i}${i}if isinstance(module, ${typeTest}):`,
    `${i}${i}${i}${nn}.init.kaiming_normal_(module.weight, nonlinearity="relu")`,
    `${i}${i}${i}if module.bias is not None:`,
    `${i}${i}${i}${i}${nn}.init.zeros_(module.bias)`,
  ].join('\n');
  const edits: TextEdit[] =
    insertion.initEnd === insertion.classEnd
      ? [{ span: { start: insertion.initEnd, end: insertion.initEnd }, newText: applyCall + method }]
      : [
          { span: { start: insertion.initEnd, end: insertion.initEnd }, newText: applyCall },
          { span: { start: insertion.classEnd, end: insertion.classEnd }, newText: method },
        ];
  return { title: 'Initialize the weights with He/Kaiming init (add _init_weights)', safe: false, edits };
}

export const DL101 = defineRule({
  code: 'DL101',
  name: 'missing-init',
  category: 'init',
  severity: 'warning',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    defaultInit:
      '{{depth}} layers with ReLU rely on the {{framework}} default init {{init}}, which scales activation variance by ~{{factor}} per layer (~{{total}} after {{depth}} layers), so signals and gradients fade. Use He/Kaiming init.',
  },
  options: {
    minDepth: { type: 'number', default: 6, description: 'Fewest dense layers in a plain stack before the rule applies.' },
  },
  docs: {
    summary: 'Reports deep plain ReLU stacks that keep the framework default weight init instead of He/Kaiming.',
    whatItDoes:
      'Finds models with at least `minDepth` linear or convolutional layers, ReLU-family activations, no normalization and no skip connections, whose weights all keep the framework default initialization, and computes how much each layer shrinks the activation variance under that default.',
    whyBad:
      "With ReLU, a layer keeps the activation variance only when Var(W)·fan_in = 2 (He init). PyTorch's default for Linear and Conv, kaiming_uniform(a=√5), gives Var(W)·fan_in = 1/3, so each ReLU layer scales the variance by about 1/6; Keras's glorot_uniform gives about 1/2 on square layers. Over many layers the product is tiny: the forward signal and the gradients reaching early layers vanish, and training stalls or crawls.",
    knownProblems:
      'Normalization layers and residual connections correct the scale on their own, so the rule stays silent when they are present, and when a submodule it cannot see into is used.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

class MLP(nn.Module):
    def __init__(self, width=256, depth=8):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = nn.functional.relu(layer(x))
        return x
`,
        correct: `import torch.nn as nn

class MLP(nn.Module):
    def __init__(self, width=256, depth=8):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)

    def forward(self, x):
        for layer in self.layers:
            x = nn.functional.relu(layer(x))
        return x
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

deep = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(10),
])
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

deep = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(64, activation="relu", kernel_initializer="he_normal"),
    layers.Dense(10, kernel_initializer="he_normal"),
])
`,
      },
    ],
    useInstead:
      'Initialize the weights with He/Kaiming init: `nn.init.kaiming_normal_(w, nonlinearity="relu")` in PyTorch (an `_init_weights` method applied with `self.apply`), `kernel_initializer="he_normal"` in Keras, `kernelInitializer: "heNormal"` in TF.js; or add normalization or residual connections.',
    fixSafety:
      'Unsafe: changing the initialization changes how the model trains (for the better here), and results will not match earlier runs.',
    concepts: ['weight-initialization', 'vanishing-exploding-gradients', 'relu'],
  },
  check(context) {
    const { program, text } = context;
    for (const model of program.models) {
      const depth = denseDepth(model);
      if (depth < Number(context.options.minDepth)) continue;
      if (hasNormalization(model) || hasSkipConnections(model) || hasOpaqueSubmodules(model)) continue;
      // Any init call in the model, even one the analysis could not attribute to a layer, means init was considered.
      if (model.initSpans.length > 0) continue;
      const fns = activations(model);
      const hidden = fns.filter((fn) => fn !== 'softmax' && fn !== 'log_softmax' && fn !== 'sigmoid');
      if (hidden.length === 0 || !hidden.every((fn) => RELU_FAMILY.has(fn))) continue;
      const dense = model.flowKnown ? denseNodes(model).map((node) => layerOf(model, node)!) : model.layers.filter((layer) => /linear|conv/.test(layer.kind));
      if (dense.some((layer) => layer.init?.source !== 'default')) continue;
      // The factor is the hidden layers': the output layer's shape (64 → 10 under Glorot) says nothing about the stack.
      const reference = dense.slice(0, -1).find((layer) => varianceGain(layer.init, layer) !== null);
      const gain = reference ? varianceGain(reference.init, reference) : null;
      if (gain === null || !reference) continue;
      // ReLU passes half the variance of a zero-mean pre-activation. Along the path each hidden layer scales by its
      // own fans; the factor per layer shown is their geometric mean.
      const hiddenPath = (model.flowKnown ? densePath(model) : dense).slice(0, -1);
      const product = hiddenPath.reduce((total, layer) => total * ((varianceGain(layer.init, layer) ?? gain) / 2), 1);
      const factor = hiddenPath.length > 0 ? product ** (1 / hiddenPath.length) : gain / 2;
      if (factor >= 0.9) continue;
      let fix: Fix | null = null;
      if (model.framework === 'pytorch') fix = pytorchFix(text, model);
      else {
        const { name, value } = heInitArgument(model);
        const edits = model.layers
          .filter((layer) => /linear|conv/.test(layer.kind) && layer.init?.source === 'default')
          .map((layer) => addArgument(text, layer, model.framework, name, value));
        if (edits.length > 0 && edits.every((edit) => edit !== undefined)) {
          fix = { title: `Use He init (${name}=${value}) on every layer of the stack`, safe: false, edits: edits as TextEdit[] };
        }
      }
      context.report({
        messageId: 'defaultInit',
        span: model.nameSpan,
        model: model.name,
        data: {
          depth,
          framework: frameworkName(model),
          init: reference.init!.name,
          factor: formatFactor(factor),
          total: formatFactor(factor ** depth),
        },
        fix,
      });
    }
  },
});
