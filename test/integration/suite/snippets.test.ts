import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveSnippetBody } from '../../../src/extension/snippet-catalog';
import { codeActions, deeplintDiagnostics, EXTENSION_ID, hoverAt, titles } from './helpers';

interface SnippetEntry {
  prefix: string[];
  body: string[];
}

const LANGUAGE = { pytorch: 'python', keras: 'python', tfjs: 'javascript' } as const;

function snippets(framework: keyof typeof LANGUAGE): [string, SnippetEntry][] {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  return Object.entries(JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'snippets', `${framework}.json`), 'utf8')));
}

describe('snippets', () => {
  for (const framework of ['pytorch', 'keras', 'tfjs'] as const) {
    for (const [name, entry] of snippets(framework)) {
      it(`inserts "${name}" with "DeepLint: Insert model snippet", and it lints clean`, async () => {
        const document = await vscode.workspace.openTextDocument({ language: LANGUAGE[framework] });
        await vscode.window.showTextDocument(document);
        try {
          assert.equal(await vscode.commands.executeCommand('deeplint.insertSnippet', entry.prefix[0]), true);
          assert.equal(document.getText(), resolveSnippetBody(entry.body.join('\n')));
          // The code action provider answers only once the current version is analysed.
          const actions = await codeActions(document.uri, new vscode.Range(0, 0, document.lineCount, 0));
          assert.deepEqual(deeplintDiagnostics(document.uri).map((diagnostic) => diagnostic.message), [], titles(actions));
          // The model snippets define a model DeepLint sees: its name (a class, or the variable holding a
          // Sequential) hovers with the model summary, so "lints clean" is not "was not understood".
          const model = /class \w+|\bmodel = /.exec(document.getText());
          if (/MLP|CNN/.test(name)) {
            assert.ok(model, 'no model definition in the snippet');
            const position = document.positionAt(model.index + model[0].replace(/ = $/, '').length - 1);
            await hoverAt(document.uri, position, /model\*\*/);
          }
        } finally {
          await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        }
      });
    }
  }
});
