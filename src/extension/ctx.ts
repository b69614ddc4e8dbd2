// The extension's context: it owns every disposable, the log, and the lazily loaded concept notes, so
// deactivation releases everything in one place.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadNotes, type NotesStore } from '../core/notes/store';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private notesStore: NotesStore | undefined;
  private readonly reported = new Set<string>();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('DeepLint', { log: true }));
  }

  /** Takes ownership of a disposable and returns it. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** A file shipped with the extension. */
  asset(...parts: string[]): string {
    return path.join(this.extension.extensionPath, ...parts);
  }

  /** The concept notes in media/notes, read on first use. */
  get notes(): NotesStore {
    if (!this.notesStore) {
      const loaded = loadNotes(this.asset('media', 'notes'));
      for (const problem of loaded.problems) this.warnOnce(problem);
      this.notesStore = loaded.store;
    }
    return this.notesStore;
  }

  /** Logs a warning once per distinct message: a broken config file must not flood the log on every keystroke. */
  warnOnce(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.warn(message);
  }

  /** Logs an error once per distinct message; errors never become pop-ups. */
  errorOnce(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.error(message);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch (error) {
        // One failing disposable must not keep the others alive.
        console.error(error);
      }
    }
  }
}
