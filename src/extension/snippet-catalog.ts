// The model snippets in snippets/*.json: read for the "Insert model snippet" quick pick, and their bodies with
// every placeholder at its default (what a user gets by pressing Tab through them). No `vscode` import.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type SnippetFramework = 'pytorch' | 'keras' | 'tfjs';

export interface ModelSnippet {
  framework: SnippetFramework;
  name: string;
  prefix: string;
  description: string;
  /** The body in VS Code snippet syntax. */
  body: string;
}

export const SNIPPET_FRAMEWORKS: readonly SnippetFramework[] = ['pytorch', 'keras', 'tfjs'];

/** Languages each snippet file is contributed to (package.json contributes.snippets says the same). */
export const SNIPPET_LANGUAGES: Record<SnippetFramework, readonly string[]> = {
  pytorch: ['python'],
  keras: ['python'],
  tfjs: ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'],
};

interface SnippetFileEntry {
  prefix: string | string[];
  description?: string;
  body: string | string[];
}

/** Reads one framework's snippet file; throws with the file name when it is malformed. */
export function readSnippets(dir: string, framework: SnippetFramework): ModelSnippet[] {
  const file = path.join(dir, `${framework}.json`);
  const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, SnippetFileEntry>;
  return Object.entries(entries).map(([name, entry]) => {
    const prefix = Array.isArray(entry.prefix) ? entry.prefix[0] : entry.prefix;
    if (!prefix) throw new Error(`${file}: snippet "${name}" has no prefix`);
    return {
      framework,
      name,
      prefix,
      description: entry.description ?? name,
      body: Array.isArray(entry.body) ? entry.body.join('\n') : entry.body,
    };
  });
}

/**
 * The text a snippet inserts when every placeholder keeps its default: `${1:MLP}` → `MLP`, `${2|a,b|}` → `a`,
 * `$1`/`$0` → nothing, `\$` → `$`. Nested placeholders resolve from the inside out.
 */
export function resolveSnippetBody(body: string): string {
  // Escaped characters are set aside first so `\$5` is never read as a tab stop.
  const escaped: string[] = [];
  let text = body.replace(/\\([$}\\,|])/g, (_, character: string) => `\u0000${escaped.push(character) - 1}\u0000`);
  // Innermost first: a placeholder whose default holds no other placeholder.
  const placeholder = /\$\{\d+:([^${}]*)\}/;
  for (let match = placeholder.exec(text); match; match = placeholder.exec(text)) {
    text = text.slice(0, match.index) + match[1] + text.slice(match.index + match[0].length);
  }
  text = text.replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1');
  text = text.replace(/\$\{\d+\}|\$\d+/g, '');
  return text.replace(/\u0000(\d+)\u0000/g, (_, index: string) => escaped[Number(index)]!);
}
