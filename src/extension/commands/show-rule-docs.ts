import * as vscode from 'vscode';
import { RULES } from '../../core/rules/registry';
import type { Ctx } from '../ctx';
import { ruleDocsUri, showDocs } from '../docs-view';
import { CommandId } from './ids';

/** "DeepLint: Show rule documentation": for a code (from a code action) or picked from every rule. */
export function registerShowRuleDocs(ctx: Ctx): void {
  ctx.own(
    vscode.commands.registerCommand(CommandId.ShowRuleDocs, async (code?: unknown) => {
      let chosen = typeof code === 'string' ? code : undefined;
      if (!chosen) {
        const pick = await vscode.window.showQuickPick(
          RULES.map((rule) => ({ label: rule.code, description: rule.name, detail: rule.docs.summary })),
          { title: 'DeepLint rules', matchOnDescription: true, matchOnDetail: true },
        );
        chosen = pick?.label;
      }
      if (chosen) await showDocs(ruleDocsUri(chosen));
    }),
  );
}
