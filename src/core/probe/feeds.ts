// The probe's inputs: every parameter sampled from its initialization and a random data batch, all from
// one seed (each tensor from its own stream, so the same seed gives the same arrays in any order).
import type { ProbeGraph } from './build';
import { Rng, sampleInit, type FloatArray } from './init';

export type Feeds = Map<string, { data: FloatArray; dims: number[] }>;

function newArray(dtype: 'float32' | 'float64', length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** Samples every parameter and the data batch of a graph. */
export function sampleFeeds(plan: Pick<ProbeGraph, 'dtype' | 'parameters' | 'data'>, seed: number): Feeds {
  const feeds: Feeds = new Map();
  for (const parameter of plan.parameters) {
    const data = newArray(plan.dtype, parameter.shape.reduce((p, d) => p * d, 1));
    sampleInit(parameter.dist, parameter, parameter.matrix, new Rng(seed, parameter.name), data);
    for (const range of parameter.constantRanges ?? []) data.fill(range.value, range.start, range.end);
    feeds.set(parameter.name, { data, dims: parameter.shape });
  }
  for (const item of plan.data) {
    const rng = new Rng(seed, item.name);
    const data = newArray(plan.dtype, item.shape.reduce((p, d) => p * d, 1));
    if (item.kind === 'normal') {
      rng.fillNormal(data, 0, 1, false);
    } else if (item.kind === 'binary') {
      for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < 0.5 ? 0 : 1;
    } else if (item.kind === 'tokens') {
      // Uniform over the vocabulary without the excluded id: draw from one fewer and step over it.
      const { vocabulary, excluded } = item.tokens!;
      const choices = excluded === null ? vocabulary : vocabulary - 1;
      for (let i = 0; i < data.length; i++) {
        const id = Math.floor(rng.uniform() * choices);
        data[i] = excluded !== null && id >= excluded ? id + 1 : id;
      }
    } else {
      const classes = item.shape[1]!;
      for (let row = 0; row < item.shape[0]!; row++) data[row * classes + Math.floor(rng.uniform() * classes)] = 1;
    }
    feeds.set(item.name, { data, dims: item.shape });
  }
  return feeds;
}
