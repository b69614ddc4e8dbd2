// Helpers for tests that drive the real VS Code API: fixtures, waiting for DeepLint's diagnostics, hovers and
// code actions, and screenshots taken by the harness's browser.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeepLintApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'deeplint.deeplint';

/** The API DeepLint's activate() returns, activating it first if needed. */
export async function deeplintApi(): Promise<DeepLintApi> {
  const extension = vscode.extensions.getExtension<DeepLintApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** The title of a concept note as shipped in the installed extension (media/notes/<id>.md). */
export function noteTitle(id: string): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const text = fs.readFileSync(path.join(extension.extensionPath, 'media', 'notes', `${id}.md`), 'utf8');
  const title = /^title:\s*(.+)$/m.exec(text)?.[1];
  assert.ok(title, `note ${id} has no title`);
  return title.trim();
}

/** A regular expression matching a string literally. */
export function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the fixture workspace is not open');
  return folder;
}

export function fixture(...parts: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...parts);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function deeplintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'deeplint')
    .sort((a, b) => a.range.start.compareTo(b.range.start));
}

/** Waits until DeepLint's diagnostics for a document satisfy `accept` (e.g. the expected codes appear). */
export async function diagnosticsWhere(uri: vscode.Uri, what: string, accept: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  let last: vscode.Diagnostic[] = [];
  try {
    return await waitFor(`${what} on ${path.basename(uri.path)}`, () => {
      last = deeplintDiagnostics(uri);
      return accept(last) ? last : undefined;
    }, timeoutMs);
  } catch (error) {
    // Say what was there instead: a timeout alone does not tell a wrong finding from a missing analysis.
    const seen = last.map((diagnostic) => `${codeOf(diagnostic)}@${diagnostic.range.start.line + 1}`).join(', ') || 'none';
    throw new Error(`${error instanceof Error ? error.message : String(error)}; DeepLint diagnostics at the end: ${seen}`);
  }
}

/** Waits for diagnostics with exactly these codes, in document order. */
export function diagnosticCodes(uri: vscode.Uri, codes: string[], timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  const expected = codes.join(',');
  return diagnosticsWhere(uri, `diagnostics ${expected}`, (found) => found.map(codeOf).join(',') === expected, timeoutMs);
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

/** The position of `needle` (its first occurrence) plus `delta` characters. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" is not in ${path.basename(document.uri.path)}`);
  return document.positionAt(offset + delta);
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : '')))
    .join('\n');
}

/** DeepLint's hover at a position (other hover providers' text is included; retried until `marker` shows). */
export function hoverAt(uri: vscode.Uri, position: vscode.Position, marker: RegExp): Promise<string> {
  return waitFor(`a hover matching ${marker}`, async () => {
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position));
    return marker.test(text) ? text : undefined;
  });
}

export function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Thenable<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);
}

export function titles(actions: readonly vscode.CodeAction[]): string {
  return actions.map((action) => action.title).join(' | ');
}

/** Undoes a test's edits: the document returns to what is on disk. */
export async function revert(uri: vscode.Uri): Promise<void> {
  await open(uri);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Asks the harness's browser for a screenshot of the workbench as it is now, and waits until it is taken. With
 * `webviewSelector`, the harness first waits until a webview shows an element matching it. Does nothing unless
 * the harness runs with --screenshots.
 */
export async function screenshot(name: string, webviewSelector?: string): Promise<void> {
  const signals = process.env['DEEPLINT_IT_SIGNALS'];
  if (!process.env['DEEPLINT_IT_SCREENSHOTS'] || !signals) return;
  console.log(`[deeplint-screenshot] ${name}${webviewSelector ? ` ${webviewSelector}` : ''}`);
  const done = path.join(signals, `${name}.done`);
  await waitFor(`screenshot ${name}`, () => (fs.existsSync(done) ? true : undefined), 30_000);
}

export function screenshotsWanted(): boolean {
  return Boolean(process.env['DEEPLINT_IT_SCREENSHOTS']);
}

export async function setSetting(key: string, value: unknown, uri?: vscode.Uri): Promise<void> {
  await vscode.workspace.getConfiguration('deeplint', uri).update(key, value, vscode.ConfigurationTarget.Workspace);
}
