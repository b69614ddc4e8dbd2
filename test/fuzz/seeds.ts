import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceKindOf } from '../../src/core/analyze';
import type { Seed } from './harness';

const ROOTS = ['test/corpus', 'examples'].map((dir) => path.join(__dirname, '../..', dir));

/** The regression corpus and the examples: realistic files to mutate. */
export function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const kind = sourceKindOf(full);
        if (kind) seeds.push({ name: path.relative(path.join(__dirname, '../..'), full), kind, text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  ROOTS.forEach(walk);
  return seeds;
}
