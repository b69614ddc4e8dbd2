// Seeded sampling of initial weights, exactly per the IR's InitDist, so the same seed gives the same probe.
import type { Framework, InitDist } from '../ir/types';

/** Keras/TF.js truncate normals at two standard deviations; this is the std of the unit normal so truncated. */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

export type FloatArray = Float32Array | Float64Array;

/** xoshiro128** seeded through splitmix32 from a string: fast, and independent streams per tensor name. */
export class Rng {
  /** The four 32-bit state words, in an Int32Array so updates never box numbers on the heap. */
  private readonly state = new Int32Array(4);
  private spare: number | null = null;

  constructor(seed: number, stream: string) {
    let h = (seed ^ 0x9e3779b9) >>> 0;
    for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
    const next = () => {
      h = (h + 0x9e3779b9) >>> 0;
      let z = h;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.state[0] = next();
    this.state[1] = next();
    this.state[2] = next();
    this.state[3] = next() | 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Standard normal by the polar method, keeping the second value of each pair. */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * factor;
        return u * factor;
      }
    }
  }

  /**
   * Fills `out` with mean + std·z, z standard normal, or z conditioned on |z| ≤ 2 when `truncated`
   * (resampled, as TensorFlow's truncated normal does). Marsaglia–Tsang ziggurat with 128 layers: one
   * 32-bit draw per value almost always (the 7 layer bits and the 25 magnitude bits do not overlap),
   * the exact normal density in the wedges and the tail. Large models need tens of millions of draws.
   */
  fillNormal(out: FloatArray, mean: number, std: number, truncated: boolean): void {
    const { k, w, f } = ZIGGURAT;
    // The generator's state lives in locals in the hot loop (V8 keeps them in registers) and is stored
    // back around the rare slow path, which draws through the methods.
    const state = this.state;
    let s0 = state[0]!;
    let s1 = state[1]!;
    let s2 = state[2]!;
    let s3 = state[3]!;
    for (let i = 0; i < out.length; i++) {
      const bits = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const layer = bits & 127;
      const magnitude = bits >> 7;
      const z = magnitude * w[layer]!;
      if (Math.abs(magnitude) < k[layer]!) {
        if (truncated && Math.abs(z) > 2) i--;
        else out[i] = mean + std * z;
      } else if (layer !== 0) {
        // A wedge: accept under the exact density with a second draw, else draw this value again.
        const extra = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        const t2 = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t2;
        s3 = rotl(s3, 11);
        const u = extra * 2.3283064365386963e-10;
        if (f[layer]! + u * (f[layer - 1]! - f[layer]!) < Math.exp(-0.5 * z * z) && (!truncated || Math.abs(z) <= 2)) out[i] = mean + std * z;
        else i--;
      } else {
        state[0] = s0;
        state[1] = s1;
        state[2] = s2;
        state[3] = s3;
        out[i] = mean + std * this.slowNormal(layer, magnitude, truncated);
        s0 = state[0]!;
        s1 = state[1]!;
        s2 = state[2]!;
        s3 = state[3]!;
      }
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  }

  /**
   * Finishes a ziggurat draw in the base layer beyond the fast path: the tail beyond r (Marsaglia's
   * exponential rejection), or, when that value is rejected (wedge or truncation), fresh draws until one is accepted.
   */
  private slowNormal(firstLayer: number, firstMagnitude: number, truncated: boolean): number {
    const { k, w, f } = ZIGGURAT;
    let layer = firstLayer;
    let magnitude = firstMagnitude;
    for (;;) {
      let z: number | null = magnitude * w[layer]!;
      if (Math.abs(magnitude) >= k[layer]!) {
        if (layer === 0) {
          let tail: number;
          let y: number;
          do {
            tail = -Math.log(1 - this.uniform()) / ZIGGURAT_R;
            y = -Math.log(1 - this.uniform());
          } while (y + y < tail * tail);
          z = magnitude > 0 ? ZIGGURAT_R + tail : -ZIGGURAT_R - tail;
        } else if (f[layer]! + this.uniform() * (f[layer - 1]! - f[layer]!) >= Math.exp(-0.5 * z * z)) {
          z = null;
        }
      }
      if (z !== null && (!truncated || Math.abs(z) <= 2)) return z;
      const bits = this.nextUint32() | 0;
      layer = bits & 127;
      magnitude = bits >> 7;
    }
  }

  /** Fills `out` with U[low, high) draws (32-bit resolution). */
  fillUniform(out: FloatArray, low: number, high: number): void {
    const scale = (high - low) * 2.3283064365386963e-10;
    const state = this.state;
    let s0 = state[0]!;
    let s1 = state[1]!;
    let s2 = state[2]!;
    let s3 = state[3]!;
    for (let i = 0; i < out.length; i++) {
      const bits = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = low + bits * scale;
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
  }
}

/** Where the ziggurat's base layer meets the tail, for 128 layers of area 9.9125630353e-3 each. */
const ZIGGURAT_R = 3.442619855899;

/** Per layer: the magnitude bound for the fast path (k), the scale from 25-bit integers (w), and the density at the layer's edge (f). */
const ZIGGURAT = ((): { k: Float64Array; w: Float64Array; f: Float64Array } => {
  const area = 9.91256303526217e-3;
  const scale = 2 ** 24;
  const k = new Float64Array(128);
  const w = new Float64Array(128);
  const f = new Float64Array(128);
  let d = ZIGGURAT_R;
  let previous = d;
  const q = area / Math.exp(-0.5 * d * d);
  k[0] = (d / q) * scale;
  k[1] = 0;
  w[0] = q / scale;
  w[127] = d / scale;
  f[0] = 1;
  f[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(area / d + Math.exp(-0.5 * d * d)));
    k[i + 1] = (d / previous) * scale;
    previous = d;
    f[i] = Math.exp(-0.5 * d * d);
    w[i] = d / scale;
  }
  return { k, w, f };
})();

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** Fills `out` with a (rows × cols, row-major) semi-orthogonal matrix times `gain`, as orthogonal initializers do. */
function fillOrthogonal(out: FloatArray, rows: number, cols: number, gain: number, rng: Rng): void {
  const tall = Math.max(rows, cols);
  const narrow = Math.min(rows, cols);
  // Columns of a tall Gaussian matrix, orthonormalised by modified Gram–Schmidt (the Q of its QR with R's diagonal positive).
  const q = Array.from({ length: narrow }, () => Float64Array.from({ length: tall }, () => rng.normal()));
  for (let j = 0; j < narrow; j++) {
    const column = q[j]!;
    for (let k = 0; k < j; k++) {
      const previous = q[k]!;
      let dot = 0;
      for (let i = 0; i < tall; i++) dot += column[i]! * previous[i]!;
      for (let i = 0; i < tall; i++) column[i]! -= dot * previous[i]!;
    }
    let norm = 0;
    for (let i = 0; i < tall; i++) norm += column[i]! * column[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < tall; i++) column[i]! /= norm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
    }
  }
}

