// The probe process: runs probes out of the caller's process and keeps its session cache between them.
// A child process rather than a worker thread, because stopping a thread while onnxruntime is inside
// native code aborts the whole process; killing a child cannot hurt its parent.
import { ProbeGraphError } from './graph';
import { probeModel } from './probe';
import { DEFAULT_LOADERS } from './runtime';
import type { ProbeReply, ProbeRequest } from './protocol';
import { warmSampler } from './sampler';

const send = process.send?.bind(process);
if (!send) throw new Error('the probe worker must run as a child process with an IPC channel');

// The sampler thread and onnxruntime load while the parent is still parsing, ready for the first probe.
// (A failing native load is retried, and reported, by the probe itself.)
void warmSampler();
setImmediate(() => {
  try {
    DEFAULT_LOADERS.node();
  } catch {
    // The probe falls back to wasm and says why.
  }
});

process.on('message', (request: ProbeRequest) => {
  const reply = (message: ProbeReply) => send(message);
  probeModel(request.model, { ...request.options, onProgress: (stage) => reply({ type: 'progress', id: request.id, stage }) })
    .then((result) => reply({ type: 'result', id: request.id, result }))
    .catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      const span = failure instanceof ProbeGraphError ? failure.span : undefined;
      reply({ type: 'error', id: request.id, name: failure.name, message: failure.message, ...(span ? { span } : {}) });
    });
});

// The parent going away (closed IPC channel) ends the probe process too.
process.on('disconnect', () => process.exit(0));
