// Samples a probe's weights and data batch on a second thread while the probe's thread creates the
// onnxruntime session (which blocks its thread): the two largest costs of a first probe overlap.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ProbeGraph } from './build';
import { sampleFeeds, type Feeds } from './feeds';

/** What the sampler needs from a graph (the serialised model stays behind). */
export type SamplingPlan = Pick<ProbeGraph, 'dtype' | 'parameters' | 'data'>;

export interface SampleRequest {
  id: number;
  plan: SamplingPlan;
  seed: number;
}

export interface SampleReply {
  id: number;
  feeds?: [string, { data: Float32Array | Float64Array; dims: number[] }][];
  /** Time the sampling took on the sampler thread. */
  ms?: number;
  error?: string;
}

function samplerScript(): { code: string; eval: boolean } {
  const bundled = path.join(__dirname, 'probe-sampler.js');
  if (fs.existsSync(bundled)) return { code: bundled, eval: false };
  return { code: `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'sampler-worker.ts'))});`, eval: true };
}

/** One sampler thread per core (at most two): weights for large models are tens of millions of draws. */
const POOL_SIZE = Math.max(1, Math.min(2, os.availableParallelism()));
const pool: (Worker | null)[] = Array.from({ length: POOL_SIZE }, () => null);
let nextId = 0;

function samplerWorker(slot: number): Worker {
  let thread = pool[slot];
  if (!thread) {
    const script = samplerScript();
    const started = new Worker(script.code, { eval: script.eval });
    // An idle sampler must not keep the process (the CLI) alive.
    started.unref();
    const forget = () => {
      if (pool[slot] === started) pool[slot] = null;
    };
    started.on('error', forget);
    started.on('exit', forget);
    pool[slot] = started;
    thread = started;
  }
  return thread;
}

/**
 * Starts the sampler threads ahead of the first probe so their start-up overlaps other work; resolves
 * once they have answered an empty request (their code is loaded).
 */
export async function warmSampler(): Promise<void> {
  const empty: SamplingPlan = { dtype: 'float32', parameters: [], data: [] };
  await Promise.all(pool.map((_, slot) => sampleOn(slot, empty, 0)));
}

export interface Sampled {
  feeds: Feeds;
  /** How long sampling took, on the slowest thread that did it. */
  ms: number;
}

export function sampleHere(plan: SamplingPlan, seed: number): Sampled {
  const start = performance.now();
  const feeds = sampleFeeds(plan, seed);
  return { feeds, ms: performance.now() - start };
}

/** Samples part of a plan on one sampler thread; falls back to this thread if the worker cannot run. */
function sampleOn(slot: number, plan: SamplingPlan, seed: number): Promise<Sampled> {
  let thread: Worker;
  try {
    thread = samplerWorker(slot);
  } catch {
    return Promise.resolve(sampleHere(plan, seed));
  }
  const id = nextId++;
  // Referenced while a request is out, so a caller awaiting it keeps the process alive.
  thread.ref();
  return new Promise<Sampled>((resolve) => {
    const done = (sampled: Sampled) => {
      thread.off('message', onMessage);
      thread.off('exit', onExit);
      thread.unref();
      resolve(sampled);
    };
    const onMessage = (reply: SampleReply) => {
      if (reply.id !== id) return;
      done(reply.feeds ? { feeds: new Map(reply.feeds), ms: reply.ms ?? 0 } : sampleHere(plan, seed));
    };
    const onExit = () => done(sampleHere(plan, seed));
    thread.on('message', onMessage);
    thread.on('exit', onExit);
    const request: SampleRequest = { id, plan: { dtype: plan.dtype, parameters: plan.parameters, data: plan.data }, seed };
    thread.postMessage(request);
  });
}

/**
 * Samples a plan on the sampler threads, the parameters split between them by size. Every tensor has
 * its own seeded stream, so the split does not change any value.
 */
export async function sampleInParallel(plan: SamplingPlan, seed: number): Promise<Sampled> {
  const parts: SamplingPlan[] = pool.map((_, slot) => ({ dtype: plan.dtype, parameters: [], data: slot === 0 ? plan.data : [] }));
  const load = parts.map(() => 0);
  const bySize = [...plan.parameters].sort((a, b) => b.shape.reduce((p, d) => p * d, 1) - a.shape.reduce((p, d) => p * d, 1));
  for (const parameter of bySize) {
    const lightest = load.indexOf(Math.min(...load));
    parts[lightest]!.parameters.push(parameter);
    load[lightest]! += parameter.shape.reduce((p, d) => p * d, 1);
  }
  const results = await Promise.all(parts.map((part, slot) => sampleOn(slot, part, seed)));
  const feeds: Feeds = new Map();
  // Parameters first, in the plan's order, then the data batch: the order callers see does not depend on the split.
  const merged = new Map(results.flatMap((result) => [...result.feeds]));
  for (const name of [...plan.parameters.map((p) => p.name), ...plan.data.map((d) => d.name)]) feeds.set(name, merged.get(name)!);
  return { feeds, ms: Math.max(...results.map((result) => result.ms)) };
}

/** Stops the sampler threads (tests, extension dispose). */
export async function stopSampler(): Promise<void> {
  const running = pool.filter((thread): thread is Worker => thread !== null);
  pool.fill(null);
  await Promise.all(running.map((thread) => thread.terminate()));
}
