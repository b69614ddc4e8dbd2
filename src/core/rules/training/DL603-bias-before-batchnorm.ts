import { addArgument } from '../edits';
import { consumers, DENSE_KINDS, layerOf } from '../queries';
import { defineRule } from '../types';

/** Keras and TF.js depthwise and separable convolutions (`layers.SeparableConv2D`, `tf.layers.depthwiseConv2d`). */
const DEPTHWISE = /(separable|depthwise)conv\dd$/i;

export const DL603 = defineRule({
  code: 'DL603',
  name: 'bias-before-batchnorm',
  category: 'training',
  severity: 'info',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    bias:
      '{{layer}} has a bias but feeds BatchNorm directly, which subtracts the mean and so cancels the bias: {{count}} that never affect the output. Set {{argument}}.',
  },
  options: {},
  docs: {
    summary: 'Reports a bias on a layer whose output goes straight into batch normalization.',
    whatItDoes:
      'Finds Linear/Dense and convolution layers with a bias (the default) whose only reader is a BatchNorm layer. Depthwise and separable convolutions are left alone: their bias is a small share of their weights, and Keras\'s own examples keep it. So are layers a helper function of the file builds: its constructor serves every call (VGG\'s `make_layers` builds the same convolution with and without batch norm), so the bias is not one call\'s to drop.',
    whyBad:
      'BatchNorm subtracts the per-channel mean, so any constant the previous layer adds is removed again; BatchNorm\'s own shift (beta) plays the bias\'s role. The bias costs parameters, memory and optimizer state for nothing.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

stem = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU())
`,
        correct: `import torch.nn as nn

stem = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3), layers.BatchNormalization(), layers.ReLU()])
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3, use_bias=False), layers.BatchNormalization(), layers.ReLU()])
`,
      },
    ],
    useInstead: '`bias=False` (PyTorch), `use_bias=False` (Keras), `useBias: false` (TF.js) on layers followed by BatchNorm.',
    fixSafety:
      'Unsafe: outputs are unchanged, but the parameter list changes, so existing checkpoints no longer load without adjusting their keys.',
    concepts: ['batch-normalization', 'parameter-count'],
  },
  check(context) {
    const { text } = context;
    for (const model of context.program.models) {
      const readers = consumers(model);
      const seen = new Set<number>();
      for (const node of model.flow) {
        const layer = layerOf(model, node);
        if (!layer || !DENSE_KINDS.has(layer.kind) || layer.bias !== true || seen.has(layer.index)) continue;
        if ((layer.activation && layer.activation !== 'linear') || DEPTHWISE.test(layer.ctor) || layer.helper !== undefined) continue;
        const next = readers.get(node.id) ?? [];
        if (next.length !== 1 || layerOf(model, model.flow[next[0]!])?.kind !== 'batchnorm') continue;
        seen.add(layer.index);
        const argument = model.framework === 'pytorch' ? 'bias=False' : model.framework === 'keras' ? 'use_bias=False' : 'useBias: false';
        const edit = model.framework === 'pytorch'
          ? addArgument(text, layer, 'pytorch', 'bias', 'False')
          : model.framework === 'keras'
            ? addArgument(text, layer, 'keras', 'use_bias', 'False')
            : addArgument(text, layer, 'tfjs', 'useBias', 'false', 'false');
        context.report({
          messageId: 'bias',
          span: layer.calleeSpan,
          model: model.name,
          data: { layer: layer.name ?? layer.ctor, count: layer.out === null ? 'parameters' : `${layer.out} parameters`, argument },
          fix: edit ? { title: `Set ${argument}`, safe: false, edits: [edit] } : null,
        });
      }
    }
  },
});
