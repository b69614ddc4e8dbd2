// Whole-model helpers: build a probe graph that also outputs every parameter gradient, and check those
// gradients against finite differences of the loss the graph computes.
import * as assert from 'node:assert/strict';
import type { LossInfo, Model } from '../../../src/core/ir/types';
import { buildProbeGraph, type ProbeGraph } from '../../../src/core/probe/build';
import { sampleFeeds } from '../../../src/core/probe/feeds';
import { Rng } from '../../../src/core/probe/init';
import { run, session, type Arrays } from './harness';

export const SPAN = { start: 0, end: 0 };

export function lossInfo(kind: LossInfo['kind'], fromLogits: boolean | null = null): LossInfo {
  return { kind, ctor: kind, span: SPAN, fromLogits };
}

export interface GradientRun {
  graph: ProbeGraph;
  feeds: Arrays;
  shapes: Record<string, number[]>;
  /** Gradient of each parameter by name. */
  gradients: Record<string, Float64Array>;
  loss: number;
  output: Float64Array;
  rerun: (feeds: Arrays) => Promise<number>;
}

export interface GradientOptions {
  loss?: LossInfo;
  batch?: number;
  dtype?: 'float32' | 'float64';
  seed?: number;
  sequenceLength?: number;
}

export async function gradientsOf(model: Model, options: GradientOptions = {}): Promise<GradientRun> {
  const graph = buildProbeGraph(model, {
    batch: options.batch ?? 4,
    dtype: options.dtype ?? 'float64',
    loss: options.loss ?? null,
    exposeGradients: true,
    ...(options.sequenceLength ? { sequenceLength: options.sequenceLength } : {}),
  });
  const s = await session(graph.bytes);
  const feeds: Arrays = {};
  const shapes: Record<string, number[]> = {};
  for (const [name, { data, dims }] of sampleFeeds(graph, options.seed ?? 1)) {
    feeds[name] = Float64Array.from(data);
    shapes[name] = dims;
  }
  const out = await run(s, graph.dtype, feeds, shapes);
  const stats = out[graph.outputs[0]!]!;
  const gradients: Record<string, Float64Array> = {};
  graph.parameters.forEach((parameter, i) => {
    gradients[parameter.name] = out[graph.outputs[i + 1]!]!;
  });
  const rerun = async (changed: Arrays) => {
    const again = await run(s, graph.dtype, changed, shapes);
    return again[graph.outputs[0]!]![stats.length - 1]!;
  };
  return { graph, feeds, shapes, gradients, loss: stats[stats.length - 1]!, output: out[graph.outputs[graph.outputs.length - 1]!]!, rerun };
}

/** Checks `samples` random coordinates of every parameter gradient against central differences of the loss. */
export async function checkModelGradients(model: Model, options: GradientOptions & { samples?: number; tolerance?: number; step?: number } = {}): Promise<void> {
  const dtype = options.dtype ?? 'float64';
  const result = await gradientsOf(model, options);
  assert.ok(Number.isFinite(result.loss), `loss ${result.loss}`);
  const step = options.step ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  const tolerance = options.tolerance ?? (dtype === 'float64' ? 1e-6 : 2e-2);
  const rng = new Rng(3, 'coordinates');
  for (const parameter of result.graph.parameters) {
    const values = result.feeds[parameter.name]!;
    const analytic = result.gradients[parameter.name]!;
    const scale = Math.max(...Array.from(analytic, Math.abs), 1e-12);
    for (let k = 0; k < (options.samples ?? 4); k++) {
      const i = Math.floor(rng.uniform() * values.length);
      const original = values[i]!;
      values[i] = original + step;
      const plus = await result.rerun(result.feeds);
      values[i] = original - step;
      const minus = await result.rerun(result.feeds);
      values[i] = original;
      const numeric = (plus - minus) / (2 * step);
      // Relative to the parameter's largest gradient entry, so near-zero entries do not demand impossible precision.
      const error = Math.abs(analytic[i]! - numeric) / Math.max(scale, 1e-8);
      assert.ok(error <= tolerance, `${parameter.name}[${i}]: analytic ${analytic[i]} vs numeric ${numeric} (error ${error}, scale ${scale})`);
    }
  }
}
