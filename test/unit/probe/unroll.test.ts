import { strict as assert } from 'node:assert';
import { parsePython } from '../../../src/core/parse/python';
import { unrollRepeats } from '../../../src/core/probe/build';

describe('probe: repeated layers', () => {
  it('gives each application of a ModuleList comprehension its own layer (own weights)', () => {
    const [model] = parsePython(`import torch.nn as nn
import torch.nn.functional as F

class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(16, 16) for _ in range(5)])

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return x
`).models;
    assert.equal(model!.layers.length, 1);
    const unrolled = unrollRepeats(model!);
    const applied = unrolled.flow.filter((node) => node.op === 'layer').map((node) => node.layer);
    assert.deepEqual(applied, [0, 1, 2, 3, 4]);
    assert.ok(unrolled.layers.every((layer) => layer.repeat === 1 && layer.in === 16 && layer.out === 16));
    assert.equal(unrolled.layers.reduce((sum, layer) => sum + layer.params!, 0), 5 * (16 * 16 + 16));
    assert.equal(model!.layers[0]!.repeat, 5, 'the declared model is not changed');
  });
});
