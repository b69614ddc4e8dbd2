import * as vscode from 'vscode';
import type { AnalysisManager } from '../analysis-manager';
import { fixAllEdit } from '../code-actions';
import type { Ctx } from '../ctx';
import { CommandId } from './ids';

/** "DeepLint: Fix all safe problems" in the active editor; reports the count in the status bar, not a pop-up. */
export function registerFixAll(ctx: Ctx, manager: AnalysisManager): void {
  ctx.own(
    vscode.commands.registerCommand(CommandId.FixAll, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return 0;
      const view = await manager.viewFor(editor.document);
      const all = view && fixAllEdit(view);
      if (!all) {
        vscode.window.setStatusBarMessage('DeepLint: no safe fixes here', 3000);
        return 0;
      }
      await vscode.workspace.applyEdit(all.edit);
      vscode.window.setStatusBarMessage(`DeepLint: applied ${all.count} safe fix${all.count === 1 ? '' : 'es'}`, 3000);
      return all.count;
    }),
  );
}
