// The analysis worker thread: one DocumentAnalyzer per open document, fed text and edits by the extension host.
import { parentPort } from 'node:worker_threads';
import { DocumentAnalyzer } from '../../core/document';
import type { SourceKind } from '../../core/analyze';
import type { WorkerReply, WorkerRequest } from './protocol';

const analyzers = new Map<string, { kind: SourceKind; fileName: string; analyzer: DocumentAnalyzer }>();

function handle(request: WorkerRequest): WorkerReply | undefined {
  if (request.type === 'forget') {
    analyzers.delete(request.key);
    return undefined;
  }
  const started = performance.now();
  try {
    let entry = analyzers.get(request.key);
    // A language change or a rename gives the document a different parser.
    if (!entry || entry.kind !== request.kind || entry.fileName !== request.fileName) {
      entry = { kind: request.kind, fileName: request.fileName, analyzer: new DocumentAnalyzer(request.kind, { fileName: request.fileName }) };
      analyzers.set(request.key, entry);
    }
    const { analysis, stale } = entry.analyzer.update(request.text, request.config, request.changes);
    const { text: _text, lines: _lines, ...wire } = analysis;
    return { type: 'result', id: request.id, analysis: wire, stale, milliseconds: performance.now() - started };
  } catch (error) {
    // The analyzer may hold a half-updated tree: the next request for this document starts afresh.
    analyzers.delete(request.key);
    return { type: 'failure', id: request.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  const reply = handle(request);
  if (reply) parentPort?.postMessage(reply);
});
