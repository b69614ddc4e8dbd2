// Messages between the extension host and the analysis worker thread. Analysis runs off the extension host's
// thread so a 10,000-line file never stalls other extensions; only plain data crosses (structured clone).
import type { FileAnalysis, SourceKind } from '../../core/analyze';
import type { DeepLintConfig } from '../../core/config';
import type { TextChange } from '../../core/document';

export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  /** One analyzer per document (or notebook): it keeps the parse tree between edits. */
  key: string;
  kind: SourceKind;
  fileName: string;
  text: string;
  /** The edits since the text last sent for this key; undefined makes the worker parse from scratch. */
  changes?: TextChange[];
  config: DeepLintConfig;
}

export interface ForgetRequest {
  type: 'forget';
  key: string;
}

export type WorkerRequest = AnalyzeRequest | ForgetRequest;

/** A FileAnalysis without what the extension host rebuilds from the text it sent. */
export type WireAnalysis = Omit<FileAnalysis, 'text' | 'lines'>;

export type WorkerReply =
  | { type: 'result'; id: number; analysis: WireAnalysis; stale: boolean; milliseconds: number }
  | { type: 'failure'; id: number; message: string };
