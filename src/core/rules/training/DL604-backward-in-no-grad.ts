import { defineRule } from '../types';

export const DL604 = defineRule({
  code: 'DL604',
  name: 'backward-in-no-grad',
  category: 'training',
  severity: 'error',
  frameworks: ['pytorch'],
  fixable: false,
  messages: {
    backward:
      'backward() inside {{kind}}: nothing computed in this block is tracked by autograd, so backward raises "element 0 of tensors does not require grad" (or trains nothing). Move the forward pass and backward() out of the block.',
  },
  options: {},
  docs: {
    summary: 'Reports `.backward()` called inside `torch.no_grad()` or `torch.inference_mode()`.',
    whatItDoes:
      'Finds `.backward()` calls lexically inside a no_grad/inference_mode `with` block or in a function decorated with them. Inside no_grad, a `with torch.enable_grad():` (or `set_grad_enabled(True)`) block turns gradients back on, as in an adversarial step, and its calls are not reported; inference mode cannot be lifted that way.',
    whyBad:
      'Inside no_grad no computation graph is recorded. Calling backward on a result computed there fails with a runtime error, or, when the loss was computed before the block, silently computes gradients for a different graph than intended.',
    examples: [
      {
        framework: 'pytorch',
        incorrect: `import torch

with torch.no_grad():
    loss = loss_fn(model(x), y)
    loss.backward()
`,
        correct: `import torch

loss = loss_fn(model(x), y)
loss.backward()
with torch.no_grad():
    val_loss = loss_fn(model(x_val), y_val)
`,
      },
    ],
    useInstead: 'Compute the training loss and call backward() outside no_grad; use no_grad only for evaluation and manual parameter updates.',
    fixSafety: 'No automatic fix.',
    concepts: ['backpropagation', 'train-eval-mode'],
  },
  check(context) {
    // Nested regions hold the same call: it is reported once, by the outermost region (regions come in source order).
    const reported = new Set<number>();
    for (const region of context.program.noGrad) {
      for (const span of region.backward) {
        if (reported.has(span.start)) continue;
        reported.add(span.start);
        context.report({ messageId: 'backward', span, data: { kind: `torch.${region.kind}()` } });
      }
    }
  },
});
