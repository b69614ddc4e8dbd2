// The probe's errors, in a module of their own: the probe client rebuilds them from the worker's replies, and
// importing them must not load the graph builder or the runtime into the extension host.
import type { Span } from '../ir/types';

/** The probe cannot build the graph; `span` is the layer at fault when there is one. */
export class ProbeGraphError extends Error {
  override name = 'ProbeGraphError';
  constructor(
    message: string,
    readonly span?: Span,
  ) {
    super(message);
  }
}

/** The probe would exceed its memory budget, and was refused before anything was allocated. */
export class ProbeRefusal extends Error {
  override name = 'ProbeRefusal';
}

/** onnxruntime could not be loaded, or no device could run the graph. */
export class ProbeRuntimeError extends Error {
  override name = 'ProbeRuntimeError';
}
