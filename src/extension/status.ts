// The language status item: what DeepLint did with the active document (models found, skipped, disabled).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DOCUMENT_LANGUAGES, type AnalysisManager, type AnalysisStatus } from './analysis-manager';
import { CommandId } from './commands/ids';
import type { Ctx } from './ctx';

function describe(status: AnalysisStatus | undefined): { text: string; detail?: string; busy: boolean; severity: vscode.LanguageStatusSeverity } {
  const { Information, Warning, Error } = vscode.LanguageStatusSeverity;
  switch (status?.state) {
    case undefined:
      return { text: 'DeepLint', busy: false, severity: Information };
    case 'analysing':
      return { text: 'DeepLint: analysing', busy: true, severity: Information };
    case 'disabled':
      return { text: 'DeepLint: off', detail: 'deeplint.enable is false for this file', busy: false, severity: Information };
    case 'skipped':
      return { text: 'DeepLint: skipped', detail: `${status.bytes} bytes, above deeplint.maxFileBytes (${status.limit})`, busy: false, severity: Warning };
    case 'failed':
      return { text: 'DeepLint: failed', detail: 'see the DeepLint log', busy: false, severity: Error };
    case 'done': {
      const models = `${status.models} model${status.models === 1 ? '' : 's'}`;
      const config = status.configFile ? `, settings from ${path.basename(status.configFile)}` : '';
      if (status.stale) return { text: `DeepLint: ${models} (waiting for valid syntax)`, detail: 'showing the last findings until the file parses again', busy: false, severity: Warning };
      return { text: `DeepLint: ${models}`, detail: `analysed in ${Math.round(status.milliseconds)} ms${config}`, busy: false, severity: Information };
    }
  }
}

export function registerStatus(ctx: Ctx, manager: AnalysisManager): void {
  const item = ctx.own(vscode.languages.createLanguageStatusItem('deeplint.status', [...DOCUMENT_LANGUAGES]));
  item.name = 'DeepLint';
  item.command = { command: CommandId.ShowLog, title: 'Show log' };
  const update = () => {
    const document = vscode.window.activeTextEditor?.document;
    const shown = describe(document ? manager.statusOf(document) : undefined);
    item.text = shown.text;
    item.detail = shown.detail;
    item.busy = shown.busy;
    item.severity = shown.severity;
  };
  ctx.own(manager.onDidChangeStatus(update));
  ctx.own(vscode.window.onDidChangeActiveTextEditor(update));
  update();
}
