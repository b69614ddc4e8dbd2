import { strict as assert } from 'node:assert';
import type { Model } from '../../../src/core/ir/types';
import { parsePython } from '../../../src/core/parse/python';
import { isSubmodule, isTrainedInFile } from '../../../src/core/rules/queries';

const BLOCKS = `import torch
from torch import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return self.fc(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.block(x))


class Lonely(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x)


net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
`;

function named(models: readonly Model[], name: string): Model[] {
  return models.filter((model) => model.name === name);
}

describe('rule queries on the models of a file', () => {
  it('tells submodules from whole models', () => {
    const program = parsePython(BLOCKS);
    assert.ok(isSubmodule(program, named(program.models, 'Block')[0]!));
    assert.ok(!isSubmodule(program, named(program.models, 'Net')[0]!));
    assert.ok(!isSubmodule(program, named(program.models, 'Lonely')[0]!));
  });

  it('tells which models the file trains', () => {
    const program = parsePython(BLOCKS);
    assert.ok(isTrainedInFile(program, named(program.models, 'Net')[0]!));
    assert.ok(!isTrainedInFile(program, named(program.models, 'Lonely')[0]!));
    assert.ok(!isTrainedInFile(program, named(program.models, 'Block')[0]!));
  });

  it('does not count a model that names itself in its layers as its own submodule', () => {
    const program = parsePython(`from torch import nn

class Tree(nn.Module):
    def __init__(self):
        super().__init__()
        self.child = Tree()
`);
    assert.equal(program.models.length, 1);
    assert.equal(program.models[0]!.layers[0]?.ref, 'Tree');
    assert.ok(!isSubmodule(program, program.models[0]!));
  });
});
