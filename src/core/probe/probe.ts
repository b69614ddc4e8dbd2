// The gradient-health probe end to end: graph, memory check, seeded weights and batch, one run, verdict.
import { performance } from 'node:perf_hooks';
import type { LossInfo, Model } from '../ir/types';
import { buildProbeGraph, STAT_NAMES, type LossKind, type ProbeGraph } from './build';
import { ProbeRefusal } from './errors';
import { sampleHere, sampleInParallel } from './sampler';
import { DEFAULT_LOADERS, openSession, type Device, type OrtTensor, type RuntimeLoaders } from './runtime';
import { DEFAULT_THRESHOLDS, judge, type LayerStats, type Verdict, type VerdictThresholds } from './verdict';

export interface ProbeOptions {
  batch?: number;
  seed?: number;
  device?: Device;
  /** Per-sample input shape; overrides the model's. */
  inputShape?: number[];
  /** Steps of a sequence input (token ids, recurrent or attention layers first) when `inputShape` is not given. */
  sequenceLength?: number;
  loss?: LossInfo | null;
  /** Refuse probes whose tensors would exceed this many bytes (default 2 GB). */
  memoryBudget?: number;
  thresholds?: Partial<VerdictThresholds>;
  dtype?: 'float32' | 'float64';
  /** Replaces how onnxruntime is loaded (tests force failures with it). */
  loaders?: RuntimeLoaders;
  onProgress?: (stage: ProbeStage) => void;
  /** Sample weights on a second thread while the session is created (default true). */
  parallelSampling?: boolean;
}

export type ProbeStage = 'building' | 'sampling' | 'session' | 'running';

export interface ProbeResult {
  model: string;
  framework: Model['framework'];
  device: string;
  /** Why the device differs from the requested one. */
  fallback?: string;
  batch: number;
  seed: number;
  dtype: 'float32' | 'float64';
  inputShape: number[];
  loss: { kind: LossKind; source: 'model' | 'default'; value: number; note?: string };
  layers: LayerStats[];
  verdict: Verdict;
  /**
   * Wall times. Sampling runs on its own thread while the session is created, so `samplingMs` overlaps
   * `sessionMs`; `samplingWaitMs` is how long the run then waited for the weights.
   */
  timings: { buildMs: number; samplingMs: number; sessionMs: number; samplingWaitMs: number; runMs: number; totalMs: number; sessionCached: boolean };
  notes: string[];
}

export const DEFAULT_MEMORY_BUDGET = 2 * 1024 ** 3;

