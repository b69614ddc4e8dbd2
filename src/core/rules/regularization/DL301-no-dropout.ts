import type { Layer, Model } from '../../ir/types';
import { ctorPrefix, insertBeforeInList, torchNnAlias } from '../edits';
import { consumers, hasDropout, hasNormalization, hasOpaqueSubmodules, layerOf, nextSubstantive } from '../queries';
import { defineRule, type Fix } from '../types';

function dropoutFix(text: string, model: Model, last: Layer): Fix | null {
  let element: string;
  if (model.framework === 'pytorch') element = `${torchNnAlias(text)}.Dropout(p=0.5)`;
  else if (model.framework === 'keras') element = `${ctorPrefix(last)}Dropout(0.5)`;
  else element = `${ctorPrefix(last)}dropout({rate: 0.5})`;
  const edit = insertBeforeInList(text, last, element);
  return edit ? { title: 'Insert Dropout(0.5) before the output layer', safe: false, edits: [edit] } : null;
}

/** A weight penalty on the layer itself: Keras `kernel_regularizer=regularizers.l2(...)`, TF.js `kernelRegularizer`. */
function hasWeightPenalty(layer: Layer): boolean {
  return layer.args.some((arg) => (arg.name === 'kernel_regularizer' || arg.name === 'kernelRegularizer') && !/^(None|null|undefined)$/.test(arg.text.trim()));
}

export const DL301 = defineRule({
  code: 'DL301',
  name: 'no-dropout',
  category: 'regularization',
  severity: 'info',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    none:
      'A fully-connected stack of {{count}} layers ({{params}} parameters, widest {{width}}) with no dropout, normalization or weight decay: it can memorise the training set. Add Dropout before the last layers or weight decay on the optimizer.',
  },
  options: {
    minParams: { type: 'number', default: 1_000_000, description: 'Parameters in the linear layers above which the stack counts as large.' },
    minWidth: { type: 'number', default: 512, description: 'Hidden width at or above which the stack counts as large.' },
  },
  docs: {
    summary: 'Reports large fully-connected stacks trained without any regularization.',
    whatItDoes:
      'Finds models with at least three linear/Dense layers (two hidden) whose linear layers hold at least `minParams` parameters or reach a hidden width of `minWidth`, and that have no dropout, no normalization, no weight penalty on their layers (Keras `kernel_regularizer`, TF.js `kernelRegularizer`) and no weight decay on an optimizer that trains them.',
    whyBad:
      'Large fully-connected layers have enough parameters to memorise their training data: training loss keeps falling while validation loss rises. Dropout, weight decay and normalization are the usual remedies.',
    knownProblems:
      'When no optimizer for the model is visible in the file, weight decay cannot be checked and the model is judged by its layers alone.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch.nn as nn

classifier = nn.Sequential(
    nn.Linear(4096, 1024),
    nn.ReLU(),
    nn.Linear(1024, 1024),
    nn.ReLU(),
    nn.Linear(1024, 10),
)
`,
        correct: `import torch.nn as nn

classifier = nn.Sequential(
    nn.Linear(4096, 1024),
    nn.ReLU(),
    nn.Dropout(p=0.5),
    nn.Linear(1024, 1024),
    nn.ReLU(),
    nn.Dropout(p=0.5),
    nn.Linear(1024, 10),
)
`,
      },
    ],
    useInstead: 'Dropout between the large fully-connected layers (p = 0.2–0.5), weight decay (AdamW), or normalization.',
    fixSafety: 'Unsafe: dropout changes training dynamics and results.',
    concepts: ['dropout', 'overfitting', 'weight-decay'],
  },
  check(context) {
    const { program, text } = context;
    for (const model of program.models) {
      const linear = model.layers.filter((layer) => layer.kind === 'linear');
      if (linear.length < 3 || !model.flowKnown || hasDropout(model) || hasNormalization(model) || hasOpaqueSubmodules(model)) continue;
      if (linear.some(hasWeightPenalty)) continue;
      // A plain stack is one chain: a layer feeding two linear heads (a VAE's mean and variance) is not one.
      const readers = consumers(model);
      const linearNodes = model.flow.filter((node) => layerOf(model, node)?.kind === 'linear');
      const successors = linearNodes.map((node) => nextSubstantive(model, node.id, readers).filter((next) => layerOf(model, next)?.kind === 'linear'));
      if (successors.some((next) => next.length > 1)) continue;
      const hidden = linearNodes.filter((_, index) => successors[index]!.length === 1).map((node) => layerOf(model, node)!);
      if (hidden.length < 2) continue;
      const params = linear.reduce<number | null>((sum, layer) => (sum === null || layer.params === null ? null : sum + layer.params * (layer.repeat ?? 1)), 0);
      const width = Math.max(0, ...hidden.map((layer) => layer.out ?? 0));
      if ((params === null || params < Number(context.options.minParams)) && width < Number(context.options.minWidth)) continue;
      const optimizers = program.optimizers.filter((optimizer) => optimizer.model === model.name);
      if (optimizers.some((optimizer) => optimizer.weightDecay === null || optimizer.weightDecay > 0)) continue;
      const last = linear[linear.length - 1]!;
      context.report({
        messageId: 'none',
        span: model.nameSpan,
        model: model.name,
        data: { count: linear.length, params: params === null ? 'unknown' : params.toLocaleString('en-US'), width },
        fix: dropoutFix(text, model, last),
      });
    }
  },
});
