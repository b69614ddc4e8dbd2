import type { FlowNode, Layer, Model } from '../../ir/types';
import { consumers, DENSE_KINDS, layerOf } from '../queries';
import { defineRule } from '../types';

export const DL202 = defineRule({
  code: 'DL202',
  name: 'linear-without-activation',
  category: 'gradients',
  severity: 'warning',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    collapse:
      '{{second}} directly follows {{first}} with no activation, normalization or dropout between: two linear maps compose into one, so the extra layer adds parameters but no expressive power. Add a nonlinearity between them.',
    bottleneck:
      '{{second}} directly follows {{first}} with no activation: a low-rank bottleneck ({{inner}} < {{outer}}). Fine if the factorisation is intended; otherwise add a nonlinearity.',
  },
  options: {},
  docs: {
    summary: 'Reports two linear or convolutional layers applied back to back with nothing nonlinear between.',
    whatItDoes:
      'Follows the data flow and reports a linear/convolution layer whose input comes straight from another one. Anything the analysis cannot prove linear (attention, head splitting and reshaping, custom calls) counts as separating them, so attention projections stay silent. A narrower middle than both ends is reported as an intended low-rank bottleneck, at info level. Pairs that are factorisations by design stay silent: a depthwise or grouped convolution and the pointwise one after it (separable convolutions), a layer and a transposed convolution that resamples its output (FCN heads), a narrow pair whose output is added to another path (a LoRA or adapter update), and a narrow pair where one container ends and the next begins (an autoencoder\'s code between `encoder` and `decoder`).',
    whyBad:
      'W2(W1 x + b1) + b2 is a single linear map: depth without a nonlinearity does not add capacity, only parameters, compute and a harder optimisation problem. It is usually a forgotten activation.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

head = nn.Sequential(nn.Linear(512, 256), nn.Linear(256, 10))
`,
        correct: `import torch.nn as nn

head = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(512,)), layers.Dense(256), layers.Dense(10)])
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(512,)), layers.Dense(256, activation="relu"), layers.Dense(10)])
`,
      },
    ],
    useInstead: 'Put an activation (and optionally normalization or dropout) between consecutive linear layers, or merge them into one layer.',
    fixSafety: 'No automatic fix: which activation belongs there is a modelling choice.',
    concepts: ['activation-functions', 'linear-layer'],
  },
  check(context) {
    for (const model of context.program.models) {
      const readers = consumers(model);
      const reported = new Set<string>();
      for (const node of model.flow) {
        const first = layerOf(model, node);
        if (!first || !DENSE_KINDS.has(first.kind)) continue;
        if ((first.activation && first.activation !== 'linear') || first.activationUnknown) continue;
        const next = readers.get(node.id) ?? [];
        if (next.length !== 1) continue;
        const reader = model.flow[next[0]!]!;
        const second = layerOf(model, reader);
        if (!second || !DENSE_KINDS.has(second.kind) || reader.inputs.length !== 1) continue;
        const key = `${first.index}:${second.index}`;
        if (reported.has(key)) continue;
        reported.add(key);
        if (grouped(first) || grouped(second) || first.kind === 'convtranspose' || second.kind === 'convtranspose') continue;
        const inner = first.out;
        const narrow = inner !== null && (first.in === null || inner < first.in) && (second.out === null || inner < second.out);
        if (narrow && (addedToAnotherPath(model, readers, reader) || betweenContainers(first, second))) continue;
        const bottleneck = inner !== null && first.in !== null && second.out !== null && inner < first.in && inner < second.out;
        context.report({
          messageId: bottleneck ? 'bottleneck' : 'collapse',
          ...(bottleneck ? { severity: 'info' as const } : {}),
          span: second.calleeSpan,
          model: model.name,
          data: {
            first: first.name ?? first.ctor,
            second: second.name ?? second.ctor,
            inner: inner ?? '?',
            outer: Math.min(first.in ?? 0, second.out ?? 0),
          },
        });
      }
    }
  },
});

/**
 * Whether two layers end one container and start another (`encoder.2`, then `decoder.0`): a narrow pair there is the
 * code an encoder hands its decoder, an autoencoder's bottleneck by design.
 */
function betweenContainers(first: Layer, second: Layer): boolean {
  const container = (layer: Layer) => /^(.+)\.\d+$/.exec(layer.name ?? '')?.[1];
  const from = container(first);
  return from !== undefined && container(second) !== undefined && container(second) !== from && /\.0$/.test(second.name ?? '');
}

/** Whether a convolution mixes channels only within groups: depthwise (`groups=in_channels`), grouped, separable. */
function grouped(layer: Layer): boolean {
  if (/(separable|depthwise)conv/i.test(layer.ctor)) return true;
  if (layer.kind === 'linear') return false;
  // PyTorch's Conv and ConvTranspose both take `groups` seventh.
  const groups = layer.args.find((arg) => arg.name === 'groups') ?? layer.args.filter((arg) => arg.name === undefined)[6];
  return groups !== undefined && groups.value !== 1;
}

/**
 * Whether a layer's output, scaled or dropped out on the way, is summed with another path: `x + B(A(x)) * s`.
 * Such a pair is a low-rank update to that path (LoRA, adapters), a factorisation by design.
 */
function addedToAnotherPath(model: Model, readers: ReadonlyMap<number, readonly number[]>, node: FlowNode): boolean {
  let current = node;
  for (let step = 0; step < 8; step++) {
    const next = readers.get(current.id) ?? [];
    if (next.length !== 1) return false;
    const reader = model.flow[next[0]!]!;
    if (reader.op === 'add') return reader.inputs.length > 1;
    if (!(reader.op === 'mul' && reader.inputs.length === 1) && reader.op !== 'dropout') return false;
    current = reader;
  }
  return false;
}
