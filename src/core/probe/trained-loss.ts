// Which of a file's losses a probe of one model computes. Kept apart from the probe's graph builder, so that the
// editor's activation bundle can choose it without loading the builder.
import type { LossInfo, Model, Program } from '../ir/types';

/** The loss trained with this model: one naming it, else the file's only loss when it has one model. */
export function trainedLoss(program: Program, model: Model): LossInfo | null {
  // A per-output loss applies to one output of several; the probe follows the first output only.
  const whole = program.losses.filter((loss) => loss.output === undefined);
  const named = whole.find((loss) => loss.model === model.name);
  if (named) return named;
  return program.models.length === 1 && whole.length === 1 ? whole[0]! : null;
}
