// The sampler thread: samples weights and data for a plan and transfers the arrays back without copying.
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { sampleFeeds } from './feeds';
import type { SampleReply, SampleRequest } from './sampler';

const port = parentPort;
if (!port) throw new Error('the probe sampler must run in a worker thread');

port.on('message', (request: SampleRequest) => {
  let reply: SampleReply;
  try {
    const start = performance.now();
    const feeds = [...sampleFeeds(request.plan, request.seed)];
    reply = { id: request.id, feeds, ms: performance.now() - start };
    port.postMessage(reply, feeds.map(([, { data }]) => data.buffer as ArrayBuffer));
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
