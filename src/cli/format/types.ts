import type { Severity } from '../../core/rules/types';
import type { FileError, Location } from '../run-files';

export interface ReportedEdit extends Location {
  newText: string;
}

export interface ReportedFinding extends Location {
  path: string;
  code: string;
  name: string;
  severity: Severity;
  message: string;
  fix: { title: string; safe: boolean; edits: ReportedEdit[] } | null;
}

export interface Report {
  findings: ReportedFinding[];
  errors: FileError[];
}