/**
 * Samples a tensor of `out.length` values from `dist`. `matrix` gives the (rows, cols) view used by
 * orthogonal initialization: rows index the fan-in side.
 */
export function sampleInit(dist: InitDist, fans: Fans, matrix: [number, number], rng: Rng, out: FloatArray): void {
  switch (dist.family) {
    case 'variance_scaling': {
      const fan = dist.mode === 'fan_in' ? fans.fanIn : dist.mode === 'fan_out' ? fans.fanOut : (fans.fanIn + fans.fanOut) / 2;
      const variance = dist.scale / Math.max(1, fan);
      if (dist.distribution === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        rng.fillUniform(out, -limit, limit);
      } else if (dist.distribution === 'normal') {
        rng.fillNormal(out, 0, Math.sqrt(variance), false);
      } else {
        rng.fillNormal(out, 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STD, true);
      }
      return;
    }
    case 'normal':
      rng.fillNormal(out, dist.mean, dist.std, dist.truncated === true);
      return;
    case 'uniform':
      rng.fillUniform(out, dist.low, dist.high);
      return;
    case 'constant':
      out.fill(dist.value);
      return;
    case 'orthogonal':
      fillOrthogonal(out, matrix[0], matrix[1], dist.gain, rng);
      return;
    case 'unknown':
      throw new Error('internal: unknown initialization reached the sampler');
  }
}

/** The framework's default weight initialization for layers the IR gives none. */
export function defaultWeightInit(framework: Framework): InitDist {
  return framework === 'pytorch'
    ? { family: 'variance_scaling', scale: 1 / 3, mode: 'fan_in', distribution: 'uniform' }
    : { family: 'variance_scaling', scale: 1, mode: 'fan_avg', distribution: 'uniform' };
}

/** The framework's default bias initialization: PyTorch's U(±1/√fan_in), zeros in Keras and TF.js. */
export function defaultBiasInit(framework: Framework, fanIn: number): InitDist {
  if (framework !== 'pytorch') return { family: 'constant', value: 0 };
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  return { family: 'uniform', low: -bound, high: bound };
}
