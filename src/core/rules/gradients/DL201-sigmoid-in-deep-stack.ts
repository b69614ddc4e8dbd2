import { SATURATING, type FlowNode, type Model } from '../../ir/types';
import { consumers, DENSE_KINDS, denseDepth, isGate, layerOf, nextSubstantive, nodeActivation } from '../queries';
import { defineRule, type Fix } from '../types';

/** The ReLU spelling of a replacement for one saturating activation, in the code's own style. */
function reluFix(text: string, model: Model, node: FlowNode, span: { start: number; end: number }, fused: boolean): Fix | null {
  const written = text.slice(span.start, span.end);
  let replacement: string | undefined;
  if (fused) replacement = written.replace(/(['"])\w+\1/, (_, quote: string) => `${quote}relu${quote}`);
  else if (model.framework === 'pytorch' && node.op === 'layer') replacement = written.replace(/\w+$/, 'ReLU');
  else if (model.framework === 'pytorch' && node.op === 'activation') {
    const call = text.slice(node.span.start, node.span.end);
    const callee = /^[\w.]+(?=\()/.exec(call)?.[0];
    if (callee) {
      const prefix = callee.includes('.') ? callee.slice(0, callee.lastIndexOf('.') + 1) : '';
      return { title: 'Use ReLU for the hidden activation', safe: false, edits: [{ span: { start: node.span.start, end: node.span.start + callee.length }, newText: `${prefix}relu` }] };
    }
  }
  if (replacement === undefined || replacement === written) return null;
  return { title: 'Use ReLU for the hidden activation', safe: false, edits: [{ span, newText: replacement }] };
}

export const DL201 = defineRule({
  code: 'DL201',
  name: 'sigmoid-in-deep-stack',
  category: 'gradients',
  severity: 'warning',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    sigmoid:
      '{{activation}} as a hidden activation in a {{depth}}-layer stack: its derivative is at most 1/4, so across the hidden layers the gradient reaching the first layer can shrink to {{bound}} of its size. Use ReLU/GELU in hidden layers (keep {{activation}} for outputs and gates).',
    tanh:
      '{{activation}} as a hidden activation in a {{depth}}-layer stack: its derivative is 1 only at 0 and near 0 once units saturate, so gradients fade on their way to the first layers. Use ReLU/GELU in hidden layers (keep {{activation}} for outputs and gates).',
  },
  options: {
    minDepth: { type: 'number', default: 4, description: 'Fewest dense layers before hidden sigmoid/tanh is reported.' },
  },
  docs: {
    summary: 'Reports sigmoid/tanh used between the layers of a deep stack (vanishing gradients).',
    whatItDoes:
      'In models with at least `minDepth` linear or convolutional layers, finds sigmoid, tanh and their hard/soft variants whose output feeds another weight layer. Gates (`x * torch.sigmoid(g)`, squeeze-and-excitation), SiLU/Swish, GLU, LSTM/GRU internals and output activations are not hidden activations and are not reported.',
    whyBad:
      "Backpropagation multiplies the gradient by the activation's derivative at every layer. σ'(x) ≤ 1/4 and tanh'(x) ≤ 1, and both are near 0 once a unit saturates, so through a deep stack the gradient reaching early layers vanishes and they stop learning.",
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

model = nn.Sequential(
    nn.Linear(32, 64), nn.Sigmoid(),
    nn.Linear(64, 64), nn.Sigmoid(),
    nn.Linear(64, 64), nn.Sigmoid(),
    nn.Linear(64, 1),
)
`,
        correct: `import torch.nn as nn

model = nn.Sequential(
    nn.Linear(32, 64), nn.ReLU(),
    nn.Linear(64, 64), nn.ReLU(),
    nn.Linear(64, 64), nn.ReLU(),
    nn.Linear(64, 1), nn.Sigmoid(),
)
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(32,)),
    layers.Dense(64, activation="tanh"),
    layers.Dense(64, activation="tanh"),
    layers.Dense(64, activation="tanh"),
    layers.Dense(1, activation="sigmoid"),
])
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(32,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
`,
      },
    ],
    useInstead: 'ReLU, LeakyReLU, GELU or SiLU for hidden layers; sigmoid/tanh only at the output or as gates. Normalization and residual connections help too.',
    fixSafety: 'Unsafe: a different activation changes what the model computes and how it must be initialised and trained.',
    concepts: ['vanishing-exploding-gradients', 'activation-functions', 'sigmoid', 'tanh'],
  },
  check(context) {
    const { text } = context;
    for (const model of context.program.models) {
      if (!model.flowKnown) continue;
      const depth = denseDepth(model);
      if (depth < Number(context.options.minDepth)) continue;
      const readers = consumers(model);
      const reported = new Set<string>();
      for (const node of model.flow) {
        const activation = nodeActivation(model, node);
        if (!activation || !SATURATING.has(activation.fn)) continue;
        // A gate multiplies another signal; it is not on the layer-to-layer path.
        if (isGate(model, node.id, readers)) continue;
        const next = nextSubstantive(model, node.id, readers);
        const hidden = next.length > 0 && next.every((candidate) => {
          const layer = layerOf(model, candidate);
          return layer !== undefined && DENSE_KINDS.has(layer.kind);
        });
        if (!hidden) continue;
        const key = `${activation.span.start}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const sigmoidLike = activation.fn === 'sigmoid' || activation.fn === 'hardsigmoid';
        context.report({
          messageId: sigmoidLike ? 'sigmoid' : 'tanh',
          span: activation.span,
          model: model.name,
          data: { activation: activation.fn, depth, bound: `(1/4)^${depth - 1} ≈ ${(0.25 ** (depth - 1)).toExponential(0)}` },
          fix: reluFix(text, model, node, activation.span, activation.fused),
        });
      }
    }
  },
});
