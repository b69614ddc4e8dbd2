// Init calls made through the file's own helper functions: the helper is followed into its body with its
// parameters bound, and what it does in a way the reader cannot follow is an explicit init of unknown distribution.
import { strict as assert } from 'node:assert';
import type { Layer, Model } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';

const HEADER = 'import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

function model(text: string, name: string): Model {
  const found = parsePython(text).models.find((candidate) => candidate.name === name);
  assert.ok(found, `no model ${name}`);
  return found;
}

function layer(m: Model, name: string): Layer {
  const found = m.layers.find((candidate) => candidate.name === name);
  assert.ok(found, `no layer ${name} in ${m.name}`);
  return found;
}

function textOf(text: string, span: { start: number; end: number } | undefined): string | undefined {
  return span ? text.slice(span.start, span.end) : undefined;
}

describe('Python front end: PyTorch init helpers', () => {
  it('follows a local trunc_normal_ wrapper with its own default std (timm-style ViT)', () => {
    const text = `${HEADER}
def trunc_normal_(tensor, std=0.02):
    return nn.init.trunc_normal_(tensor, std=std, a=-2 * std, b=2 * std)


class ViT(nn.Module):
    def __init__(self, dim=384):
        super().__init__()
        self.pos_embed = nn.Parameter(torch.zeros(1, 197, dim))
        self.fc = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, 10)
        trunc_normal_(self.pos_embed)
        self.apply(self._init_weights)

    def _init_weights(self, m):
        if isinstance(m, nn.Linear):
            trunc_normal_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.head(F.gelu(self.fc(x + self.pos_embed)))
`;
    const vit = model(text, 'ViT');
    for (const name of ['fc', 'head']) {
      const init = layer(vit, name).init!;
      assert.equal(init.source, 'explicit');
      assert.deepEqual(init.dist, { family: 'normal', mean: 0, std: 0.02, truncated: true });
      assert.equal(init.name, 'trunc_normal_ → trunc_normal_(std=0.02, a=-0.04, b=0.04)');
      assert.equal(textOf(text, init.span), 'trunc_normal_(m.weight)');
    }
    const parameter = vit.parameters[0]!;
    assert.deepEqual(parameter.init?.dist, { family: 'normal', mean: 0, std: 0.02, truncated: true });
    assert.equal(textOf(text, parameter.init?.span), 'trunc_normal_(self.pos_embed)');
  });

  it("binds the call's arguments over the helper's defaults", () => {
    const text = `${HEADER}
def init_normal(w, std=1.0):
    nn.init.normal_(w, mean=0.0, std=std)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(64, 64)
        self.b = nn.Linear(64, 64)
        init_normal(self.a.weight, std=0.05)
        init_normal(self.b.weight)
`;
    const net = model(text, 'Net');
    assert.deepEqual(layer(net, 'a').init!.dist, { family: 'normal', mean: 0, std: 0.05 });
    assert.deepEqual(layer(net, 'b').init!.dist, { family: 'normal', mean: 0, std: 1 });
  });

  it('reads CleanRL layer_init: the module it returns keeps the init its call chose', () => {
    const text = `${HEADER}
def layer_init(layer, std=np.sqrt(2), bias_const=0.0):
    torch.nn.init.orthogonal_(layer.weight, std)
    torch.nn.init.constant_(layer.bias, bias_const)
    return layer


class Agent(nn.Module):
    def __init__(self, obs_dim, act_dim):
        super().__init__()
        self.actor = nn.Sequential(
            layer_init(nn.Linear(obs_dim, 64)),
            nn.Tanh(),
            layer_init(nn.Linear(64, act_dim), std=0.01),
        )
        self.value = nn.Linear(64, 1)
        layer_init(self.value, std=1.0)

    def forward(self, x):
        return self.actor(x)
`;
    const agent = model(text, 'Agent');
    assert.deepEqual(agent.layers.map((candidate) => candidate.name), ['actor.0', 'actor.1', 'actor.2', 'value']);
    const first = layer(agent, 'actor.0');
    assert.equal(textOf(text, first.span), 'nn.Linear(obs_dim, 64)');
    assert.deepEqual(first.init!.dist, { family: 'orthogonal', gain: Math.SQRT2 });
    assert.equal(first.init!.name, 'layer_init → orthogonal_(gain=1.414)');
    assert.equal(textOf(text, first.init!.span), 'layer_init(nn.Linear(obs_dim, 64))');
    assert.deepEqual(first.biasInit!.dist, { family: 'constant', value: 0 });
    assert.deepEqual(layer(agent, 'actor.2').init!.dist, { family: 'orthogonal', gain: 0.01 });
    assert.deepEqual(layer(agent, 'value').init!.dist, { family: 'orthogonal', gain: 1 });
    assert.deepEqual(agent.flow.map((node) => node.op), ['input', 'layer', 'layer', 'layer', 'output']);
  });

  it('keeps the init of a parameter a helper initialises and returns', () => {
    const text = `${HEADER}
def init_param(p, std=0.02):
    nn.init.normal_(p, std=std)
    return p


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = init_param(nn.Parameter(torch.randn(64, 64)))
`;
    const parameter = model(text, 'Net').parameters[0]!;
    assert.equal(parameter.name, 'w');
    assert.deepEqual(parameter.init?.dist, { family: 'normal', mean: 0, std: 0.02 });
  });

  it('follows a helper that calls another helper, and a bias written under `if bias is not None`', () => {
    const text = `${HEADER}
def trunc_normal_(tensor, std=0.02):
    return nn.init.trunc_normal_(tensor, std=std, a=-2 * std, b=2 * std)


def init_linear(m):
    trunc_normal_(m.weight)
    if m.bias is not None:
        nn.init.zeros_(m.bias)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(128, 128)
        init_linear(self.fc)
`;
    const fc = layer(model(text, 'Net'), 'fc');
    assert.deepEqual(fc.init!.dist, { family: 'normal', mean: 0, std: 0.02, truncated: true });
    assert.equal(fc.init!.name, 'init_linear → trunc_normal_ → trunc_normal_(std=0.02, a=-0.04, b=0.04)');
    assert.deepEqual(fc.biasInit!.dist, { family: 'constant', value: 0 });
    assert.equal(textOf(text, fc.init!.span), 'init_linear(self.fc)');
  });

  it('takes what a helper does in a way it cannot follow as an explicit init of unknown distribution', () => {
    const text = `${HEADER}
from .helpers import trunc_normal_


def scaled_normal_(w, scale):
    nn.init.normal_(w)
    w.data.mul_(scale)


def custom_init(m):
    if m.in_features > 256:
        nn.init.normal_(m.weight, std=0.01)
    else:
        nn.init.normal_(m.weight)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(512, 512)
        self.b = nn.Linear(512, 512)
        self.c = nn.Linear(512, 512)
        scaled_normal_(self.a.weight, 0.02)
        custom_init(self.b)
        trunc_normal_(self.c.weight)
`;
    const net = model(text, 'Net');
    for (const [name, written] of [
      ['a', 'scaled_normal_(self.a.weight, 0.02)'],
      ['b', 'custom_init(self.b)'],
      ['c', 'trunc_normal_(self.c.weight)'],
    ] as const) {
      const init = layer(net, name).init!;
      assert.equal(init.source, 'explicit', name);
      assert.deepEqual(init.dist, { family: 'unknown' }, name);
      assert.equal(textOf(text, init.span), written);
    }
  });

  it('still reads torch.nn.init.trunc_normal_ imported by name, and timm\'s', () => {
    const text = `${HEADER}
from torch.nn.init import trunc_normal_
from timm.layers import trunc_normal_ as timm_trunc_normal_


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(64, 64)
        self.b = nn.Linear(64, 64)
        trunc_normal_(self.a.weight)
        timm_trunc_normal_(self.b.weight, std=0.02)
`;
    const net = model(text, 'Net');
    assert.deepEqual(layer(net, 'a').init!.dist, { family: 'normal', mean: 0, std: 1, truncated: true });
    // Bounds of ±2 cut nothing at std 0.02.
    assert.deepEqual(layer(net, 'b').init!.dist, { family: 'normal', mean: 0, std: 0.02 });
  });
});
