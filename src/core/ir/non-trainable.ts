// Weights that a model holds but gradients do not train. Parameter counts in the IR are trainable ones: PyTorch's
// parameters() that require a gradient (its BatchNorm running statistics are buffers, not parameters). Keras's
// summary and tfjs's countParams() also count BatchNormalization's moving mean and variance and the weights of frozen
// layers, as PyTorch's parameters() counts those frozen with requires_grad=False: this is that difference, shown
// beside the count so that the two can be compared.
import type { Layer, Model } from './types';

/** A layer's weights that no gradient trains (see Layer.nonTrainable). */
export function nonTrainableOf(layer: Layer): number | null {
  return layer.nonTrainable ?? 0;
}

/**
 * A model's non-trainable weights, its submodels' among them (looked up by name in `models`); undefined when it
 * holds none, null when how many is unknown.
 */
export function nonTrainableCount(model: Model, models: readonly Model[], depth = 0): number | null | undefined {
  if (depth > 8) return undefined;
  let total: number | null = 0;
  let holds = false;
  for (const parameter of model.parameters) {
    if (!parameter.frozen) continue;
    holds = true;
    const size = parameter.shape && parameter.shape.every((dim) => dim !== null) ? (parameter.shape as number[]).reduce((a, b) => a * b, 1) : null;
    total = total === null || size === null ? null : total + size;
  }
  for (const layer of model.layers) {
    const child = layer.ref === undefined ? undefined : models.find((candidate) => candidate.name === layer.ref && candidate !== model);
    const inChild = child ? nonTrainableCount(child, models, depth + 1) : undefined;
    // A layer class of the file built with arguments may be of another size than its defaults give.
    const inside = inChild !== undefined && layer.args.length > 0 ? null : inChild;
    // A submodule frozen whole: its trainable weights, counted on the layer, and those its class does not train.
    const frozen = layer.frozen && child ? (layer.nonTrainable === undefined || layer.nonTrainable === null || inside === null ? null : layer.nonTrainable + (inside ?? 0)) : undefined;
    const own = frozen !== undefined ? frozen : child ? inside : nonTrainableOf(layer);
    if (own === undefined || own === 0) continue;
    holds = true;
    const repeat = layer.repeat === undefined ? 1 : layer.repeat;
    total = total === null || own === null || repeat === null ? null : total + own * repeat;
  }
  return holds ? total : undefined;
}
