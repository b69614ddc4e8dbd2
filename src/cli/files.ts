import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAnalyzable } from '../core/analyze';

// Folders that hold dependencies, caches or build output rather than the user's own model code.
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.ipynb_checkpoints',
  'dist',
  'build',
  'site-packages',
]);

export interface CollectedFiles {
  files: string[];
  problems: { path: string; message: string }[];
}

/**
 * Expands the given paths into analysable files. Explicit files are taken whatever their name;
 * folders are walked without following symbolic links, so the walk never leaves the given paths.
 */
export function collectFiles(targets: string[]): CollectedFiles {
  const files: string[] = [];
  const problems: CollectedFiles['problems'] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const resolved = path.resolve(file);
    if (!seen.has(resolved)) {
      seen.add(resolved);
      files.push(file);
    }
  };
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, message: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile() && isAnalyzable(full)) {
        add(full);
      }
    }
  };
  for (const target of targets) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch (error) {
      problems.push({ path: target, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      continue;
    }
    if (stat.isDirectory()) walk(target);
    else add(target);
  }
  return { files, problems };
}
