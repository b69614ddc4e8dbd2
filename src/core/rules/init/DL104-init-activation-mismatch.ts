import { RELU_FAMILY, type ActivationFn } from '../../ir/types';
import { activationAfter, consumers, denseDepth, denseNodes, isGate, layerOf } from '../queries';
import { defineRule } from '../types';

const SQUASHING: ReadonlySet<ActivationFn> = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'hardtanh', 'softsign']);

/** Which family an explicit init was designed for, from its distribution and named nonlinearity. */
function designedFor(init: { dist: { family: string; scale?: number; mode?: string }; nonlinearity?: string; name: string }): 'relu' | 'squashing' | undefined {
  if (init.nonlinearity !== undefined) {
    if (init.nonlinearity === 'relu' || init.nonlinearity === 'leaky_relu') return 'relu';
    if (init.nonlinearity === 'tanh' || init.nonlinearity === 'sigmoid') return 'squashing';
    return undefined;
  }
  if (init.dist.family !== 'variance_scaling') return undefined;
  if (/he|kaiming/i.test(init.name) && init.dist.scale === 2) return 'relu';
  if (/glorot|xavier/i.test(init.name)) return 'squashing';
  return undefined;
}

export const DL104 = defineRule({
  code: 'DL104',
  name: 'init-activation-mismatch',
  category: 'init',
  severity: 'info',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: false,
  messages: {
    heIntoSquashing:
      '{{layer}} uses {{init}} (made for ReLU, Var(W)=2/fan_in) but feeds {{activation}}: twice the variance pushes {{activation}} into saturation. Use xavier/Glorot init for {{activation}}.',
    glorotIntoRelu:
      '{{layer}} uses {{init}} (made for tanh/sigmoid) but feeds ReLU in a {{depth}}-layer stack: ReLU halves the variance each layer. Use He/Kaiming init.',
    nonlinearity:
      "{{layer}} is initialised for nonlinearity='{{declared}}' but the activation that follows is {{activation}}: the gain is wrong for it.",
  },
  options: {
    minDepth: { type: 'number', default: 6, description: 'Fewest dense layers before a Glorot-into-ReLU mismatch is reported.' },
  },
  docs: {
    summary: 'Reports explicit weight inits designed for a different activation than the one that follows.',
    whatItDoes:
      'For each explicitly initialised linear or convolutional layer, finds the activation its output goes through and compares it with the init: He/Kaiming (gain √2, for ReLU) before sigmoid/tanh, Xavier/Glorot (for tanh/sigmoid) before ReLU in a deep stack, or a `nonlinearity=` argument naming another function. An activation used as a gate (its output multiplies another signal, as in squeeze-and-excitation) carries no variance from layer to layer and is not judged.',
    whyBad:
      'Initializers set Var(W) so that one specific nonlinearity keeps the signal variance steady. With the wrong one, every layer shrinks or grows the variance: tanh and sigmoid saturate under He init, ReLU stacks fade under Glorot init.',
    knownProblems:
      "kaiming init with nonlinearity='leaky_relu' and the default slope is the same as 'relu'; both are accepted before any ReLU-family activation.",
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.out = nn.Linear(64, 1)
        nn.init.kaiming_normal_(self.fc.weight, nonlinearity="relu")

    def forward(self, x):
        return self.out(torch.tanh(self.fc(x)))
`,
        correct: `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 64)
        self.out = nn.Linear(64, 1)
        nn.init.xavier_normal_(self.fc.weight, gain=nn.init.calculate_gain("tanh"))

    def forward(self, x):
        return self.out(torch.tanh(self.fc(x)))
`,
      },
    ],
    useInstead: 'He/Kaiming init before ReLU-family activations; Xavier/Glorot (with the tanh gain) before tanh and sigmoid.',
    fixSafety: 'No automatic fix.',
    concepts: ['weight-initialization', 'activation-functions'],
  },
  check(context) {
    for (const model of context.program.models) {
      if (!model.flowKnown) continue;
      const readers = consumers(model);
      const depth = denseDepth(model);
      const seen = new Set<number>();
      for (const node of denseNodes(model)) {
        const layer = layerOf(model, node)!;
        const init = layer.init;
        if (!init || init.source !== 'explicit' || seen.has(layer.index)) continue;
        const following = activationAfter(model, node.id, readers);
        const fused = layer.activation && layer.activation !== 'linear' ? layer.activation : undefined;
        const activation = fused ?? following?.fn;
        if (!activation) continue;
        // A gate scales another signal between 0 and 1; no variance is carried through it layer to layer, so no
        // init is made for it (torchvision's MobileNetV3 gives its squeeze-and-excitation convs He init).
        if (isGate(model, fused ? node.id : following!.node.id, readers)) continue;
        const family = designedFor(init);
        const data = { layer: layer.name ?? layer.ctor, init: init.name, activation, depth };
        if (init.nonlinearity && init.nonlinearity !== 'leaky_relu' && init.nonlinearity !== 'relu' && init.nonlinearity !== activation && !(init.nonlinearity === 'linear')) {
          if (RELU_FAMILY.has(activation) || SQUASHING.has(activation)) {
            seen.add(layer.index);
            context.report({ messageId: 'nonlinearity', span: init.span ?? layer.calleeSpan, model: model.name, data: { ...data, declared: init.nonlinearity } });
          }
          continue;
        }
        if (family === 'relu' && SQUASHING.has(activation)) {
          seen.add(layer.index);
          context.report({ messageId: init.nonlinearity ? 'nonlinearity' : 'heIntoSquashing', span: init.span ?? layer.calleeSpan, model: model.name, data: { ...data, declared: init.nonlinearity ?? 'relu' } });
        } else if (family === 'squashing' && RELU_FAMILY.has(activation) && depth >= Number(context.options.minDepth) && !init.nonlinearity) {
          seen.add(layer.index);
          context.report({ messageId: 'glorotIntoRelu', span: init.span ?? layer.calleeSpan, model: model.name, data });
        }
      }
    }
  },
});
