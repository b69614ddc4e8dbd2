import { defineRule } from '../types';

export const DL001 = defineRule({
  code: 'DL001',
  name: 'unused-suppression',
  category: 'meta',
  severity: 'info',
  frameworks: ['pytorch', 'keras', 'tfjs'],
  fixable: true,
  messages: {
    unusedCode: 'Suppression of {{code}} is unused: no {{code}} finding on this line.',
    unusedAll: 'Suppression is unused: no finding on this line.',
  },
  options: {},
  docs: {
    summary: 'Reports `deeplint: ignore[...]` comments that suppress nothing.',
    whatItDoes:
      'Checks every suppression comment after all other rules have run and reports each code it names that suppressed no finding.',
    whyBad:
      'A stale suppression hides the next real problem on that line and tells readers a pitfall exists where none does.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: 'import torch.nn as nn\n\nhead = nn.Linear(128, 10)  # deeplint: ignore[DL302]\n',
        correct: 'import torch.nn as nn\n\nhead = nn.Linear(128, 10)\n',
      },
    ],
    useInstead: 'Delete the suppression, or the stale codes in it.',
    fixSafety: 'Safe: removing a suppression that matches nothing changes no finding.',
    concepts: [],
  },
  // The runner reports this rule itself, since it needs every other rule's findings first.
  check() {},
});
