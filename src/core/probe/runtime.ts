// Loads onnxruntime on first use, picks the execution provider (falling back as the device setting says),
// and caches one session per graph so re-probing the same architecture skips session creation.
import { createHash } from 'node:crypto';
import { ProbeRuntimeError } from './errors';

export type Device = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'wasm';
export const DEVICES: readonly Device[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu', 'wasm'];

/** The part of the onnxruntime API the probe uses (onnxruntime-node and onnxruntime-web share it). */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32' | 'float64', data: Float32Array | Float64Array, dims: readonly number[]) => OrtTensor;
}

/** How to load each runtime; tests replace these to force failures. */
export interface RuntimeLoaders {
  node(): OrtModule;
  web(): OrtModule;
}

export const DEFAULT_LOADERS: RuntimeLoaders = {
  // Plain `require` at call time: the native binding loads only when a probe runs, never when this module is imported.
  node: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point here.
    const node = require('onnxruntime-node') as OrtModule & { env: { logLevel?: string } };
    // Failures surface as exceptions with their message; a failed GPU attempt must not also print a native error log.
    node.env.logLevel = 'fatal';
    return node;
  },
  web: () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point here.
    const web = require('onnxruntime-web') as OrtModule & { env: { wasm: { numThreads: number } } };
    // Node has no cross-origin isolation checks; one wasm thread avoids spawning workers inside the probe's worker.
    web.env.wasm.numThreads = 1;
    return web;
  },
};

export interface OpenedSession {
  session: OrtSession;
  ort: OrtModule;
  /** The execution provider that actually runs the graph (`cpu`, `cuda`, `wasm`...). */
  device: Exclude<Device, 'auto'>;
  /** Why the device differs from the one asked for, when it does. */
  fallback?: string;
  cached: boolean;
}

export { ProbeRuntimeError };

/** The GPU provider worth trying first on this platform. */
export function platformGpu(platform: NodeJS.Platform = process.platform): 'cuda' | 'dml' | 'coreml' {
  if (platform === 'win32') return 'dml';
  if (platform === 'darwin') return 'coreml';
  return 'cuda';
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

const sessions = new Map<string, OpenedSession>();
/** Providers that failed once in this process are not retried on every probe. */
const failedProviders = new Map<string, string>();

export function sessionOptions(device: Exclude<Device, 'auto'>): Record<string, unknown> {
  return {
    executionProviders: [device],
    // The graph is already in the form onnxruntime runs well (Gemm, no redundant ops), and a probe runs it
    // once: measured on a 20×256 MLP, optimization level 'all' takes 33 ms to create the session against
    // 19 ms unoptimized, for a 1 ms faster run (50×512: 203 ms against 37 ms, for 2 ms).
    graphOptimizationLevel: 'disabled',
    // The probe runs one batch once: memory-pattern planning costs more than it saves.
    enableMemPattern: false,
  };
}

async function create(ort: OrtModule, bytes: Uint8Array, device: Exclude<Device, 'auto'>, quiet = false): Promise<OrtSession> {
  // A GPU attempt that fails is expected on most machines: keep onnxruntime from logging it as an error.
  return ort.InferenceSession.create(bytes, { ...sessionOptions(device), ...(quiet ? { logSeverityLevel: 4 } : {}) });
}

/** Opens (or reuses) a session for `bytes` on `device`, following the fallback rules of the device setting. */
export async function openSession(bytes: Uint8Array, device: Device, loaders: RuntimeLoaders = DEFAULT_LOADERS): Promise<OpenedSession> {
  const key = `${device}:${createHash('sha256').update(bytes).digest('hex')}`;
  const cached = sessions.get(key);
  if (cached) return { ...cached, cached: true };
  const opened = await openFresh(bytes, device, loaders);
  // Sessions made with injected loaders (tests) are not shared with real ones.
  if (loaders === DEFAULT_LOADERS) sessions.set(key, opened);
  return opened;
}

async function openWasm(bytes: Uint8Array, loaders: RuntimeLoaders, fallback?: string): Promise<OpenedSession> {
  let ort: OrtModule;
  try {
    ort = loaders.web();
  } catch (error) {
    throw new ProbeRuntimeError(`cannot load onnxruntime-web: ${message(error)}${fallback ? ` (after: ${fallback})` : ''}`);
  }
  const session = await create(ort, bytes, 'wasm');
  return { session, ort, device: 'wasm', cached: false, ...(fallback ? { fallback } : {}) };
}

async function openFresh(bytes: Uint8Array, device: Device, loaders: RuntimeLoaders): Promise<OpenedSession> {
  if (device === 'wasm') return openWasm(bytes, loaders);
  let ort: OrtModule;
  try {
    ort = loaders.node();
  } catch (error) {
    // No native binary for this platform (or it failed to load): the wasm build runs everywhere.
    return openWasm(bytes, loaders, `onnxruntime-node is unavailable, ran on wasm: ${message(error)}`);
  }
  if (device !== 'auto') {
    try {
      return { session: await create(ort, bytes, device), ort, device, cached: false };
    } catch (error) {
      throw new ProbeRuntimeError(`cannot run on device '${device}': ${message(error)}`);
    }
  }
  // Asking for [gpu, cpu] together throws when the GPU libraries are missing, so try the GPU alone and then the CPU.
  const gpu = platformGpu();
  let fallback = failedProviders.get(gpu);
  if (fallback === undefined) {
    try {
      return { session: await create(ort, bytes, gpu, true), ort, device: gpu, cached: false };
    } catch (error) {
      fallback = `${gpu} unavailable, ran on cpu: ${message(error)}`;
      if (loaders === DEFAULT_LOADERS) failedProviders.set(gpu, fallback);
    }
  }
  return { session: await create(ort, bytes, 'cpu'), ort, device: 'cpu', cached: false, fallback };
}

/** Releases every cached session (the extension calls this on dispose; tests between cases). */
export async function releaseSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map((opened) => opened.session.release()));
}
