import { defineRule } from '../types';

export const DL303 = defineRule({
  code: 'DL303',
  name: 'invalid-dropout-rate',
  category: 'regularization',
  severity: 'error',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    outOfRange: 'Dropout rate {{rate}} is outside [0, 1): it is the probability of DROPPING a unit; {{consequence}}.',
    high: 'Dropout rate {{rate}} drops {{percent}}% of the units: the rate is the probability of dropping, not keeping. Did you mean {{keep}}?',
  },
  options: {
    maxRate: { type: 'number', default: 0.8, description: 'Rates at or above this are reported as suspiciously high.' },
  },
  docs: {
    summary: 'Reports dropout rates outside [0, 1) and rates so high they look like keep-probabilities.',
    whatItDoes:
      'Checks `nn.Dropout(p)`, `F.dropout(x, p)`, Keras `Dropout(rate)` and TF.js `dropout({rate})`: an error below 0 or at/above 1, a warning at or above `maxRate`.',
    whyBad:
      'PyTorch, Keras and TF.js all take the probability of dropping a unit. A rate of 1 zeroes everything (and the 1/(1-p) scaling divides by zero); PyTorch rejects values outside [0, 1]. A rate such as 0.9 usually comes from the old TensorFlow `keep_prob` convention and throws away 90% of the signal.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

drop = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.9), nn.Linear(64, 2))
`,
        correct: `import torch.nn as nn

drop = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 2))
`,
      },
      {
        framework: 'keras',
        incorrect: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(8), layers.Dropout(1.5), layers.Dense(2)])
`,
        correct: `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(8), layers.Dropout(0.5), layers.Dense(2)])
`,
      },
    ],
    useInstead: 'A drop probability in [0, 0.5] for most layers (0.1 for transformers, 0.5 for large fully-connected layers).',
    fixSafety: 'No automatic fix: the intended rate is not known.',
    concepts: ['dropout'],
  },
  check(context) {
    for (const model of context.program.models) {
      const checked = new Set<number>();
      const rates: { rate: number; span: { start: number; end: number } }[] = [];
      for (const layer of model.layers) {
        if (layer.kind !== 'dropout' || typeof layer.rate !== 'number') continue;
        const arg = layer.args.find((candidate) => candidate.name === undefined || candidate.name === 'p' || candidate.name === 'rate');
        rates.push({ rate: layer.rate, span: arg?.valueSpan ?? layer.span });
      }
      for (const node of model.flow) if (node.op === 'dropout' && typeof node.rate === 'number') rates.push({ rate: node.rate, span: node.span });
      for (const { rate, span } of rates) {
        if (checked.has(span.start)) continue;
        checked.add(span.start);
        if (rate < 0 || rate >= 1) {
          const consequence = rate >= 1 ? 'at 1 every unit is dropped and the output is all zeros' : 'a negative probability is meaningless and PyTorch raises an error';
          context.report({ messageId: 'outOfRange', span, model: model.name, data: { rate, consequence } });
        } else if (rate >= Number(context.options.maxRate)) {
          context.report({ messageId: 'high', severity: 'warning', span, model: model.name, data: { rate, percent: Math.round(rate * 100), keep: Number((1 - rate).toFixed(2)) } });
        }
      }
    }
  },
});
