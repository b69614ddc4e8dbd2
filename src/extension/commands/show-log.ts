import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { CommandId } from './ids';

/** "DeepLint: Show log": the output channel where analysis problems are reported (once each, never as pop-ups). */
export function registerShowLog(ctx: Ctx): void {
  ctx.own(vscode.commands.registerCommand(CommandId.ShowLog, () => ctx.log.show(true)));
}
