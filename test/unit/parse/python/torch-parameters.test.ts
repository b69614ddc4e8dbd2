// Custom nn.Parameter tensors read from forward(): which are weights of a product, with the fan-in their shape
// gives, and which are tables, scales or offsets.
import { strict as assert } from 'node:assert';
import type { CustomParameter, Model } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';

const HEADER = 'import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function model(text: string, name: string): Model {
  const found = parsePython(text).models.find((candidate) => candidate.name === name);
  assert.ok(found, `no model ${name}`);
  return found;
}

function uses(m: Model): [string, CustomParameter['usedAsWeight'], number | null | undefined][] {
  return m.parameters.map((parameter) => [parameter.name, parameter.usedAsWeight, parameter.fanIn]);
}

describe('Python front end: PyTorch custom parameters in forward()', () => {
  it('reads the size of a tensor through the methods applied to it, and only from the size arguments', () => {
    const net = model(`${HEADER}class Net(nn.Module):
    def __init__(self, d=16, lr_mul=0.01):
        super().__init__()
        self.scaled = nn.Parameter(torch.randn(d, 2 * d).div_(lr_mul))
        self.filled = nn.Parameter(torch.empty(d).normal_(0, 0.02))
        self.gamma = nn.Parameter(torch.full((d,), 0.5))
        self.moved = nn.Parameter(torch.zeros(3, d).float())
`, 'Net');
    assert.deepEqual(net.parameters.map((parameter) => [parameter.name, parameter.creator, parameter.scaled, parameter.initialized, parameter.shape]), [
      ['scaled', 'randn', true, true, [16, 32]],
      ['filled', 'other', false, true, [16]],
      ['gamma', 'full', false, true, [16]],
      ['moved', 'zeros', false, true, [3, 16]],
    ]);
    // Before, the divisor was read as the size of the first: 0.01 parameters.
    assert.equal(net.parameterCount, 16 * 32 + 16 + 16 + 3 * 16);
    const other = model(`${HEADER}class Other(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = nn.Parameter(torch.randn(4).pow(2))\n`, 'Other');
    assert.deepEqual(other.parameters.map((parameter) => parameter.shape), [null]);
    assert.equal(other.parameterCount, null);
  });

  it('reads the size of a layer scale written scale first, of given values and of an identity', () => {
    const net = model(`${HEADER}class Net(nn.Module):
    def __init__(self, dim=128, init_values=1e-5):
        super().__init__()
        self.gamma = nn.Parameter(init_values * torch.ones(dim))
        self.temperature = nn.Parameter(torch.tensor(0.07))
        self.table = nn.Parameter(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
        self.mix = nn.Parameter(torch.eye(16))
`, 'Net');
    assert.deepEqual(net.parameters.map((parameter) => [parameter.name, parameter.shape, parameter.scaled]), [
      ['gamma', [128], true],
      ['temperature', [], false],
      ['table', [2, 3], false],
      ['mix', [16, 16], false],
    ]);
    // Before, the count was unknown.
    assert.equal(net.parameterCount, 128 + 1 + 6 + 256);
  });

  it('gives the fan-in of each kind of product from the weight shape and side', () => {
    const text = `${HEADER}
class Products(nn.Module):
    def __init__(self):
        super().__init__()
        self.right = nn.Parameter(torch.randn(64, 32))
        self.left = nn.Parameter(torch.randn(16, 32))
        self.linear = nn.Parameter(torch.randn(10, 16))
        self.conv = nn.Parameter(torch.randn(8, 4, 3, 3))
        self.mixed = nn.Parameter(torch.randn(4, 8, 8))
        self.transposed = nn.Parameter(torch.randn(5, 10))

    def forward(self, x, image):
        h = torch.matmul(x, self.right)
        h = (self.left @ h.T).T
        h = F.linear(h, self.linear)
        c = F.conv2d(image, self.conv)
        m = torch.einsum("bhd,hde->bhe", c, self.mixed)
        return h.mm(self.transposed.t()), m
`;
    assert.deepEqual(uses(model(text, 'Products')), [
      ['right', true, 64],
      ['left', true, 32],
      ['linear', true, 16],
      ['conv', true, 36],
      ['mixed', true, 8],
      ['transposed', true, 10],
    ]);
  });

  it('follows a parameter through a local name and a method forward() calls', () => {
    const text = `${HEADER}
class Projected(nn.Module):
    def __init__(self, d=128):
        super().__init__()
        self.proj = nn.Parameter(torch.randn(d, d))

    def project(self, x, w):
        return x @ w

    def forward(self, x):
        w = self.proj
        return self.project(x, w)
`;
    assert.deepEqual(uses(model(text, 'Projected')), [['proj', true, 128]]);
  });

  it('leaves offsets, element-wise scales, scaled products and frozen projections unmarked, and tables false', () => {
    const text = `${HEADER}
class Others(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.bias = nn.Parameter(torch.randn(d))
        self.gamma = nn.Parameter(torch.randn(d))
        self.mix = nn.Parameter(torch.randn(d))
        self.query = nn.Parameter(torch.randn(1, d))
        self.features = nn.Parameter(torch.randn(d, 16), requires_grad=False)
        self.codebook = nn.Parameter(torch.randn(512, d))

    def forward(self, x, idx):
        x = x * self.gamma + self.bias
        x = torch.einsum("bd,d->bd", x, self.mix)
        scores = (self.query @ x.T) / math.sqrt(64)
        f = x @ self.features
        codes = self.codebook[idx]
        return scores, f, codes, x @ self.codebook.T
`;
    assert.deepEqual(uses(model(text, 'Others')), [
      ['bias', null, undefined],
      ['gamma', null, undefined],
      ['mix', null, undefined],
      ['query', null, undefined],
      ['features', null, undefined],
      ['codebook', false, undefined],
    ]);
  });
});
