import type { FlowNode, Layer, LayerKind, Model } from '../../ir/types';
import { layerOf, nodeActivation } from '../queries';
import { defineRule, type Fix } from '../types';

const CONV: ReadonlySet<LayerKind> = new Set(['conv1d', 'conv2d', 'conv3d', 'convtranspose']);
const FEATURE: ReadonlySet<LayerKind> = new Set(['linear', 'embedding', 'rnn', 'lstm', 'gru', 'attention']);
const NORM: ReadonlySet<LayerKind> = new Set(['batchnorm', 'layernorm', 'groupnorm']);

/** The producer of a layer's input, through nodes that keep the feature size, with its output size. */
function producer(model: Model, node: FlowNode, channelsOnly: boolean): Layer | undefined {
  let current = node;
  for (let steps = 0; steps < 16; steps++) {
    if (current.inputs.length !== 1) return undefined;
    const previous = model.flow[current.inputs[0]!]!;
    const layer = layerOf(model, previous);
    if (previous.op === 'activation' || previous.op === 'dropout' || (nodeActivation(model, previous) && layer?.kind === 'activation')) {
      current = previous;
      continue;
    }
    if (!layer) return undefined;
    if (layer.kind === 'dropout' || (layer.kind === 'pooling' && channelsOnly)) {
      current = previous;
      continue;
    }
    if (NORM.has(layer.kind) && layer.out === null) {
      current = previous;
      continue;
    }
    return layer.out === null ? undefined : layer;
  }
  return undefined;
}

/** Whether the two layers' sizes describe the same axis (features into features, channels into channels). */
function comparable(from: Layer, to: Layer): boolean {
  if (CONV.has(to.kind)) return CONV.has(from.kind) || (NORM.has(from.kind) && from.kind !== 'layernorm');
  if (to.kind === 'linear' || to.kind === 'rnn' || to.kind === 'lstm' || to.kind === 'gru' || to.kind === 'attention') return FEATURE.has(from.kind) || from.kind === 'layernorm';
  if (NORM.has(to.kind)) return CONV.has(from.kind) ? to.kind !== 'layernorm' : FEATURE.has(from.kind) || NORM.has(from.kind);
  return false;
}

export const DL401 = defineRule({
  code: 'DL401',
  name: 'layer-shape-mismatch',
  category: 'shapes',
  severity: 'error',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    mismatch:
      '{{to}} expects {{expected}} input features/channels but {{from}} produces {{actual}}: this fails at run time with a shape error. Make them agree (set it to {{actual}}).',
  },
  options: {},
  docs: {
    summary: "Reports a layer whose declared input size differs from the previous layer's output size.",
    whatItDoes:
      'Follows the data flow from each Linear, Conv, norm, Embedding-consuming or recurrent layer back through activations, dropout and (for channels) pooling to the layer that produced its input, and compares sizes when both are known: out_features with in_features, out_channels with in_channels or num_features, embedding_dim with the next layer\'s input.',
    whyBad: 'Mismatched sizes are a runtime error (`mat1 and mat2 shapes cannot be multiplied`), found only when the model first runs, often after data loading has already taken a while.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(128, 10))
`,
        correct: `import torch.nn as nn

mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
`,
      },
    ],
    useInstead: 'Use the previous layer\'s output size as the next layer\'s input size (a shared constant avoids the drift).',
    fixSafety: 'Unsafe: either number may be the wrong one; the fix assumes the earlier layer is right.',
    concepts: ['tensor-shapes', 'linear-layer'],
  },
  check(context) {
    for (const model of context.program.models) {
      const seen = new Set<string>();
      for (const node of model.flow) {
        const layer = layerOf(model, node);
        if (!layer || layer.in === null || !(CONV.has(layer.kind) || FEATURE.has(layer.kind) || NORM.has(layer.kind)) || layer.kind === 'embedding') continue;
        const from = producer(model, node, CONV.has(layer.kind) || layer.kind === 'batchnorm' || layer.kind === 'groupnorm');
        if (!from || from.out === null || from.out === layer.in || !comparable(from, layer)) continue;
        const key = `${from.index}:${layer.index}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // The size argument is the first positional one (or in_features/in_channels/num_features...).
        const arg = layer.args.find((candidate) => candidate.name === undefined) ?? layer.args.find((candidate) => /^(in_|num_|normalized|input_size|embed_dim)/.test(candidate.name ?? ''));
        const span = arg?.valueSpan ?? layer.calleeSpan;
        const fix: Fix | null = arg && /^\d+$/.test(arg.text) ? { title: `Set the input size to ${from.out}`, safe: false, edits: [{ span: arg.valueSpan, newText: String(from.out) }] } : null;
        context.report({
          messageId: 'mismatch',
          span,
          model: model.name,
          data: { to: layer.name ?? layer.ctor, from: from.name ?? from.ctor, expected: layer.in, actual: from.out },
          fix,
        });
      }
    }
  },
});
