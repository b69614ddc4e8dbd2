// Weights that a model holds but gradients do not train. Parameter counts in the IR are trainable ones, which is what
// PyTorch's parameters() gives (its BatchNorm running statistics are buffers). Keras's summary and tfjs's
// countParams() also count BatchNormalization's moving mean and variance and the weights of frozen layers: this is
// that difference, shown beside the count so that the two can be compared.
import type { Layer, Model } from './types';

/** A layer's weights that no gradient trains (see Layer.nonTrainable; only Keras and TF.js layers have any). */
export function nonTrainableOf(layer: Layer): number | null {
  return layer.nonTrainable ?? 0;
}

/**
 * A Keras or TF.js model's non-trainable weights, its submodels' among them (looked up by name in `models`);
 * undefined when it holds none, null when how many is unknown.
 */
export function nonTrainableCount(model: Model, models: readonly Model[], depth = 0): number | null | undefined {
  if (model.framework === 'pytorch' || depth > 8) return undefined;
  let total: number | null = 0;
  let holds = false;
  for (const layer of model.layers) {
    const child = layer.ref === undefined ? undefined : models.find((candidate) => candidate.name === layer.ref && candidate !== model);
    const inChild = child ? nonTrainableCount(child, models, depth + 1) : undefined;
    // A layer class of the file built with arguments may be of another size than its defaults give.
    const own = child ? (inChild !== undefined && layer.args.length > 0 ? null : inChild) : nonTrainableOf(layer);
    if (own === undefined || own === 0) continue;
    holds = true;
    const repeat = layer.repeat === undefined ? 1 : layer.repeat;
    total = total === null || own === null || repeat === null ? null : total + own * repeat;
  }
  return holds ? total : undefined;
}
