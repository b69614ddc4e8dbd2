import type { Span } from '../../ir/types';
import { defineRule } from '../types';

/** What a method call is made on: `optimizer` for `optimizer.zero_grad()`. */
function owner(text: string, span: Span): string {
  return /^([\w.]+)\s*\.\s*\w+\s*\(/.exec(text.slice(span.start, span.end))?.[1] ?? '';
}

export const DL601 = defineRule({
  code: 'DL601',
  name: 'missing-zero-grad',
  category: 'training',
  severity: 'warning',
  frameworks: ['pytorch'],
  fixable: false,
  messages: {
    missing:
      'This loop calls backward() and step() but never zero_grad(): PyTorch adds each backward pass onto the stored gradients, so every step uses the sum of all gradients so far. Call optimizer.zero_grad() each iteration.',
    clearedBeforeStep:
      '{{optimizer}}.zero_grad() runs after backward() and before {{optimizer}}.step(): it clears the gradients the step was to use, so the step does nothing and the model never learns. Clear the gradients before backward() (or after step()).',
  },
  options: {},
  docs: {
    summary: 'Reports training loops that never clear gradients, or clear them between backward() and step().',
    whatItDoes:
      'Finds loops that call `.backward()` and `optimizer.step()` but neither `zero_grad()` (on the optimizer or the model) nor `param.grad = None` (in the loop or in a function of the file it calls), unless gradient accumulation is visible (a step guarded by a modulo test, the loss divided by the number of micro-steps, or backward in an inner loop). Also finds `opt.zero_grad()` written after a backward() and before `opt.step()` of the same optimizer with no backward() between them.',
    whyBad:
      '`.grad` accumulates across backward calls by design. Without clearing, the update at step t uses the sum of the gradients of steps 1..t: the effective learning rate grows without bound and training diverges or oscillates.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `for x, y in loader:
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
`,
        correct: `for x, y in loader:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
`,
      },
    ],
    useInstead: '`optimizer.zero_grad(set_to_none=True)` at the start (or end) of every iteration; for gradient accumulation, clear after each optimizer step.',
    fixSafety: 'No automatic fix: where to clear depends on whether gradients are meant to accumulate.',
    concepts: ['zero-grad', 'backpropagation', 'optimizers'],
  },
  check(context) {
    for (const loop of context.program.loops) {
      if (loop.kind === 'fit' || loop.backward.length === 0 || loop.step.length === 0) continue;
      if (loop.zeroGrad.length === 0 && !loop.accumulation) {
        context.report({ messageId: 'missing', span: loop.headerSpan });
        continue;
      }
      for (const step of loop.step) {
        const name = owner(context.text, step);
        const before = loop.backward.filter((backward) => backward.end <= step.start);
        const lastBackward = before[before.length - 1];
        // Of the same optimizer, between the last backward before the step and the step itself.
        const cleared = lastBackward && name ? loop.zeroGrad.find((zero) => zero.start >= lastBackward.end && zero.end <= step.start && owner(context.text, zero) === name) : undefined;
        if (cleared) context.report({ messageId: 'clearedBeforeStep', span: cleared, data: { optimizer: name } });
      }
    }
  },
});
