// Runs probes in a child process: the caller (the extension host, the CLI) never blocks on onnxruntime,
// a probe can be cancelled or time out (the process is killed, which is safe even inside native code),
// and progress arrives as messages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { Model } from '../ir/types';
import { ProbeGraphError, ProbeRefusal, ProbeRuntimeError } from './errors';
import type { ProbeResult, ProbeStage } from './probe';
import type { ProbeReply, ProbeRequest, WorkerProbeOptions } from './protocol';

export class ProbeCancelled extends Error {
  override name = 'ProbeCancelled';
}

export interface RunControl {
  onProgress?: (stage: ProbeStage) => void;
  signal?: AbortSignal;
  /** Give up (and stop the worker) after this many milliseconds; default 60 s. */
  timeoutMs?: number;
}

export interface WorkerScript {
  file: string;
  execArgv: string[];
}

/** The bundled probe process next to this bundle, or the TypeScript source run through tsx in development and tests. */
export function defaultWorkerScript(): WorkerScript {
  const bundled = path.join(__dirname, 'probe-worker.js');
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] };
  return { file: path.join(__dirname, 'worker.ts'), execArgv: ['--import', 'tsx'] };
}

const ERRORS: Record<string, new (message: string) => Error> = {
  ProbeRefusal,
  ProbeRuntimeError,
};

export class ProbeWorker {
  private child: ChildProcess | null = null;
  private nextId = 0;

  constructor(private readonly script = defaultWorkerScript()) {}

  /** Starts the probe process now (it is started on the first probe otherwise), so its start-up overlaps other work. */
  start(): ChildProcess {
    if (!this.child) {
      const child = fork(this.script.file, [], { execArgv: this.script.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child.on('exit', () => {
        if (this.child === child) this.child = null;
      });
      this.child = child;
    }
    return this.child;
  }

  /** Stops the probe process (and any probe in it); the next probe starts a fresh one. */
  async dispose(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Held until the exit is seen: an idle (unreferenced) child would otherwise let the parent end first.
    child.ref();
    child.kill('SIGKILL');
    await exited;
  }

  probe(model: Model, options: WorkerProbeOptions = {}, control: RunControl = {}): Promise<ProbeResult> {
    if (control.signal?.aborted) return Promise.reject(new ProbeCancelled('probe cancelled'));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<ProbeResult>((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        // An idle probe process must not keep its parent alive.
        worker.unref();
        worker.channel?.unref();
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        control.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const stop = (error: Error) => finish(() => {
        void this.dispose();
        reject(error);
      });
      const onMessage = (reply: ProbeReply) => {
        if (reply.id !== id) return;
        if (reply.type === 'progress') control.onProgress?.(reply.stage);
        else if (reply.type === 'result') finish(() => resolve(reply.result));
        else finish(() => reject(reply.name === 'ProbeGraphError' ? new ProbeGraphError(reply.message, reply.span) : new (ERRORS[reply.name] ?? Error)(reply.message)));
      };
      const onError = (error: Error) => stop(error);
      const onExit = (code: number | null, signal: string | null) => stop(new Error(`the probe process exited (${signal ?? `code ${code}`})`));
      const onAbort = () => stop(new ProbeCancelled('probe cancelled'));
      const timeoutMs = control.timeoutMs ?? 60_000;
      const timer = setTimeout(() => stop(new ProbeCancelled(`probe timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      worker.ref();
      worker.channel?.ref();
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      control.signal?.addEventListener('abort', onAbort);
      const request: ProbeRequest = { type: 'probe', id, model, options };
      worker.send(request);
    });
  }
}
