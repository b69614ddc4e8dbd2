// Turns per-layer statistics into a verdict, with thresholds the user can change.
import type { ActivationFn, Layer, Span } from '../ir/types';

export type VerdictStatus = 'healthy' | 'vanishing' | 'exploding' | 'dead' | 'saturated';
export type LayerStatus = 'ok' | VerdictStatus;

export interface VerdictThresholds {
  /** Vanishing when the first layer's weight-gradient norm is below this fraction of the last layer's. */
  vanishingRatio: number;
  /** Also vanishing when, over at least `minLayersForDecay` layers, gradients fall monotonically toward the input by this factor per layer or less. */
  decayPerLayer: number;
  minLayersForDecay: number;
  /**
   * Vanishing through time when, over at least `minLayersForDecay` steps of a recurrent layer, the gradient reaching
   * its first step is below `vanishingRatio` of the last step's and falls by this factor per step or less.
   */
  decayPerStep: number;
  /** Exploding when the first/last gradient ratio, the last/first activation std ratio or any ‖dL/dW‖/‖W‖ exceeds this. */
  explodingRatio: number;
  /** Dead when more than this fraction of a ReLU layer's units output zero for the whole batch. */
  deadFraction: number;
  /** Saturated when more than this fraction of sigmoid/tanh outputs sit in the flat tails. */
  saturatedFraction: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = {
  vanishingRatio: 1e-3,
  decayPerLayer: 0.5,
  minLayersForDecay: 5,
  // Framework defaults measured 0.43 (a PyTorch tanh RNN of 32 units) to 0.82 per step over 16 and 40 steps, so
  // 0.4 leaves them alone; recurrent weights of U(±0.05) measured 0.11 to 0.26.
  decayPerStep: 0.4,
  explodingRatio: 1e3,
  deadFraction: 0.5,
  saturatedFraction: 0.5,
};

export interface LayerStats {
  index: number;
  kind: Layer['kind'];
  name?: string;
  span: Span;
  activation: ActivationFn | null;
  weightNorm: number;
  gradNorm: number;
  /** Null for layers without a bias. */
  biasGradNorm: number | null;
  gradToWeight: number;
  actMean: number;
  actStd: number;
  preActStd: number;
  /** Fraction of ReLU outputs that are zero (null for other activations). */
  zeroFraction: number | null;
  /** Fraction of ReLU units inactive for the whole batch (null for other activations). */
  deadFraction: number | null;
  /** Fraction of sigmoid/tanh outputs in the tails (null for other activations). */
  saturatedFraction: number | null;
  /** ‖dL/dh‖ for the layer's output h. */
  gradOutNorm: number;
  /** Each weight tensor of a layer that has several (recurrent, attention), by its framework name. */
  tensors?: { name: string; role: 'weight' | 'bias'; norm: number; gradNorm: number }[];
  /** Recurrent layers: ‖∂L/∂h_t‖ for the forward hidden state at each step, first step first. */
  stepGradNorms?: number[];
  status: LayerStatus;
}

export interface Verdict {
  status: VerdictStatus;
  explanation: string;
  /** The concept notes the explanation points to. */
  notes: string[];
  /** Indices (into Model.layers) of the layers at fault. */
  layers: number[];
}

const NOTE_IDS = {
  gradients: 'vanishing-exploding-gradients',
  init: 'weight-initialization',
  activations: 'activation-functions',
} as const;

function label(layer: LayerStats): string {
  return layer.name ? `'${layer.name}'` : `layer ${layer.index}`;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}

function see(...notes: string[]): string {
  return ` See notes: ${notes.join(', ')}.`;
}

function isFiniteLayer(layer: LayerStats): boolean {
  return [layer.weightNorm, layer.gradNorm, layer.actMean, layer.actStd, layer.preActStd, layer.gradOutNorm].every(Number.isFinite);
}

/** Fitted per-layer factor by which gradient norms shrink toward the input (least squares on log norms). */
function decayFactor(gradNorms: number[]): number {
  const n = gradNorms.length;
  const logs = gradNorms.map((g) => Math.log(Math.max(g, Number.MIN_VALUE)));
  const meanX = (n - 1) / 2;
  const meanY = logs.reduce((sum, v) => sum + v, 0) / n;
  let numerator = 0;
  let denominator = 0;
  logs.forEach((y, x) => {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  });
  return Math.exp(-numerator / denominator);
}

/** Sets each layer's status and returns the model verdict. `loss` non-finite counts as exploding. */
export function judge(layers: LayerStats[], loss: number, thresholds: VerdictThresholds = DEFAULT_THRESHOLDS): Verdict {
  const t = thresholds;
  for (const layer of layers) layer.status = 'ok';
  const nonFinite = layers.filter((layer) => !isFiniteLayer(layer));
  if (nonFinite.length > 0 || !Number.isFinite(loss)) {
    for (const layer of nonFinite) layer.status = 'exploding';
    const where = nonFinite.length > 0 ? ` from ${label(nonFinite[nonFinite.length - 1]!)}` : ' in the loss';
    return {
      status: 'exploding',
      explanation: `Values overflow to infinity/NaN${where} at initialization: the signal grows layer after layer until it leaves the float range; scale the initial weights down.${see(NOTE_IDS.gradients, NOTE_IDS.init)}`,
      notes: [NOTE_IDS.gradients, NOTE_IDS.init],
      layers: nonFinite.map((layer) => layer.index),
    };
  }
  const first = layers[0]!;
  const last = layers[layers.length - 1]!;
  const gradRatio = first.gradNorm / last.gradNorm;
  const growth = last.actStd / first.actStd;
  const steepest = layers.reduce((best, layer) => (layer.gradToWeight > best.gradToWeight ? layer : best), first);
  if (layers.length > 1 && (gradRatio > t.explodingRatio || growth > t.explodingRatio)) {
    const grown = layers.filter((layer) => layer.gradNorm > t.explodingRatio * last.gradNorm || layer.actStd > t.explodingRatio * first.actStd);
    for (const layer of grown) layer.status = 'exploding';
    const what = gradRatio > t.explodingRatio
      ? `the gradient at ${label(first)} is ${formatNumber(gradRatio)}× the one at ${label(last)}`
      : `activations grow ${formatNumber(growth)}× from ${label(first)} to ${label(last)}`;
    return {
      status: 'exploding',
      explanation: `Exploding at initialization: ${what}; the initial weights are too large for this depth.${see(NOTE_IDS.gradients, NOTE_IDS.init)}`,
      notes: [NOTE_IDS.gradients, NOTE_IDS.init],
      layers: grown.map((layer) => layer.index),
    };
  }
  if (steepest.gradToWeight > t.explodingRatio) {
    steepest.status = 'exploding';
    return {
      status: 'exploding',
      explanation: `Exploding at initialization: ‖dL/dW‖ is ${formatNumber(steepest.gradToWeight)}× ‖W‖ at ${label(steepest)}, so one step would wipe out the weights.${see(NOTE_IDS.gradients, NOTE_IDS.init)}`,
      notes: [NOTE_IDS.gradients, NOTE_IDS.init],
      layers: [steepest.index],
    };
  }
  const norms = layers.map((layer) => layer.gradNorm);
  const monotone = norms.every((g, i) => i === 0 || norms[i - 1]! <= g);
  const factor = layers.length >= t.minLayersForDecay ? decayFactor(norms) : 1;
  if (layers.length > 1 && (gradRatio < t.vanishingRatio || (monotone && factor <= t.decayPerLayer))) {
    const faded = layers.filter((layer) => layer.gradNorm < t.vanishingRatio * last.gradNorm);
    for (const layer of faded.length > 0 ? faded : [first]) layer.status = 'vanishing';
    const saturating = layers.some((layer) => layer.activation === 'sigmoid' || layer.activation === 'tanh');
    const cause = saturating ? 'saturating activations and the initialization shrink it at every layer' : 'the initialization shrinks it at every layer';
    return {
      status: 'vanishing',
      explanation: `Vanishing gradients: the gradient at ${label(first)} is ${formatNumber(gradRatio)}× the one at ${label(last)} (about ${formatNumber(factor)}× per layer); ${cause}.${see(NOTE_IDS.gradients, NOTE_IDS.init, NOTE_IDS.activations)}`,
      notes: [NOTE_IDS.gradients, NOTE_IDS.init, NOTE_IDS.activations],
      layers: (faded.length > 0 ? faded : [first]).map((layer) => layer.index),
    };
  }
  const throughTime = layers
    .filter((layer) => (layer.stepGradNorms?.length ?? 0) >= t.minLayersForDecay && layer.stepGradNorms![layer.stepGradNorms!.length - 1]! > 0)
    .map((layer) => {
      const steps = layer.stepGradNorms!;
      return { layer, steps: steps.length, ratio: steps[0]! / steps[steps.length - 1]!, factor: decayFactor(steps) };
    })
    .filter(({ ratio, factor }) => ratio < t.vanishingRatio && factor <= t.decayPerStep);
  if (throughTime.length > 0) {
    for (const { layer } of throughTime) layer.status = 'vanishing';
    const worst = throughTime.reduce((best, item) => (item.ratio < best.ratio ? item : best));
    return {
      status: 'vanishing',
      explanation: `Vanishing through time: in ${label(worst.layer)} the gradient reaching the first of ${worst.steps} steps is ${formatNumber(worst.ratio)}× the one at the last (about ${formatNumber(worst.factor)}× per step); each step back multiplies it by the recurrent weights and the derivatives of the activations and gates, so the early inputs hardly train.${see(NOTE_IDS.gradients, NOTE_IDS.init, NOTE_IDS.activations)}`,
      notes: [NOTE_IDS.gradients, NOTE_IDS.init, NOTE_IDS.activations],
      layers: throughTime.map(({ layer }) => layer.index),
    };
  }
  const dead = layers.filter((layer) => layer.deadFraction !== null && layer.deadFraction > t.deadFraction);
  if (dead.length > 0) {
    for (const layer of dead) layer.status = 'dead';
    const worst = dead.reduce((best, layer) => (layer.deadFraction! > best.deadFraction! ? layer : best));
    return {
      status: 'dead',
      explanation: `Dead ReLUs: ${formatNumber(100 * worst.deadFraction!)}% of the units of ${label(worst)} output zero for the whole batch, so they get no gradient.${see(NOTE_IDS.activations, NOTE_IDS.init)}`,
      notes: [NOTE_IDS.activations, NOTE_IDS.init],
      layers: dead.map((layer) => layer.index),
    };
  }
  const saturated = layers.filter((layer) => layer.saturatedFraction !== null && layer.saturatedFraction > t.saturatedFraction);
  if (saturated.length > 0) {
    for (const layer of saturated) layer.status = 'saturated';
    const worst = saturated.reduce((best, layer) => (layer.saturatedFraction! > best.saturatedFraction! ? layer : best));
    return {
      status: 'saturated',
      explanation: `Saturated ${worst.activation}: ${formatNumber(100 * worst.saturatedFraction!)}% of the outputs of ${label(worst)} sit in the flat tails, where the derivative is nearly zero.${see(NOTE_IDS.activations, NOTE_IDS.init)}`,
      notes: [NOTE_IDS.activations, NOTE_IDS.init],
      layers: saturated.map((layer) => layer.index),
    };
  }
  return {
    status: 'healthy',
    explanation: `Healthy at initialization: gradient norms stay within ${formatNumber(Math.max(gradRatio, 1 / gradRatio))}× of each other from ${label(first)} to ${label(last)}.${see(NOTE_IDS.gradients)}`,
    notes: [NOTE_IDS.gradients],
    layers: [],
  };
}
