// The gradient-health probe's public API, for the CLI and the extension. Importing it loads no
// onnxruntime: that happens in the probe process (ProbeWorker) or on the first in-thread probe.
export { buildProbeGraph, ProbeGraphError, resolveInputShape, type BuildOptions, type ProbeGraph } from './build';
export { ProbeCancelled, ProbeWorker, type RunControl } from './client';
export { DEFAULT_MEMORY_BUDGET, probeModel, ProbeRefusal, type ProbeOptions, type ProbeResult, type ProbeStage } from './probe';
export { DEVICES, ProbeRuntimeError, releaseSessions, type Device } from './runtime';
export { stopSampler } from './sampler';
export { DEFAULT_THRESHOLDS, judge, type LayerStats, type Verdict, type VerdictStatus, type VerdictThresholds } from './verdict';