export { ProbeRefusal };

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(0)} MB`;
}

/** Refuses, before any tensor is allocated, a graph whose tensors would not fit in the budget. */
export function checkMemory(model: Model, graph: ProbeGraph, budget: number): void {
  if (graph.memory.bytes <= budget) return;
  const biggest = graph.memory.biggestLayer;
  const layer = biggest ? model.layers.find((candidate) => candidate.index === biggest.index) : undefined;
  const named = layer ? `; the biggest layer is ${layer.name ? `'${layer.name}' ` : ''}${layer.ctor} (layer ${layer.index}, ${formatBytes(biggest!.bytes)})` : '';
  throw new ProbeRefusal(
    `probe of '${model.name}' would need about ${formatBytes(graph.memory.bytes)}, over the ${formatBytes(budget)} memory budget${named}; lower --batch or raise the budget`,
  );
}

function toNumbers(tensor: OrtTensor | undefined): number[] {
  if (!tensor) throw new Error('internal: the probe graph returned no statistics');
  return Array.from(tensor.data as ArrayLike<number>);
}

/** Reads the statistics tensor back into per-layer records. */
export function readStats(graph: ProbeGraph, stats: number[]): { layers: LayerStats[]; loss: number } {
  const width = STAT_NAMES.length;
  // After the layer statistics come, layer by layer, the tensors' (norm, gradient norm) pairs and the per-step gradient norms.
  let next = graph.layers.length * width;
  const take = (count: number) => stats.slice(next, (next += count));
  const layers = graph.layers.map((layer, i): LayerStats => {
    const tensors = layer.tensors?.map(({ label, role }) => {
      const [norm, gradNorm] = take(2) as [number, number];
      return { name: label, role, norm, gradNorm };
    });
    const steps = layer.steps ? take(layer.steps) : undefined;
    const at = (name: (typeof STAT_NAMES)[number]) => stats[i * width + STAT_NAMES.indexOf(name)]!;
    const relu = layer.activation === 'relu' || layer.activation === 'relu6' || layer.activation === 'leaky_relu';
    const saturating = layer.activation === 'sigmoid' || layer.activation === 'tanh';
    return {
      index: layer.index,
      kind: layer.kind,
      ...(layer.name ? { name: layer.name } : {}),
      span: layer.span,
      activation: layer.activation,
      weightNorm: at('weightNorm'),
      gradNorm: at('gradNorm'),
      biasGradNorm: layer.hasBias ? at('biasGradNorm') : null,
      gradToWeight: at('gradNorm') / at('weightNorm'),
      actMean: at('actMean'),
      actStd: at('actStd'),
      preActStd: at('preActStd'),
      zeroFraction: relu ? 1 - at('activeFraction') : null,
      deadFraction: relu ? 1 - at('aliveUnitFraction') : null,
      saturatedFraction: saturating ? at('saturatedFraction') : null,
      gradOutNorm: at('gradOutNorm'),
      ...(tensors ? { tensors } : {}),
      ...(steps ? { stepGradNorms: steps } : {}),
      status: 'ok',
    };
  });
  return { layers, loss: stats[stats.length - 1]! };
}

/** Runs the probe in this thread. Throws ProbeGraphError/ProbeRefusal/ProbeRuntimeError with a clear message. */
export async function probeModel(model: Model, options: ProbeOptions = {}): Promise<ProbeResult> {
  const start = performance.now();
  const seed = options.seed ?? 0;
  options.onProgress?.('building');
  const graph = buildProbeGraph(model, { batch: options.batch, dtype: options.dtype, inputShape: options.inputShape, sequenceLength: options.sequenceLength, loss: options.loss });
  checkMemory(model, graph, options.memoryBudget ?? DEFAULT_MEMORY_BUDGET);
  const built = performance.now();
  options.onProgress?.('sampling');
  // Session creation blocks this thread, so the weights are sampled on another meanwhile.
  const sampling = options.parallelSampling === false ? Promise.resolve(sampleHere(graph, seed)) : sampleInParallel(graph, seed);
  options.onProgress?.('session');
  const opened = await openSession(graph.bytes, options.device ?? 'auto', options.loaders ?? DEFAULT_LOADERS).catch(async (error: unknown) => {
    await sampling;
    throw error;
  });
  const sessionReady = performance.now();
  const { feeds: arrays, ms: samplingMs } = await sampling;
  const sampled = performance.now();
  options.onProgress?.('running');
  const feeds: Record<string, OrtTensor> = {};
  for (const [name, { data, dims }] of arrays) feeds[name] = new opened.ort.Tensor(graph.dtype, data, dims);
  const outputs = await opened.session.run(feeds);
  const ran = performance.now();
  const runMs = ran - sampled;
  const { layers, loss } = readStats(graph, toNumbers(outputs[graph.outputs[0]!]));
  const verdict = judge(layers, loss, { ...DEFAULT_THRESHOLDS, ...options.thresholds });
  return {
    model: model.name,
    framework: model.framework,
    device: opened.device,
    ...(opened.fallback ? { fallback: opened.fallback } : {}),
    batch: graph.batch,
    seed,
    dtype: graph.dtype,
    inputShape: graph.inputShape,
    loss: { ...graph.loss, value: loss },
    layers,
    verdict,
    timings: {
      buildMs: built - start,
      samplingMs,
      sessionMs: sessionReady - built,
      samplingWaitMs: sampled - sessionReady,
      runMs,
      totalMs: ran - start,
      sessionCached: opened.cached,
    },
    notes: [
      ...graph.notes,
      ...(graph.loss.note ? [graph.loss.note] : []),
      ...(model.layers.some((layer) => layer.kind === 'dropout') || model.flow.some((node) => node.op === 'dropout')
        ? ['Dropout is the identity in the probe: it rescales during training but leaves the expected signal unchanged.']
        : []),
    ],
  };
}
