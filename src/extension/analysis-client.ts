// The extension host's side of the analysis worker: one request at a time per document, the edit since the
// last request computed from the two texts, the worker restarted (and every document re-sent whole) after a
// crash, never a thrown error towards the editor.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileAnalysis, SourceKind } from '../core/analyze';
import type { DeepLintConfig } from '../core/config';
import type { TextChange } from '../core/document';
import { LineIndex } from '../core/ir/text';
import type { AnalyzeRequest, WorkerReply } from './worker/protocol';

export interface AnalysisOutcome {
  analysis: FileAnalysis;
  /** The findings are the last good ones moved through edits, while the text does not parse. */
  stale: boolean;
  milliseconds: number;
}

/** The one replacement that turns `before` into `after`: their common prefix and suffix stay. */
export function singleChange(before: string, after: string): TextChange {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, end: before.length - suffix, newText: after.slice(prefix, after.length - suffix) };
}

interface Pending {
  resolve(outcome: AnalysisOutcome): void;
  reject(error: Error): void;
  text: string;
}

export class AnalysisClient {
  private worker: Worker | undefined;
  /** Bumped when a worker goes away: the texts it had seen are gone with it. */
  private generation = 0;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  /** The text each document's analyzer in the current worker last saw. */
  private readonly seen = new Map<string, { generation: number; text: string }>();
  private disposed = false;

  /** `script` is the worker's file, or code to evaluate (tests use it to load the TypeScript source through tsx). */
  constructor(
    private readonly script: { code: string; eval?: boolean },
    private readonly onCrash: (message: string) => void,
  ) {}

  /** The worker bundled next to the extension's own bundle in dist/. */
  static bundled(onCrash: (message: string) => void): AnalysisClient {
    return new AnalysisClient({ code: path.join(__dirname, 'analysis-worker.js') }, onCrash);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script.code, { eval: this.script.eval ?? false });
    // An idle worker must not keep the extension host alive at shutdown.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.lose(worker, `analysis worker failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.lose(worker, `analysis worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private lose(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.generation++;
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const request of failed) request.reject(new Error(message));
    if (!this.disposed) this.onCrash(message);
  }

  private receive(reply: WorkerReply): void {
    const request = this.pending.get(reply.id);
    if (!request) return;
    this.pending.delete(reply.id);
    if (reply.type === 'failure') {
      request.reject(new Error(reply.message));
      return;
    }
    const analysis: FileAnalysis = { ...reply.analysis, text: request.text, lines: new LineIndex(request.text) };
    request.resolve({ analysis, stale: reply.stale, milliseconds: reply.milliseconds });
  }

  /** Analyses a document's current text; `key` names the document across calls. */
  analyze(key: string, kind: SourceKind, fileName: string, text: string, config: DeepLintConfig): Promise<AnalysisOutcome> {
    if (this.disposed) return Promise.reject(new Error('DeepLint is shutting down'));
    const worker = this.start();
    const id = this.nextId++;
    const previous = this.seen.get(key);
    const changes = previous && previous.generation === this.generation ? [singleChange(previous.text, text)] : undefined;
    this.seen.set(key, { generation: this.generation, text });
    const request: AnalyzeRequest = { type: 'analyze', id, key, kind, fileName, text, config, ...(changes ? { changes } : {}) };
    return new Promise<AnalysisOutcome>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, text });
      // Only while a request is out does the worker count as work in progress.
      worker.ref();
      worker.postMessage(request);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  /** Drops a closed document's parse state. */
  forget(key: string): void {
    this.seen.delete(key);
    this.worker?.postMessage({ type: 'forget', key });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const request of this.pending.values()) request.reject(new Error('DeepLint is shutting down'));
    this.pending.clear();
    await worker?.terminate();
  }
}
