import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { CommandId } from './ids';

/** "DeepLint: Open a sample model": a flawed classifier in a new untitled file, for the walkthrough. */
export function registerOpenSample(ctx: Ctx): void {
  ctx.own(
    vscode.commands.registerCommand(CommandId.OpenSample, async () => {
      const content = fs.readFileSync(ctx.asset('media', 'walkthrough', 'sample_model.py'), 'utf8');
      const document = await vscode.workspace.openTextDocument({ language: 'python', content });
      await vscode.window.showTextDocument(document);
      return document.uri.toString();
    }),
  );
}
