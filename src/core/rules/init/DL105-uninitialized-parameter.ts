import { defineRule } from '../types';

export const DL105 = defineRule({
  code: 'DL105',
  name: 'uninitialized-parameter',
  category: 'init',
  severity: 'error',
  frameworks: ['pytorch'],
  fixable: false,
  messages: {
    empty:
      '`{{name}}` is created with torch.empty and never initialised: it holds whatever was in memory (garbage, sometimes NaN). Initialise it (e.g. nn.init.kaiming_uniform_) in __init__ or reset_parameters.',
  },
  options: {},
  docs: {
    summary: 'Reports `nn.Parameter(torch.empty(...))` tensors that no init call ever writes.',
    whatItDoes:
      'Finds parameters created from `torch.empty` (or the legacy `torch.Tensor(n, m)`) and checks that an init call (`nn.init.*`, `.normal_()`, `.uniform_()`...) writes them in `__init__`, in a method it calls, or in `reset_parameters`.',
    whyBad:
      '`torch.empty` does not set any value: the tensor holds leftover memory, which differs between runs and machines and can contain huge values or NaN. Training starts from garbage or fails outright.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch
import torch.nn as nn

class Scale(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(dim, dim))
`,
        correct: `import math
import torch
import torch.nn as nn

class Scale(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(dim, dim))
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
`,
      },
    ],
    useInstead: 'Initialise every `torch.empty` parameter, or create it initialised (`torch.zeros`, `torch.randn(...) * std`).',
    fixSafety: 'No automatic fix: the right init depends on how the parameter is used.',
    concepts: ['weight-initialization'],
  },
  check(context) {
    for (const model of context.program.models) {
      for (const parameter of model.parameters) {
        if (parameter.creator !== 'empty' || parameter.initialized) continue;
        context.report({ messageId: 'empty', span: parameter.span, model: model.name, data: { name: parameter.name } });
      }
    }
  },
});
