import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { readSnippets, SNIPPET_FRAMEWORKS, SNIPPET_LANGUAGES, type ModelSnippet } from '../snippet-catalog';
import { CommandId } from './ids';

const FRAMEWORK_LABEL = { pytorch: 'PyTorch', keras: 'Keras', tfjs: 'TensorFlow.js' } as const;

/**
 * "DeepLint: Insert model snippet": a quick pick of the snippets for the active editor's language (all of
 * them without an editor: the chosen one then opens in a new untitled file of its language).
 */
export function registerInsertSnippet(ctx: Ctx): void {
  ctx.own(
    vscode.commands.registerCommand(CommandId.InsertSnippet, async (prefix?: unknown) => {
      const all: ModelSnippet[] = [];
      for (const framework of SNIPPET_FRAMEWORKS) {
        try {
          all.push(...readSnippets(ctx.asset('snippets'), framework));
        } catch (error) {
          ctx.errorOnce(`cannot read the ${framework} snippets: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const editor = vscode.window.activeTextEditor;
      const language = editor?.document.languageId;
      const fitting = language ? all.filter((snippet) => SNIPPET_LANGUAGES[snippet.framework].includes(language)) : [];
      const offered = fitting.length > 0 ? fitting : all;
      let chosen = typeof prefix === 'string' ? offered.find((snippet) => snippet.prefix === prefix) : undefined;
      if (!chosen) {
        const pick = await vscode.window.showQuickPick(
          offered.map((snippet) => ({ label: snippet.name, description: `${FRAMEWORK_LABEL[snippet.framework]} · ${snippet.prefix}`, detail: snippet.description, snippet })),
          { title: 'Insert a model snippet (each one lints clean)', matchOnDescription: true, matchOnDetail: true },
        );
        chosen = pick?.snippet;
      }
      if (!chosen) return false;
      let target = editor;
      if (!target || fitting.length === 0) {
        const document = await vscode.workspace.openTextDocument({ language: SNIPPET_LANGUAGES[chosen.framework][0] });
        target = await vscode.window.showTextDocument(document);
      }
      return target.insertSnippet(new vscode.SnippetString(chosen.body));
    }),
  );
}
