// Messages between the probe worker and the thread that asks for probes.
import type { Model, Span } from '../ir/types';
import type { ProbeOptions, ProbeResult, ProbeStage } from './probe';

/** Probe options that cross the thread boundary (no functions). */
export type WorkerProbeOptions = Omit<ProbeOptions, 'loaders' | 'onProgress'>;

export interface ProbeRequest {
  type: 'probe';
  id: number;
  model: Model;
  options: WorkerProbeOptions;
}

export type ProbeReply =
  | { type: 'progress'; id: number; stage: ProbeStage }
  | { type: 'result'; id: number; result: ProbeResult }
  /** `span`: the layer at fault, for errors that have one. */
  | { type: 'error'; id: number; name: string; message: string; span?: Span };
