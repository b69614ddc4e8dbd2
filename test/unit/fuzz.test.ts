import { strict as assert } from 'node:assert';
import { generateCases, runCase } from '../fuzz/harness';
import { loadSeeds } from '../fuzz/seeds';

describe('fuzzing the analysers (fixed seed, short run)', function () {
  // About three minutes on two cores; the budget leaves room for a loaded machine.
  this.timeout(1_200_000);

  it('generates the same cases for the same seed', () => {
    const seeds = [{ name: 'a.py', kind: 'python' as const, text: 'import torch.nn as nn\nx = nn.Linear(2, 3)\n' }];
    const first = [...generateCases(seeds, 50, 7)].map((fuzzCase) => fuzzCase.text);
    const second = [...generateCases(seeds, 50, 7)].map((fuzzCase) => fuzzCase.text);
    assert.deepEqual(first, second);
  });

  it('holds every invariant on 2,000 mutated corpus files', () => {
    const seeds = loadSeeds();
    assert.ok(seeds.length > 0, 'no corpus files to mutate');
    const failures: string[] = [];
    for (const fuzzCase of generateCases(seeds, 2000, 20261124)) {
      const result = runCase(fuzzCase);
      if (result.problems.length > 0) failures.push(`${fuzzCase.seed} (${fuzzCase.mutation}): ${result.problems.join('; ')}`);
    }
    assert.deepEqual(failures.slice(0, 10), []);
  });
});
