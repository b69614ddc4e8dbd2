import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { noteDocsUri, showDocs } from '../docs-view';
import { CommandId } from './ids';

/** "DeepLint: Explain a deep-learning concept": the concept notes, searchable by title and API name. */
export function registerExplainConcept(ctx: Ctx): void {
  ctx.own(
    vscode.commands.registerCommand(CommandId.ExplainConcept, async (id?: unknown) => {
      let chosen = typeof id === 'string' ? ctx.notes.lookup(id)?.id : undefined;
      if (!chosen) {
        const pick = await vscode.window.showQuickPick(
          ctx.notes.all().map((note) => ({ label: note.title, description: note.aliases.slice(0, 4).join(', '), detail: note.summary, id: note.id })),
          { title: 'Deep-learning concepts', matchOnDescription: true, matchOnDetail: true },
        );
        chosen = pick?.id;
      }
      if (chosen) await showDocs(noteDocsUri(chosen));
    }),
  );
}
