// Runs probe graphs in-process with onnxruntime-node and checks gradients by central finite differences.
import * as assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, type Dtype } from '../../../src/core/probe/graph';
import { Rng } from '../../../src/core/probe/init';
import { encodeModel } from '../../../src/core/probe/proto';
import { backward } from '../../../src/core/probe/vjp';

export type Arrays = Record<string, Float64Array>;

export async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
}

export async function run(s: ort.InferenceSession, dtype: Dtype, arrays: Arrays, shapes: Record<string, number[]>): Promise<Record<string, Float64Array>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, data] of Object.entries(arrays)) {
    feeds[name] = new ort.Tensor(dtype, dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data), shapes[name]!);
  }
  const out = await s.run(feeds);
  return Object.fromEntries(Object.entries(out).map(([name, tensor]) => [name, Float64Array.from(tensor.data as ArrayLike<number>)]));
}

export function randomArray(seed: string, length: number, low = -1, high = 1): Float64Array {
  const rng = new Rng(7, seed);
  return Float64Array.from({ length }, () => low + (high - low) * rng.uniform());
}

export interface OpCase {
  /** Input names and shapes, with the range their random values are drawn from. */
  inputs: { name: string; shape: number[]; low?: number; high?: number }[];
  /** Builds the forward op(s) from the inputs and returns the output. */
  forward: (b: GraphBuilder, inputs: string[]) => string;
  dtype?: Dtype;
  /** Allowed |analytic − numeric| relative to max(1, |numeric|). */
  tolerance?: number;
  step?: number;
}

/**
 * Checks the emitted backward pass of `forward` for the scalar L = Σ y·r (r a fixed random cotangent)
 * against central differences in every coordinate of every input.
 */
export async function checkVjp(c: OpCase): Promise<void> {
  const dtype = c.dtype ?? 'float64';
  const b = new GraphBuilder(dtype);
  const names = c.inputs.map((input) => b.input(input.name, input.shape));
  const y = c.forward(b, names);
  const yShape = b.shape(y);
  const cotangent = b.input('cotangent', yShape);
  const loss = b.reduce('ReduceSum', b.mul(y, cotangent), yShape.map((_, i) => i), false);
  const gradients = backward(b, loss, names);
  const outputs = [loss, ...names.map((name) => {
    const grad = gradients.get(name);
    assert.ok(grad, `no gradient for ${name}`);
    return b.one('Identity', [grad]);
  })];
  b.recording = false;
  outputs.forEach((name) => b.output(name));
  const s = await session(encodeModel(b.graph('vjp_test')));
  const shapes: Record<string, number[]> = { cotangent: yShape };
  const arrays: Arrays = { cotangent: randomArray('cotangent', yShape.reduce((p, d) => p * d, 1)) };
  for (const input of c.inputs) {
    shapes[input.name] = input.shape;
    arrays[input.name] = randomArray(input.name, input.shape.reduce((p, d) => p * d, 1), input.low ?? -1, input.high ?? 1);
  }
  const base = await run(s, dtype, arrays, shapes);
  const step = c.step ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  const tolerance = c.tolerance ?? (dtype === 'float64' ? 1e-7 : 2e-3);
  for (const [k, input] of c.inputs.entries()) {
    const analytic = base[outputs[k + 1]!]!;
    const values = arrays[input.name]!;
    for (let i = 0; i < values.length; i++) {
      const original = values[i]!;
      values[i] = original + step;
      const plus = (await run(s, dtype, arrays, shapes))[loss]![0]!;
      values[i] = original - step;
      const minus = (await run(s, dtype, arrays, shapes))[loss]![0]!;
      values[i] = original;
      const numeric = (plus - minus) / (2 * step);
      const error = Math.abs(analytic[i]! - numeric) / Math.max(1, Math.abs(numeric));
      assert.ok(error <= tolerance, `d/d${input.name}[${i}]: analytic ${analytic[i]} vs numeric ${numeric} (error ${error})`);
    }
  }
}
