// Rule documentation and concept notes as read-only markdown documents (`deeplint-docs:/DL201.md`,
// `deeplint-docs:/notes/dropout.md`), rendered by the same module as the CLI and the hovers, shown in the
// markdown preview.
import * as vscode from 'vscode';
import { renderNoteMarkdown, renderRuleMarkdown } from '../core/notes/render';
import { findRule } from '../core/rules/registry';
import type { Ctx } from './ctx';

export const DOCS_SCHEME = 'deeplint-docs';

export function ruleDocsUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${code.toUpperCase()}.md` });
}

export function noteDocsUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/notes/${id}.md` });
}

export class DocsContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly ctx: Ctx) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const note = /^\/notes\/(.+)\.md$/.exec(uri.path);
    if (note) {
      const found = this.ctx.notes.get(note[1]!);
      return found ? renderNoteMarkdown(found) : `# ${note[1]}\n\nNo concept note with this id.\n`;
    }
    const code = /^\/(.+)\.md$/.exec(uri.path)?.[1] ?? uri.path;
    const rule = findRule(code);
    return rule ? renderRuleMarkdown(rule) : `# ${code}\n\nNo DeepLint rule with this code.\n`;
  }
}

/** Opens a docs document in the markdown preview, or as text where no preview is installed. */
export async function showDocs(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('markdown.showPreview')) {
    await vscode.commands.executeCommand('markdown.showPreview', document.uri);
  } else {
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
