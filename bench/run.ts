// Runs every benchmark script in this folder, one after the other, in this process.
import * as fs from 'node:fs';
import * as path from 'node:path';

const order = ['analysis.ts', 'probe.ts'];
for (const name of order) {
  if (!fs.existsSync(path.join(__dirname, name))) continue;
  console.log(`\n== ${name} ==`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(`./${name}`);
}
