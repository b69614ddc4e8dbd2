import { strict as assert } from 'node:assert';
import { analyzeText } from '../../../../src/core/analyze';
import { defaultConfig } from '../../../../src/core/config';
import { nonTrainableCount } from '../../../../src/core/ir/non-trainable';
import type { Model, Program } from '../../../../src/core/ir/types';
import { parsePython } from '../../../../src/core/parse/python';

function program(text: string): Program {
  return parsePython(text);
}

function model(text: string, name: string): Model {
  const found = program(text).models.find((candidate) => candidate.name === name);
  assert.ok(found, `no model ${name}`);
  return found;
}

/** The flow as `op:detail` strings, following only the nodes' order (enough for chains). */
function flowOps(m: Model): string[] {
  return m.flow.map((node) => {
    if (node.op === 'layer') return `layer:${m.layers[node.layer!]!.name}`;
    if (node.op === 'activation') return `activation:${node.activation}`;
    if (node.op === 'opaque') return `opaque:${node.label}`;
    return node.op;
  });
}

const HEADER = 'import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('Python front end: PyTorch', () => {
  it('reads an MLP with sizes, parameter counts and PyTorch default init', () => {
    const m = model(
      `${HEADER}
HIDDEN = 256

class MLP(nn.Module):
    def __init__(self, d_in=784, hidden=HIDDEN, n_classes=10):
        super().__init__()
        self.fc1 = nn.Linear(d_in, hidden)
        self.fc2 = nn.Linear(hidden, hidden, bias=False)
        self.head = nn.Linear(hidden, n_classes)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return self.head(x)
`,
      'MLP',
    );
    assert.deepEqual(m.layers.map((layer) => [layer.name, layer.in, layer.out, layer.params]), [
      ['fc1', 784, 256, 784 * 256 + 256],
      ['fc2', 256, 256, 256 * 256],
      ['head', 256, 10, 256 * 10 + 10],
    ]);
    assert.equal(m.parameterCount, 784 * 256 + 256 + 256 * 256 + 2570);
    const init = m.layers[0]!.init!;
    assert.equal(init.source, 'default');
    assert.deepEqual(init.dist, { family: 'variance_scaling', scale: 1 / 3, mode: 'fan_in', distribution: 'uniform' });
    const bound = 1 / Math.sqrt(784);
    assert.deepEqual(m.layers[0]!.biasInit!.dist, { family: 'uniform', low: -bound, high: bound });
    assert.equal(m.layers[1]!.biasInit, undefined);
    assert.deepEqual(flowOps(m), ['input', 'layer:fc1', 'activation:relu', 'layer:fc2', 'activation:tanh', 'layer:head', 'output']);
    assert.equal(m.flowKnown, true);
  });

  it('gives exact spans for layers, callees and arguments', () => {
    const text = `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 8, bias=False)\n`;
    const [layer] = model(text, 'Net').layers;
    assert.equal(text.slice(layer!.span.start, layer!.span.end), 'nn.Linear(4, 8, bias=False)');
    assert.equal(text.slice(layer!.calleeSpan.start, layer!.calleeSpan.end), 'nn.Linear');
    assert.equal(text.slice(layer!.argsSpan!.start, layer!.argsSpan!.end), '4, 8, bias=False');
    const bias = layer!.args.find((arg) => arg.name === 'bias')!;
    assert.equal(text.slice(bias.span.start, bias.span.end), 'bias=False');
    assert.equal(text.slice(bias.valueSpan.start, bias.valueSpan.end), 'False');
  });

  it('counts convolution, normalization, embedding and recurrent parameters by hand arithmetic', () => {
    const m = model(
      `${HEADER}
class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 64, kernel_size=3, padding=1)
        self.depthwise = nn.Conv2d(64, 64, 3, groups=64, bias=False)
        self.bn = nn.BatchNorm2d(64)
        self.ln = nn.LayerNorm((16, 32))
        self.gn = nn.GroupNorm(8, 64)
        self.emb = nn.Embedding(1000, 32)
        self.lstm = nn.LSTM(32, 64, num_layers=2, bidirectional=True)
        self.gru = nn.GRU(10, 20, bias=False)
        self.attn = nn.MultiheadAttention(128, 8)
        self.deconv = nn.ConvTranspose2d(64, 32, 4, stride=2)
        self.prelu = nn.PReLU()
`,
      'Mixed',
    );
    const params = Object.fromEntries(m.layers.map((layer) => [layer.name, layer.params]));
    assert.equal(params['conv'], 3 * 64 * 9 + 64);
    assert.equal(params['depthwise'], (64 / 64) * 64 * 9);
    assert.equal(params['bn'], 128);
    assert.equal(params['ln'], 2 * 16 * 32);
    assert.equal(params['gn'], 128);
    assert.equal(params['emb'], 32000);
    // Layer 1: 2 directions × 4 gates × (64·32 + 64·64 + 2·64); layer 2 reads both directions (128 features).
    assert.equal(params['lstm'], 2 * 4 * (64 * 32 + 64 * 64 + 128) + 2 * 4 * (64 * 128 + 64 * 64 + 128));
    assert.equal(params['gru'], 3 * (20 * 10 + 20 * 20));
    assert.equal(params['attn'], 4 * 128 * 128 + 4 * 128);
    assert.equal(params['deconv'], 64 * 32 * 16 + 32);
    assert.equal(params['prelu'], 1);
    const lstm = m.layers.find((layer) => layer.name === 'lstm')!;
    assert.equal(lstm.out, 128);
    assert.equal(m.layers.find((layer) => layer.name === 'emb')!.init!.dist.family, 'normal');
  });

  it('reads nested and OrderedDict Sequentials, ModuleList comprehensions and ModuleDict', () => {
    const text = `${HEADER}from collections import OrderedDict

class Net(nn.Module):
    def __init__(self, depth=3):
        super().__init__()
        self.stem = nn.Sequential(OrderedDict([('conv', nn.Conv2d(3, 16, 3)), ('act', nn.ReLU())]))
        self.blocks = nn.ModuleList([nn.Linear(16, 16) for _ in range(depth)])
        self.heads = nn.ModuleDict({'cls': nn.Linear(16, 10), 'box': nn.Linear(16, 4)})

    def forward(self, x):
        x = self.stem(x)
        x = torch.flatten(x, 1)
        for block in self.blocks:
            x = F.gelu(block(x))
        return self.heads['cls'](x)
`;
    const m = model(text, 'Net');
    const names = m.layers.map((layer) => layer.name);
    assert.ok(names.includes('stem.conv') && names.includes('stem.act') && names.includes('heads.cls'));
    const blocks = m.layers.find((layer) => layer.name === 'blocks[*]')!;
    assert.equal(blocks.repeat, 3);
    assert.equal(m.parameterCount, 3 * 16 * 9 + 16 + 3 * (16 * 16 + 16) + (16 * 10 + 10) + (16 * 4 + 4));
    assert.deepEqual(flowOps(m), [
      'input', 'layer:stem.conv', 'layer:stem.act', 'flatten',
      'layer:blocks[*]', 'activation:gelu', 'layer:blocks[*]', 'activation:gelu', 'layer:blocks[*]', 'activation:gelu',
      'layer:heads.cls', 'output',
    ]);
  });

  it('follows residual adds, gates and attention without inventing adjacency', () => {
    const text = `${HEADER}
class SE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Conv2d(c, c // 4, 1)
        self.fc2 = nn.Conv2d(c // 4, c, 1)

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        s = F.relu(self.fc1(s))
        return x * torch.sigmoid(self.fc2(s))

class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        q, k, v = self.qkv(self.ln(x)).chunk(3, dim=-1)
        y = F.scaled_dot_product_attention(q, k, v)
        x = x + self.proj(y)
        return x
`;
    const se = model(text, 'SE');
    const mul = se.flow.find((node) => node.op === 'mul')!;
    assert.equal(mul.inputs.length, 2);
    const block = model(text, 'Block');
    const proj = block.flow.find((node) => node.op === 'layer' && block.layers[node.layer!]!.name === 'proj')!;
    const feeding = block.flow[proj.inputs[0]!]!;
    assert.equal(feeding.op, 'opaque');
    const add = block.flow.find((node) => node.op === 'add')!;
    assert.deepEqual(add.inputs.map((id) => block.flow[id]!.op).sort(), ['input', 'layer']);
  });

  it('reads explicit init: nn.init calls, apply() with isinstance branches, modules() loops', () => {
    const text = `${HEADER}
class VGGish(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 2)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)

class Applied(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.out = nn.Linear(8, 2)
        self.apply(self._init_weights)
        nn.init.zeros_(self.out.weight)

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.xavier_uniform_(module.weight, gain=nn.init.calculate_gain('tanh'))
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
`;
    const vgg = model(text, 'VGGish');
    const conv = vgg.layers.find((layer) => layer.name === 'conv')!;
    assert.deepEqual(conv.init!.dist, { family: 'variance_scaling', scale: 2, mode: 'fan_out', distribution: 'normal' });
    assert.equal(conv.init!.source, 'explicit');
    assert.equal(conv.init!.nonlinearity, 'relu');
    assert.deepEqual(vgg.layers.find((layer) => layer.name === 'fc')!.init!.dist, { family: 'normal', mean: 0, std: 0.01 });
    assert.deepEqual(vgg.layers.find((layer) => layer.name === 'bn')!.init!.dist, { family: 'constant', value: 1 });
    const applied = model(text, 'Applied');
    assert.equal(applied.layers.find((layer) => layer.name === 'fc')!.init!.dist.family, 'variance_scaling');
    assert.deepEqual(applied.layers.find((layer) => layer.name === 'out')!.init!.dist, { family: 'constant', value: 0 });
    assert.deepEqual(applied.layers.find((layer) => layer.name === 'fc')!.biasInit!.dist, { family: 'constant', value: 0 });
  });

  it('resolves @dataclass config defaults and submodule parameter counts (nanoGPT style)', () => {
    const text = `${HEADER}from dataclasses import dataclass

@dataclass
class Config:
    n_embd: int = 64
    n_layer: int = 2
    vocab_size: int = 100

class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))

class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.h = nn.ModuleList([MLP(config) for _ in range(config.n_layer)])

    def forward(self, idx):
        x = self.wte(idx)
        for block in self.h:
            x = x + block(x)
        return x
`;
    const mlpParams = 64 * 256 + 256 + 256 * 64 + 64;
    assert.equal(model(text, 'MLP').parameterCount, mlpParams);
    const gpt = model(text, 'GPT');
    assert.equal(gpt.parameterCount, 100 * 64 + 2 * mlpParams);
    assert.equal(gpt.layers.find((layer) => layer.ref === 'MLP')!.repeat, 2);
  });

  it('reads augmented assignments to sizes (`c *= 2`) in __init__, in a loop it unrolls too', () => {
    const built = model(
      `${HEADER}
class Widening(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3)
        c = width
        c *= 2
        self.wide = nn.Conv2d(width, c, 3)
        blocks = []
        for _ in range(2):
            blocks.append(nn.Conv2d(c, c * 2, 3))
            c *= 2
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(c, 10)

    def forward(self, x):
        x = self.blocks(F.relu(self.wide(F.relu(self.stem(x)))))
        return self.head(x.mean((2, 3)))
`,
      'Widening',
    );
    assert.deepEqual(
      built.layers.map((layer) => [layer.in, layer.out, layer.params]),
      [
        [3, 16, 3 * 16 * 9 + 16],
        [16, 32, 16 * 32 * 9 + 32],
        [32, 64, 32 * 64 * 9 + 64],
        [64, 128, 64 * 128 * 9 + 128],
        [128, 10, 128 * 10 + 10],
      ],
    );
  });

  it('sizes a submodule built with other arguments than its defaults by reading its class again with them', () => {
    const text = `${HEADER}class TNet(nn.Module):
    def __init__(self, k=3):
        super().__init__()
        self.fc = nn.Linear(k, k * k)

class Fire(nn.Module):
    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.expand = nn.Conv2d(squeeze, expand, 3, padding=1)

class Block(nn.Module):
    def __init__(self, cin, cout, reps=2):
        super().__init__()
        layers = []
        filters = cin
        for i in range(reps):
            layers.append(nn.Conv2d(filters, cout, 3, padding=1, bias=False))
            layers.append(nn.BatchNorm2d(cout))
            filters = cout
        self.rep = nn.Sequential(*layers)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_tnet = TNet()
        self.feature_tnet = TNet(k=64)
        self.fire = Fire(96, 16, 64)
        self.block = Block(64, 128)
        self.deep = Block(64, 128, reps=3)
`;
    const net = model(text, 'Net');
    const tnet = (k: number) => k * k * k + k * k;
    const fire = 96 * 16 + 16 + (9 * 16 * 64 + 64);
    // Each iteration reads the channels the one before left: 64→128, then 128→128.
    const block = 9 * 64 * 128 + 2 * 128 + (9 * 128 * 128 + 2 * 128);
    const deep = block + (9 * 128 * 128 + 2 * 128);
    assert.deepEqual(net.layers.map((layer) => [layer.name, layer.params]), [
      ['input_tnet', tnet(3)],
      ['feature_tnet', tnet(64)],
      ['fire', fire],
      ['block', block],
      ['deep', deep],
    ]);
    assert.equal(net.parameterCount, tnet(3) + tnet(64) + fire + block + deep);
    // The class's own model keeps its defaults.
    assert.equal(model(text, 'TNet').parameterCount, tnet(3));
    assert.equal(model(text, 'Block').parameterCount, null);
  });

  it('reads *lists in a Sequential, generator arguments of ModuleList and list helpers, and leaves what it cannot read unknown', () => {
    const text = `${HEADER}from torch.nn.utils import weight_norm


def block(cin, cout):
    return [nn.Linear(cin, cout), nn.ReLU()]


class Net(nn.Module):
    def __init__(self, d=16, depth=4):
        super().__init__()
        self.stack = nn.Sequential(nn.Linear(8, d), *[nn.Linear(d, d) for _ in range(depth)], nn.Linear(d, 2))
        self.listed = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d)) for _ in range(depth))
        self.gan = nn.Sequential(*block(8, 16), *block(16, 32), nn.Linear(32, 4))
        self.scalar_norm = weight_norm(nn.Linear(8, 2), dim=None)


class Opaque(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.features = nn.Sequential(*make_stages(cfg), nn.Linear(8, 2))
`;
    const net = model(text, 'Net');
    const stack = 8 * 16 + 16 + 4 * (16 * 16 + 16) + (16 * 2 + 2);
    const listed = 4 * (2 * 16 + 16 * 16 + 16);
    const gan = 8 * 16 + 16 + (16 * 32 + 32) + (32 * 4 + 4);
    // weight_norm with dim=None keeps one magnitude for the whole weight.
    const scalarNorm = 8 * 2 + 2 + 1;
    assert.equal(net.parameterCount, stack + listed + gan + scalarNorm);
    // Before, the *list and the generator were dropped: the model showed the layers around them only.
    assert.equal(model(text, 'Opaque').parameterCount, null);
    assert.deepEqual(model(text, 'Opaque').layers.map((layer) => layer.kind), ['unknown', 'linear']);
  });

  it('counts weight norm magnitudes along the axis of the weight they norm: inputs for a ConvTranspose, any dim of a Conv', () => {
    const text = `${HEADER}from torch.nn.utils import weight_norm


class Vocoder(nn.Module):
    def __init__(self, dim=256, kernel_size=128, groups=16):
        super().__init__()
        self.up = weight_norm(nn.ConvTranspose1d(128, 64, 16, stride=8, padding=4))
        self.pos = weight_norm(nn.Conv1d(dim, dim, kernel_size, padding=kernel_size // 2, groups=groups), name="weight", dim=2)
        self.last = nn.utils.weight_norm(nn.Conv1d(32, 8, 3), dim=-1)
        self.per_input = weight_norm(nn.Linear(12, 4), dim=1)
        self.bias_norm = weight_norm(nn.Linear(12, 4), name="bias")
`;
    const layers = new Map(model(text, 'Vocoder').layers.map((layer) => [layer.name, layer.params]));
    // A ConvTranspose1d(128, 64, 16) weight is (128, 64, 16): dim 0 keeps one magnitude per input channel.
    assert.equal(layers.get('up'), 128 * 64 * 16 + 128 + 64);
    // Conv1d(256, 256, 128, groups=16): weight (256, 16, 128), dim=2 gives one magnitude per kernel tap.
    assert.equal(layers.get('pos'), 256 * 16 * 128 + 128 + 256);
    assert.equal(layers.get('last'), 32 * 8 * 3 + 3 + 8);
    // Linear(12, 4): weight (4, 12), dim=1 gives one per input.
    assert.equal(layers.get('per_input'), 12 * 4 + 12 + 4);
    // Another tensor than the weight is not one this reads the shape of.
    assert.equal(layers.get('bias_norm'), null);
  });

  it('does not claim which init a layer got when a loop over modules picks layers by something else than their type', () => {
    const net = model(`${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        final_conv = nn.Conv2d(64, 10, 1)
        self.stem = nn.Conv2d(3, 64, 3)
        self.head = nn.Sequential(final_conv, nn.ReLU())
        self.fc = nn.Linear(10, 10)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                if m is final_conv:
                    nn.init.normal_(m.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
`, 'Net');
    const convs = net.layers.filter((layer) => layer.kind === 'conv2d');
    for (const conv of convs) {
      assert.deepEqual(conv.init!.dist, { family: 'unknown' });
      assert.equal(conv.init!.name, 'normal_(mean=0.0, std=0.01) or kaiming_uniform_()');
      // A guard on the bias only leaves out layers without one: that init is certain.
      assert.deepEqual(conv.biasInit!.dist, { family: 'constant', value: 0 });
    }
    assert.equal(net.layers.find((layer) => layer.kind === 'linear')!.init!.dist.family, 'variance_scaling');
  });

  it('counts the layers a base class of the file builds, and follows the init methods it inherits', () => {
    const text = `${HEADER}class Base(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.fc = nn.Linear(d, d)


class Child(Base):
    def __init__(self):
        super().__init__(16)
        self.head = nn.Linear(16, 2)


class Explicit(Base):
    def __init__(self):
        Base.__init__(self, d=4)


class Same(Base):
    pass


class PreTrained(nn.Module):
    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")

    def post_init(self):
        self.apply(self._init_weights)


class Deep(PreTrained):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.post_init()
`;
    // Before, Child showed only its head: 34 parameters.
    assert.equal(model(text, 'Child').parameterCount, 16 * 16 + 16 + (16 * 2 + 2));
    assert.equal(model(text, 'Explicit').parameterCount, 4 * 4 + 4);
    assert.equal(model(text, 'Same').parameterCount, 8 * 8 + 8);
    // A base without __init__ of its own builds nothing: it is no layer of the model.
    const deep = model(text, 'Deep');
    assert.deepEqual(deep.layers.map((layer) => layer.kind), ['linear']);
    assert.equal(deep.layers[0]!.init!.name, 'kaiming_normal_(nonlinearity="relu")');
  });

  it('builds the branch of an if that runs when its condition is known, and leaves the size unknown when it is not', () => {
    const text = `${HEADER}class Block(nn.Module):
    def __init__(self, w_in, w_out, stride=1, norm=None):
        super().__init__()
        self.conv = nn.Conv2d(w_in, w_out, 3, stride=stride, padding=1, bias=False)
        if norm is None:
            self.norm = nn.BatchNorm2d(w_out)
        self.proj = None
        if w_in != w_out or stride != 1:
            self.proj = nn.Conv2d(w_in, w_out, 1, stride=stride, bias=False)
        elif w_in > 512:
            self.big = nn.Linear(1, 1)
        else:
            self.identity = nn.Identity()


class Net(nn.Module):
    def __init__(self, aux=False):
        super().__init__()
        self.same = Block(16, 16)
        self.down = Block(16, 32, stride=2 if aux else 1)
        self.head = nn.Linear(32, 10)
        if aux:
            self.aux = nn.Linear(32, 10)
        self.mystery = Block(16, 16, norm=object())
`;
    const net = model(text, 'Net');
    const block = (cin: number, cout: number) => 9 * cin * cout + 2 * cout + (cin === cout ? 0 : cin * cout);
    assert.deepEqual(net.layers.slice(0, 3).map((layer) => [layer.name, layer.params]), [
      ['same', block(16, 16)],
      ['down', block(16, 32)],
      ['head', 32 * 10 + 10],
    ]);
    // `norm=object()` cannot be read, so whether the block has its BatchNorm is not known.
    assert.equal(net.layers.find((layer) => layer.name === 'mystery')!.params, null);
    // With the class's own unknown sizes its branches may or may not run.
    const own = model(text, 'Block');
    assert.equal(own.layers.find((layer) => layer.name === 'proj')!.repeat, null);
    assert.equal(own.parameterCount, null);
  });

  it('counts loops over known lists, enumerate and zip, and modules added by name at run time', () => {
    const text = `${HEADER}WIDTHS = (16, 32, 64)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList()
        for c in [16, 32, 64]:
            self.blocks.append(nn.Conv2d(c, c, 3))
        self.features = nn.Sequential()
        for i, (cin, cout) in enumerate(zip((3,) + WIDTHS[:-1], WIDTHS)):
            self.features.add_module("conv%d" % i, nn.Conv2d(cin, cout, 3))
        for i in range(2):
            setattr(self, f"head{i}", nn.Linear(64, 10))
        self.heads = nn.ModuleDict({name: nn.Linear(8, 10) for name in ["a", "b", "c"]})
        self.unknown = nn.ModuleList()
        while len(self.unknown) < 3:
            self.unknown.append(nn.Linear(8, 8))
`;
    const net = model(text, 'Net');
    const conv = (cin: number, cout: number) => 9 * cin * cout + cout;
    const blocks = conv(16, 16) + conv(32, 32) + conv(64, 64);
    assert.equal(net.layers.filter((layer) => layer.name?.startsWith('blocks.')).reduce((sum, layer) => sum + layer.params!, 0), blocks);
    const features = conv(3, 16) + conv(16, 32) + conv(32, 64);
    const sumOf = (prefix: string) => net.layers.filter((layer) => layer.name?.startsWith(prefix)).reduce((sum, layer) => sum + layer.params! * (layer.repeat ?? 1), 0);
    assert.equal(sumOf('features.'), features);
    assert.equal(sumOf('f"head'), 2 * (64 * 10 + 10));
    // Before, the dict comprehension held nothing, and the while loop's layers counted 0 times.
    assert.equal(sumOf('heads'), 3 * (8 * 10 + 10));
    assert.equal(net.layers.find((layer) => layer.name?.startsWith('unknown'))!.repeat, null);
    assert.equal(net.parameterCount, null);
  });

  it('counts transformer layers, and the copies nn.TransformerEncoder and nn.TransformerDecoder hold', () => {
    const text = `${HEADER}class Seq2Seq(nn.Module):
    def __init__(self, d=256, layers=4):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d, 4, dim_feedforward=4 * d, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=layers)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(512, 8), 6, norm=nn.LayerNorm(512))
        self.lean = nn.TransformerEncoderLayer(64, 2, 128, bias=False)
`;
    const net = model(text, 'Seq2Seq');
    // Attention 4·d² + 4·d, feed-forward d·ff + ff + ff·d + d, a LayerNorm of 2·d after each.
    const encoderLayer = 4 * 256 * 256 + 4 * 256 + (256 * 1024 + 1024 + 1024 * 256 + 256) + 2 * (2 * 256);
    assert.equal(encoderLayer, 789760);
    // The Transformer base decoder layer: self- and cross-attention, 2048 wide, three LayerNorms: about 4.2 M.
    const decoderLayer = 2 * (4 * 512 * 512 + 4 * 512) + (512 * 2048 + 2048 + 2048 * 512 + 512) + 3 * (2 * 512);
    assert.equal(decoderLayer, 4204032);
    const lean = 4 * 64 * 64 + 2 * 64 * 128 + 2 * 64;
    assert.deepEqual(net.layers.map((layer) => [layer.name, layer.params, layer.repeat]), [
      ['encoder.layers[*]', encoderLayer, 4],
      ['decoder.layers[*]', decoderLayer, 6],
      ['decoder.norm', 2 * 512, undefined],
      ['lean', lean, undefined],
    ]);
    assert.equal(net.parameterCount, 4 * encoderLayer + 6 * decoderLayer + 1024 + lean);
  });

  it('unpacks tuple assignments, counts nested comprehensions, registered parameters and attention bias vectors', () => {
    const net = model(`${HEADER}class Net(nn.Module):
    def __init__(self, dim=128, heads=4, sizes=(7, 9)):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        a, b = sizes
        self.w = nn.Parameter(torch.zeros(self.head_dim, 10))
        self.lin = nn.Linear(b, a)
        self.blocks = nn.ModuleList(nn.Linear(8, 8) for _ in range(2) for i in range(5))
        self.some = nn.ModuleList([nn.Linear(8, 8) for i in range(4) if i % 2 == 0])
        self.grid = nn.ModuleDict({f"{r}{c}": nn.Linear(8, 8) for r in ["a", "b"] for c in range(3)})
        self.register_parameter("scale", nn.Parameter(torch.ones(32)))
        self.attn = nn.MultiheadAttention(64, 4, add_bias_kv=True, kdim=None)
`, 'Net');
    // Before, every target took the first value: head_dim was 4 and the Linear read (7, 7).
    assert.deepEqual(net.parameters.map((parameter) => [parameter.name, parameter.shape]), [['w', [32, 10]], ['scale', [32]]]);
    assert.deepEqual(net.layers.find((layer) => layer.name === 'lin')!.args.map((arg) => arg.value), [9, 7]);
    assert.equal(net.layers.find((layer) => layer.name === 'blocks[*]')!.repeat, 10);
    assert.equal(net.layers.find((layer) => layer.name === 'some[*]')!.repeat, null);
    // A dict comprehension counts its clauses as a list comprehension does.
    assert.equal(net.layers.find((layer) => layer.name === 'grid[*]')!.repeat, 6);
    assert.equal(net.layers.find((layer) => layer.name === 'attn')!.params, 4 * 64 * 64 + 4 * 64 + 2 * 64);
  });

  it('reads an init written through a negative index (self.net[-1]), unless the last item is a repeated layer', () => {
    const text = `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 64), nn.SiLU(), nn.Linear(64, 1))
        nn.init.zeros_(self.net[-1].weight)
        self.stack = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])
        nn.init.zeros_(self.stack[-1].weight)
`;
    const net = model(text, 'Net');
    assert.deepEqual(net.layers.find((layer) => layer.name === 'net.2')!.init!.dist, { family: 'constant', value: 0 });
    assert.equal(net.layers.find((layer) => layer.name === 'net.0')!.init!.source, 'default');
    // One layer stands for the three copies: the last copy's init is not theirs.
    assert.equal(net.layers.find((layer) => layer.name === 'stack[*]')!.init!.source, 'default');
  });

  it('reads a list of modules that starts as a literal and grows, handed to ModuleList or Sequential', () => {
    const text = `${HEADER}class NeRFLike(nn.Module):
    def __init__(self, depth=3):
        super().__init__()
        layers = [nn.Linear(4, 16)]
        for _ in range(depth - 1):
            layers.append(nn.Linear(16, 16))
        self.pts = nn.ModuleList(layers)
        more = [nn.Linear(4, 16), nn.ReLU()]
        more += [nn.Linear(16, 16), nn.ReLU()]
        self.seq = nn.Sequential(*more)
        widths = [16, 32]
        self.head = nn.Linear(16, widths[0])
`;
    const net = model(text, 'NeRFLike');
    // Before, both lists were dropped: the model showed only its head, 272 parameters.
    assert.equal(net.parameterCount, (4 * 16 + 16) + 2 * (16 * 16 + 16) + (4 * 16 + 16) + (16 * 16 + 16) + (16 * 16 + 16));
    // A list of numbers is no list of modules.
    assert.equal(net.layers.filter((layer) => layer.kind === 'unknown').length, 0);
  });

  it('grows a list with what a helper of the file returns, through +=, extend and append', () => {
    const text = `${HEADER}def block(i, o):
    return [nn.Linear(i, o), nn.ReLU()]

class Grown(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        layers += block(8, 16)
        layers += [nn.Linear(16, 32), nn.ReLU()]
        layers.extend(block(32, 64))
        layers.append(nn.Linear(64, 4))
        self.net = nn.Sequential(*layers)

class Opaque(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Linear(8, 8)]
        layers += make_layers(8)
        self.net = nn.Sequential(*layers)
`;
    const grown = model(text, 'Grown');
    // Before, the helper's layers were dropped: 804 parameters, and a false DL401 from 16 to 64 features.
    assert.equal(grown.parameterCount, (8 * 16 + 16) + (16 * 32 + 32) + (32 * 64 + 64) + (64 * 4 + 4));
    assert.deepEqual(grown.layers.map((layer) => layer.kind), ['linear', 'activation', 'linear', 'activation', 'linear', 'activation', 'linear']);
    // A helper that cannot be read leaves the size unknown rather than short.
    assert.equal(model(text, 'Opaque').parameterCount, null);
  });

  it('reads a weight norm chosen by a flag, and keeps a module an unknown callable wraps as a layer of unknown size', () => {
    const text = `${HEADER}from torch.nn.utils import weight_norm, spectral_norm


class DiscriminatorS(nn.Module):
    def __init__(self, use_spectral_norm=False):
        super().__init__()
        norm_f = weight_norm if use_spectral_norm == False else spectral_norm
        self.convs = nn.ModuleList([norm_f(nn.Conv1d(1, 16, 15, 1, padding=7)), norm_f(nn.Conv1d(16, 64, 41, 4, groups=4, padding=20))])
        self.conv_post = norm_f(nn.Conv1d(64, 1, 3, 1, padding=1))


class Spectral(nn.Module):
    def __init__(self, use_spectral_norm=True):
        super().__init__()
        norm_f = weight_norm if use_spectral_norm == False else spectral_norm
        self.conv = norm_f(nn.Conv1d(1, 16, 15))


class Unsettled(nn.Module):
    def __init__(self, flag, other):
        super().__init__()
        norm = spectral_norm if flag else weight_norm
        self.conv = norm(nn.Conv1d(1, 16, 15))
        self.wrapped = checkpoint_wrapper(nn.Linear(16, 16))
        nested = weight_norm if flag else spectral_norm if other else (weight_norm)
        self.nested = nested(nn.Conv1d(16, 4, 3))
`;
    // Weight norm keeps one magnitude per output channel beside each weight (out, in / groups, kernel).
    assert.equal(model(text, 'DiscriminatorS').parameterCount, (16 * 15 + 16 + 16) + (64 * 4 * 41 + 64 + 64) + (64 * 3 + 1 + 1));
    assert.equal(model(text, 'Spectral').parameterCount, 16 * 15 + 16);
    // Before, both were dropped: the model looked empty.
    const unsettled = model(text, 'Unsettled');
    assert.deepEqual(unsettled.layers.map((layer) => [layer.name, layer.kind, layer.in, layer.out, layer.params]), [
      ['conv', 'conv1d', 1, 16, null],
      ['wrapped', 'unknown', null, null, null],
      // A choice within a choice, neither settled: once an internal error.
      ['nested', 'conv1d', 16, 4, null],
    ]);
    assert.equal(unsettled.parameterCount, null);
  });

  it('evaluates calls of numeric helpers of the file, and leaves those it cannot follow unknown', () => {
    const text = `${HEADER}def _make_divisible(v, divisor, min_value=None):
    """Rounds to a multiple of divisor, within 10% of v."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def looped(n):
    total = 0
    for i in range(n):
        total += i
    return total


def forever(n):
    return forever(n + 1) + 1


class Net(nn.Module):
    def __init__(self, width_mult=0.75):
        super().__init__()
        self.stem = nn.Conv2d(3, _make_divisible(32 * width_mult, 8), 3)
        self.wide = nn.Linear(4, _make_divisible(100, divisor=8, min_value=128))
        self.ceil = nn.Linear(4, math.ceil(10 / 4))
        self.summed = nn.Linear(sum([1, 2, 3]), 2)
        self.logs = nn.Linear(int(math.log2(16)), int(math.log(1000, 10)) + int(math.pow(2, 3)))
        self.looped = nn.Linear(4, looped(4))
        self.forever = nn.Linear(4, forever(1))
`;
    const layers = new Map(model(text, 'Net').layers.map((layer) => [layer.name, layer.out]));
    // 24 rounds to 24; 100 would be 104, but the floor is 128.
    assert.equal(layers.get('stem'), 24);
    assert.equal(layers.get('wide'), 128);
    assert.equal(layers.get('ceil'), 3);
    assert.equal(model(text, 'Net').layers.find((layer) => layer.name === 'summed')!.in, 6);
    // As in Python, log(1000, 10) is log(1000) / log(10), a little under 3.
    assert.deepEqual([model(text, 'Net').layers.find((layer) => layer.name === 'logs')!.in, layers.get('logs')], [4, 2 + 8]);
    // A loop, or a helper that calls itself without end, leaves the value unknown.
    assert.equal(layers.get('looped'), null);
    assert.equal(layers.get('forever'), null);
  });

  it('builds a subclass of a torch.nn layer without an __init__ as that layer, and a block given an unknown value its size does not need', () => {
    const text = `${HEADER}
class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ScaledNorm(LayerNorm2d):
    pass


class DropPath(nn.Module):
    def __init__(self, p=0.0):
        super().__init__()
        self.p = p


class Block(nn.Module):
    def __init__(self, dim, drop_path=0.0, dilation=1):
        super().__init__()
        self.conv = nn.Conv2d(dim, dim, 3, padding=dilation, dilation=dilation)
        # Which one is not known for an unknown rate, but neither has weights.
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()
        self.dropout = nn.Dropout(drop_path) if drop_path > 0.0 else None


class Sized(nn.Module):
    def __init__(self, dim, width=None):
        super().__init__()
        self.fc = nn.Linear(dim, width or dim)


class Net(nn.Module):
    def __init__(self, rates=None):
        super().__init__()
        self.norm = LayerNorm2d(16, eps=1e-6)
        self.scaled = ScaledNorm(16)
        self.blocks = nn.Sequential(*[Block(16, drop_path=rates[i], dilation=2 ** i) for i in range(2)])
        self.sized = Sized(16, width=rates[0])
`;
    const net = model(text, 'Net');
    const byName = new Map(net.layers.map((layer) => [layer.name, layer]));
    assert.deepEqual([byName.get('norm')!.kind, byName.get('norm')!.ctor, byName.get('norm')!.params], ['layernorm', 'LayerNorm2d', 32]);
    assert.deepEqual([byName.get('scaled')!.kind, byName.get('scaled')!.params], ['layernorm', 32]);
    // The drop-path rate and the dilation do not change a block's size; the width does.
    assert.deepEqual(net.layers.filter((layer) => layer.ref === 'Block').map((layer) => layer.params), [9 * 16 * 16 + 16, 9 * 16 * 16 + 16]);
    assert.equal(byName.get('sized')!.params, null);
    assert.equal(net.parameterCount, null);
  });

  it('reads what a method of the class returns (ResNet\'s _make_layer), with what it sets on self for the next call and the module it hands to a block', () => {
    const text = `${HEADER}
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.conv2 = nn.Conv2d(planes, planes * self.expansion, 3, stride, 1, bias=False)
        self.downsample = downsample

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.conv2(self.conv1(x)) + shortcut


class Net(nn.Module):
    def __init__(self, layers=(2, 1)):
        super().__init__()
        self.inplanes = 16
        self.layer1 = self._make_layer(8, layers[0])
        self.layer2 = self._make_layer(16, layers[1], stride=2)
        self.fuse = self._make_fuse((8, 16))

    def _make_layer(self, planes, blocks, stride=1):
        downsample = None
        if stride != 1:
            downsample = nn.Conv2d(self.inplanes, planes * 4, 1, stride, bias=False)
        layers = [Bottleneck(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * Bottleneck.expansion
        layers.extend(Bottleneck(self.inplanes, planes) for _ in range(1, blocks))
        return nn.Sequential(*layers)

    def _make_fuse(self, ch):
        downs = []
        for k in range(1):
            last = k == 0
            downs.append(nn.Conv2d(ch[0], ch[1] if last else ch[0], 1, bias=False))
        return nn.Sequential(*downs)
`;
    const net = model(text, 'Net');
    const bottleneck = (cin: number, planes: number) => cin * planes + 9 * planes * planes * 4;
    // 16 → 32 → 32 in the first stage, then 32 → 64; a loop of one iteration still reads its target.
    // A generator of no items (the second stage's one block) leaves a layer repeated 0 times.
    assert.deepEqual(net.layers.filter((layer) => layer.ref === 'Bottleneck' && layer.repeat !== 0).map((layer) => [layer.name, layer.params]), [
      ['layer1.0', bottleneck(16, 8)],
      ['layer1.1[*]', bottleneck(32, 8)],
      ['layer2.0', bottleneck(32, 16)],
    ]);
    assert.equal(net.layers.find((layer) => layer.name === 'fuse.0')!.out, 16);
    // The shortcut the second stage builds and hands to its first block counts once, in this model.
    assert.equal(net.parameterCount, bottleneck(16, 8) + bottleneck(32, 8) + bottleneck(32, 16) + 32 * 64 + 8 * 16);
  });

  it('walks helpers of the file that build modules with statements, with the arguments of each call', () => {
    const text = `${HEADER}def make_trunk(channels, in_ch=3):
    layers = []
    for out_ch in channels:
        layers += [nn.Conv2d(in_ch, out_ch, 3, padding=1), nn.ReLU(inplace=True)]
        in_ch = out_ch
    return nn.ModuleList(layers)


def head_conv(in_ch, out_ch):
    conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)
    nn.init.xavier_uniform_(conv.weight)
    return conv


def stages(widths):
    blocks = []
    for cin, cout in zip(widths[:-1], widths[1:]):
        blocks.append(nn.Sequential(nn.Linear(cin, cout), nn.ReLU()))
    return blocks


def maybe_pretrained(pretrained):
    net = nn.Linear(8, 8)
    if pretrained:
        return load_weights(net)
    return net


def width_of(ratio):
    hidden = int(64 * ratio)
    return hidden


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = make_trunk([64, 128])
        self.head = head_conv(128, 24)
        self.small_head = head_conv(128, 6)
        self.mlp = nn.Sequential(*stages([8, 16, 4]))
        self.hidden = width_of(0.5)

    def forward(self, x):
        for layer in self.trunk:
            x = layer(x)
        return self.head(x), self.small_head(x)


class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = maybe_pretrained(True)
        self.out = nn.Linear(8, 2)
`;
    const detector = model(text, 'Detector');
    const conv = (cin: number, cout: number) => 9 * cin * cout + cout;
    const trunk = conv(3, 64) + conv(64, 128);
    const mlp = (8 * 16 + 16) + (16 * 4 + 4);
    // Before, the trunk and the heads built in helpers with statements were dropped: only the MLP's stages counted.
    assert.equal(detector.parameterCount, trunk + conv(128, 24) + conv(128, 6) + mlp);
    const byName = new Map(detector.layers.map((layer) => [layer.name, layer]));
    assert.deepEqual([byName.get('head')!.in, byName.get('head')!.out, byName.get('small_head')!.out], [128, 24, 6]);
    // The init the helper writes on its local is the layer's; the layers sit at the call that builds them.
    assert.equal(byName.get('head')!.init!.name, 'xavier_uniform_()');
    assert.equal(byName.get('head')!.helper, 'head_conv');
    assert.equal(text.slice(byName.get('small_head')!.span.start, byName.get('small_head')!.span.end), 'head_conv(128, 6)');
    assert.deepEqual(detector.layers.filter((layer) => layer.name?.startsWith('trunk')).map((layer) => layer.kind), ['conv2d', 'activation', 'conv2d', 'activation']);
    // A helper that may return something else leaves one layer of unknown size for all it built.
    const branchy = model(text, 'Branchy');
    assert.deepEqual(branchy.layers.map((layer) => [layer.name, layer.kind, layer.params]), [['body', 'unknown', null], ['out', 'linear', 18]]);
    assert.equal(branchy.parameterCount, null);
  });

  it('reads inits written in a loop over a list of layers, and does not claim a distribution scaled after them', () => {
    const net = model(`${HEADER}class DenseBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(8, 8, 3)
        self.conv2 = nn.Conv2d(8, 8, 3)
        self.head = nn.Conv2d(8, 8, 1)
        for m in [self.conv1, self.conv2]:
            nn.init.kaiming_normal_(m.weight, a=0.2)
            m.weight.data *= 0.1
            nn.init.zeros_(m.bias)
        for m in (self.head,):
            nn.init.xavier_uniform_(m.weight)
`, 'DenseBlock');
    const [conv1, conv2, head] = net.layers;
    for (const conv of [conv1!, conv2!]) {
      assert.equal(conv.init!.name, 'kaiming_normal_(a=0.2), then scaled');
      assert.deepEqual(conv.init!.dist, { family: 'unknown' });
      assert.deepEqual(conv.biasInit!.dist, { family: 'constant', value: 0 });
    }
    assert.equal(head!.init!.dist.family, 'variance_scaling');
  });

  it('counts einops Rearrange and Reduce layers as weightless', () => {
    const patches = model(`${HEADER}from einops.layers.torch import Rearrange, Reduce


class Patches(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.to_patches = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=4, p2=4), nn.Linear(48, dim))
        self.pool = Reduce("b n d -> b d", "mean")
`, 'Patches');
    assert.deepEqual(patches.layers.map((layer) => layer.params), [0, 48 * 64 + 64, 0]);
    assert.equal(patches.parameterCount, 48 * 64 + 64);
  });

  it('evaluates indexing and slicing into literal lists, tuples and dicts', () => {
    const net = model(`${HEADER}CONFIG = {"dim": 32, "classes": 10}


class Net(nn.Module):
    def __init__(self, widths=(16, 64, 128)):
        super().__init__()
        self.stem = nn.Conv2d(3, widths[0], 3, bias=False)
        self.mid = nn.Conv2d(widths[0], widths[-1], 1)
        self.fc = nn.Linear(widths[-1], CONFIG["dim"])
        self.head = nn.Linear(CONFIG["dim"], CONFIG["classes"])
        self.open = nn.Linear(8, widths[1:][0])
`, 'Net');
    assert.deepEqual(net.layers.map((layer) => [layer.in, layer.out]), [[3, 16], [16, 128], [128, 32], [32, 10], [8, 64]]);
  });

  it('skips comments between the arguments of a call and the items of a list or dict', () => {
    const text = `${HEADER}WIDTHS = {
    "hidden": 20,  # per layer
}
a = nn.Sequential(
    # first layer
    nn.Linear(10, WIDTHS["hidden"]),  # hidden
    nn.ReLU(),
    nn.Linear(20, 2),  # logits
)
`;
    const program = parsePython(text);
    const a = program.models.find((found) => found.name === 'a')!;
    // Before, each comment was a layer of unknown size, and the layers after it were renumbered.
    assert.deepEqual(a.layers.map((layer) => [layer.name, layer.kind]), [['a.0', 'linear'], ['a.1', 'activation'], ['a.2', 'linear']]);
    assert.equal(a.parameterCount, 10 * 20 + 20 + (20 * 2 + 2));
  });

  it('makes free-standing nn.Sequential literals models of their own', () => {
    const text = `${HEADER}
def make_classifier(n):
    return nn.Sequential(nn.Flatten(), nn.Linear(n, 10))

features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Sequential(nn.Conv2d(4, 4, 3), nn.ReLU()))
`;
    const models = program(text).models;
    assert.deepEqual(models.map((m) => m.name), ['make_classifier', 'features']);
    assert.deepEqual(models[1]!.layers.map((layer) => layer.kind), ['conv2d', 'activation', 'conv2d', 'activation']);
  });

  it('reads a Sequential imported by its own name, and not a local function that shares the name', () => {
    const imported = `${HEADER}from torch.nn import Linear, ReLU, Sequential\n\nhead = Sequential(Linear(8, 4), ReLU(), Linear(4, 2))\n`;
    const [head] = program(imported).models;
    assert.equal(head?.name, 'head');
    assert.equal(head.parameterCount, 8 * 4 + 4 + (4 * 2 + 2));
    const local = `${HEADER}def Sequential(*steps):\n    return list(steps)\n\n\npipeline = Sequential(nn.Linear(8, 4))\n`;
    assert.deepEqual(program(local).models, []);
  });

  it('reads a Sequential imported under another name, and not the name in strings, comments or longer names', () => {
    const aliased = `${HEADER}from torch.nn import Sequential as Seq\n\n# Seq(nn.Linear(2, 2)) in a comment\nnote = "Seq(nn.Linear(2, 2))"\nSeqs = [1]\nhead = Seq(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))\nmySequential = nn.Linear(2, 2)\n`;
    const models = program(aliased).models;
    assert.deepEqual(models.map((m) => m.name), ['head']);
    assert.equal(models[0]!.parameterCount, 8 * 4 + 4 + (4 * 2 + 2));
  });

  it('names a Sequential held by a class that is no module after the class and the attribute', () => {
    const text = `${HEADER}
class Heads:
    def __init__(self):
        self.classifier = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
`;
    assert.deepEqual(program(text).models.map((m) => m.name), ['Heads.classifier']);
  });

  it("folds the library's tuple helpers where they are imported (torch's _pair, timm's to_2tuple)", () => {
    const text = `${HEADER}from torch.nn.modules.utils import _pair
from timm.layers import to_2tuple

def _pair(x):
    return x

class Mlp(nn.Module):
    def __init__(self, dim=8, hidden=16, bias=True, kernel_size=3):
        super().__init__()
        bias = to_2tuple(bias)
        self.fc1 = nn.Linear(dim, hidden, bias=bias[0])
        self.fc2 = nn.Linear(hidden, dim, bias=bias[1])
        self.conv = nn.Conv2d(dim, dim, kernel_size=tuple(to_2tuple(kernel_size)))

    def forward(self, x):
        return self.fc2(self.fc1(x))
`;
    // By hand: 8·16+16 and 16·8+8, and a 3×3 convolution 8→8 with its bias.
    assert.equal(model(text, 'Mlp').parameterCount, 8 * 16 + 16 + (16 * 8 + 8) + (9 * 8 * 8 + 8));
    // A name the file defines itself is the file's function, whatever an import said before.
    assert.equal(model(text.replace('bias = to_2tuple(bias)', 'bias = _pair(bias)'), 'Mlp').parameterCount, null);
  });

  it('rebuilds a submodule with the layer classes passed to it (norm_layer=, act_layer=, partial, a local)', () => {
    const text = `${HEADER}from functools import partial

class Block(nn.Module):
    def __init__(self, dim, norm_layer=nn.LayerNorm, act_layer=nn.GELU):
        super().__init__()
        self.norm = norm_layer(dim)
        self.fc = nn.Linear(dim, dim)
        self.act = act_layer()

    def forward(self, x):
        return self.act(self.fc(self.norm(x)))

class Net(nn.Module):
    def __init__(self, norm_layer=nn.GroupNorm):
        super().__init__()
        self.a = Block(8)
        self.b = Block(8, norm_layer=nn.BatchNorm1d)
        self.c = Block(8, act_layer=nn.ReLU)
        self.d = Block(8, norm_layer=partial(nn.LayerNorm, eps=1e-6))
        norm = partial(nn.LayerNorm, eps=1e-6)
        self.e = Block(8, norm)
        self.f = Block(8, norm_layer=nn.Identity)

    def forward(self, x):
        return self.f(self.e(self.d(self.c(self.b(self.a(x))))))
`;
    // By hand: each block's Linear 8·8+8, and a LayerNorm or BatchNorm1d of 2·8 (none for Identity).
    assert.equal(model(text, 'Net').parameterCount, 5 * (8 * 8 + 8 + 2 * 8) + (8 * 8 + 8));
  });

  it('reads a module held as a class attribute and a generator spread into a Sequential (YOLOv5 Conv and C3)', () => {
    const text = `${HEADER}
class Conv(nn.Module):
    default_act = nn.SiLU()

    def __init__(self, c1, c2, k=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, 1, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = self.default_act if act is True else act if isinstance(act, nn.Module) else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

class Stack(nn.Module):
    def __init__(self, c=8, n=3):
        super().__init__()
        self.m = nn.Sequential(*(Conv(c, c, 3) for _ in range(n)))

    def forward(self, x):
        return self.m(x)
`;
    const conv = model(text, 'Conv');
    assert.deepEqual(conv.layers.map((layer) => [layer.kind, layer.activation ?? null]), [['conv2d', null], ['batchnorm', null], ['activation', 'silu']]);
    // By hand: three 3×3 convolutions 8→8 without bias, each with a BatchNorm.
    assert.equal(model(text, 'Stack').parameterCount, 3 * (9 * 8 * 8 + 2 * 8));
  });

  it('reads a Sequential subclass given a local list of its modules with super().__init__(*layers)', () => {
    const text = `${HEADER}
class ConvNormAct(nn.Sequential):
    def __init__(self, cin, cout, kernel_size=3, activation=True):
        layers = [
            nn.Conv2d(cin, cout, kernel_size, padding=(kernel_size - 1) // 2, bias=False),
            nn.BatchNorm2d(cout),
        ]
        if activation:
            layers.append(nn.SiLU(inplace=True))
        super().__init__(*layers)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvNormAct(3, 16)
        self.project = ConvNormAct(16, 8, kernel_size=1, activation=False)

    def forward(self, x):
        return self.project(self.stem(x))
`;
    const block = model(text, 'ConvNormAct');
    assert.deepEqual(block.layers.map((layer) => [layer.name, layer.kind]), [['0', 'conv2d'], ['1', 'batchnorm'], ['2', 'activation']]);
    assert.deepEqual(flowOps(block), ['input', 'layer:0', 'layer:1', 'layer:2', 'output']);
    // By hand: 9·3·16 + 2·16 for the stem, 16·8 + 2·8 for the 1×1 projection without its activation.
    assert.equal(model(text, 'Net').parameterCount, 9 * 3 * 16 + 2 * 16 + (16 * 8 + 2 * 8));
  });

  it('reads modules added with add_module to a local container, in a helper and in __init__', () => {
    const text = `${HEADER}
def conv_bn(cin, cout, kernel_size, stride):
    result = nn.Sequential()
    result.add_module("conv", nn.Conv2d(cin, cout, kernel_size, stride, kernel_size // 2, bias=False))
    result.add_module("bn", nn.BatchNorm2d(cout))
    return result

class Block(nn.Module):
    def __init__(self, cin=8, cout=16):
        super().__init__()
        self.dense = conv_bn(cin, cout, 3, 1)
        head = nn.Sequential()
        head.add_module("pool", nn.AdaptiveAvgPool2d(1))
        head.add_module("flat", nn.Flatten())
        head.add_module("fc", nn.Linear(cout, 4))
        self.head = head
        extra = nn.Sequential()
        extra.add_module("mystery", make_unknown_module())
        self.extra = extra

    def forward(self, x):
        return self.head(self.dense(x))
`;
    // The empty Sequential the helper starts from is no model of its own.
    assert.deepEqual(program(text).models.map((m) => m.name), ['Block']);
    const found = model(text, 'Block');
    assert.deepEqual(
      found.layers.map((layer) => [layer.name, layer.kind]),
      [['dense.conv', 'conv2d'], ['dense.bn', 'batchnorm'], ['head.pool', 'pooling'], ['head.flat', 'flatten'], ['head.fc', 'linear'], ['extra.mystery', 'unknown']],
    );
    // A module the IR cannot read leaves the size unknown instead of short.
    assert.equal(found.parameterCount, null);
    const known = model(text.replace('extra.add_module("mystery", make_unknown_module())', 'extra.add_module("act", nn.ReLU())'), 'Block');
    // By hand: 9·8·16 for the convolution without bias, 2·16 for its norm, 16·4+4 for the head.
    assert.equal(known.parameterCount, 9 * 8 * 16 + 2 * 16 + (16 * 4 + 4));
  });

  it('tests a list of modules by what has been appended to it so far, in locals and attributes', () => {
    const text = `${HEADER}
class Stage(nn.Module):
    def __init__(self, blocks=3):
        super().__init__()
        layers = []
        width = 16
        for _ in range(blocks):
            if layers:
                width = 32
            layers.append(nn.Linear(width, 32))
        self.body = nn.Sequential(*layers)
        self.heads = nn.ModuleList()
        self.heads.append(nn.Linear(32, 4))
        self.heads.extend([nn.Linear(32, 8), nn.Linear(32, 8)])
        self.extra = nn.Linear(len(layers) + len(self.heads), 1)

    def forward(self, x):
        return self.body(x)
`;
    const found = model(text, 'Stage');
    assert.deepEqual(
      found.layers.map((layer) => [layer.in, layer.out]),
      [[16, 32], [32, 32], [32, 32], [32, 4], [32, 8], [32, 8], [6, 1]],
    );
    // By hand: 16·32+32, then 2·(32·32+32); the heads 32·4+4 and twice 32·8+8; the extra 6·1+1.
    assert.equal(found.parameterCount, 16 * 32 + 32 + 2 * (32 * 32 + 32) + (32 * 4 + 4) + 2 * (32 * 8 + 8) + (6 + 1));
    assert.deepEqual(analyzeText('python', text, defaultConfig()).findings.filter((finding) => finding.code === 'DL401'), []);
  });

  it('reads no loss or optimizer from a torch attribute named like a JavaScript object member', () => {
    const text = `${HEADER}
def describe(model, x):
    kind = F.constructor(x)
    name = nn.toString()
    optimizer = torch.optim.hasOwnProperty(model.parameters())
    loss = nn.valueOf()(model(x), x)
    loss.backward()
`;
    const found = program(text);
    assert.deepEqual(found.losses, []);
    assert.deepEqual(found.optimizers, []);
  });

  it('reads Lightning modules as modules, under every import of Lightning', () => {
    const body = `(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)
`;
    for (const [imports, base] of [
      ['import pytorch_lightning as pl', 'pl.LightningModule'],
      ['import lightning as L', 'L.LightningModule'],
      ['from lightning.pytorch import LightningModule', 'LightningModule'],
      ['from pytorch_lightning.core import LightningModule', 'LightningModule'],
    ]) {
      const found = model(`${HEADER}${imports}\n\nclass Lit${body.replace('nn.Module', base!)}`, 'Lit');
      assert.equal(found.framework, 'pytorch', imports);
      assert.equal(found.parameterCount, 8 * 16 + 16 + 16 * 2 + 2, imports);
      assert.deepEqual(flowOps(found), ['input', 'layer:net.0', 'layer:net.1', 'layer:net.2', 'output'], imports);
    }
    // A class named LightningModule of the file's own is no such base.
    assert.deepEqual(program(`${HEADER}class LightningModule:\n    pass\n\nclass Lit${body.replace('nn.Module', 'LightningModule')}`).models.map((m) => m.name), ['Lit.net']);
  });

  it('gives no size to a model that calls a module it cannot read (a pretrained encoder passed in)', () => {
    const text = `${HEADER}
class Head(nn.Module):
    def __init__(self, encoder, hidden=32):
        super().__init__()
        self.encoder = encoder
        self.backbone = timm.create_model("resnet18", pretrained=True)
        self.scale = hidden ** -0.5
        self.fc = nn.Linear(hidden, 2)

    def forward(self, x):
        h = self.backbone(self.encoder(x)) * self.scale
        return self.fc(h)
`;
    const found = model(text, 'Head');
    assert.equal(found.parameterCount, null);
    assert.deepEqual(found.layers.map((layer) => [layer.name, layer.kind, layer.params]), [
      ['encoder', 'unknown', null],
      ['backbone', 'unknown', null],
      ['fc', 'linear', 66],
    ]);
    assert.deepEqual(flowOps(found), ['input', 'layer:encoder', 'layer:backbone', 'layer:fc', 'output']);
  });

  it('builds the layer class a constructor parameter defaults to (timm act_layer=nn.GELU, norm_layer=nn.LayerNorm)', () => {
    const text = `${HEADER}
class Mlp(nn.Module):
    def __init__(self, in_features=64, hidden_features=256, act_layer=nn.GELU, norm_layer=nn.LayerNorm):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.act = act_layer()
        self.norm = norm_layer(hidden_features)
        self.fc2 = nn.Linear(hidden_features, in_features)

    def forward(self, x):
        return self.fc2(self.norm(self.act(self.fc1(x))))
`;
    const found = model(text, 'Mlp');
    assert.deepEqual(found.layers.map((layer) => [layer.name, layer.kind, layer.activation, layer.params]), [
      ['fc1', 'linear', undefined, 64 * 256 + 256],
      ['act', 'activation', 'gelu', 0],
      ['norm', 'layernorm', undefined, 2 * 256],
      ['fc2', 'linear', undefined, 256 * 64 + 64],
    ]);
    assert.equal(found.parameterCount, 64 * 256 + 256 + 2 * 256 + 256 * 64 + 64);
  });

  it('reads spectral and weight norm as the layers they wrap, and counts weight norm\'s magnitudes', () => {
    const text = `${HEADER}from torch.nn.utils import spectral_norm

class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(spectral_norm(nn.Conv2d(3, 8, 4, 2, 1)), nn.LeakyReLU(0.1), nn.Flatten(), spectral_norm(nn.Linear(8 * 16 * 16, 1)))
        self.aux = nn.utils.parametrizations.weight_norm(nn.Linear(16, 4))

    def forward(self, x):
        return self.net(x)
`;
    const found = model(text, 'Critic');
    assert.deepEqual(found.layers.map((layer) => [layer.name, layer.kind, layer.params]), [
      ['net.0', 'conv2d', 3 * 8 * 16 + 8],
      ['net.1', 'activation', 0],
      ['net.2', 'flatten', 0],
      ['net.3', 'linear', 8 * 16 * 16 + 1],
      // Weight norm keeps a direction of the weight's shape and one magnitude per output row.
      ['aux', 'linear', 16 * 4 + 4 + 4],
    ]);
    assert.equal(found.parameterCount, 3 * 8 * 16 + 8 + 8 * 16 * 16 + 1 + 16 * 4 + 4 + 4);
  });

  it('keeps a container element it cannot read as a layer of unknown size instead of dropping it', () => {
    const text = `${HEADER}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 8), make_block(8), nn.ReLU())
        self.heads = nn.ModuleList([nn.Linear(8, 2), build_head()])
        self.extra = nn.ModuleList([make_block(8) for _ in range(3)])

    def forward(self, x):
        return self.body(x)
`;
    const found = model(text, 'Net');
    assert.equal(found.parameterCount, null);
    assert.deepEqual(found.layers.map((layer) => [layer.name, layer.kind, layer.params, layer.repeat]), [
      ['body.0', 'linear', 72, undefined],
      ['body.1', 'unknown', null, undefined],
      ['body.2', 'activation', 0, undefined],
      ['heads.0', 'linear', 18, undefined],
      ['heads.1', 'unknown', null, undefined],
      ['extra[*]', 'unknown', null, 3],
    ]);
    assert.deepEqual(flowOps(found), ['input', 'layer:body.0', 'layer:body.1', 'layer:body.2', 'output']);
  });

  it('counts a tied weight once, on the layer whose tensor it is (PyTorch parameters() does the same)', () => {
    const text = `${HEADER}
class TinyLM(nn.Module):
    def __init__(self, vocab=100, dim=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab)
        self.head.weight = self.emb.weight

    def forward(self, x):
        return self.head(self.proj(self.emb(x)))


class TinyGPT(nn.Module):
    def __init__(self, vocab=100, dim=16):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(wte=nn.Embedding(vocab, dim), ln_f=nn.LayerNorm(dim)))
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        self.transformer.wte.weight = self.lm_head.weight

    def forward(self, idx):
        return self.lm_head(self.transformer.ln_f(self.transformer.wte(idx)))
`;
    const lm = model(text, 'TinyLM');
    // The head keeps only its bias: 100 values.
    assert.deepEqual(lm.layers.map((layer) => [layer.name, layer.params, layer.tiedWeight]), [
      ['emb', 100 * 16, undefined],
      ['proj', 16 * 16 + 16, undefined],
      ['head', 100, 'emb'],
    ]);
    assert.equal(lm.parameterCount, 100 * 16 + 16 * 16 + 16 + 100);
    const gpt = model(text, 'TinyGPT');
    assert.deepEqual(gpt.layers.map((layer) => [layer.name, layer.params, layer.tiedWeight]), [
      ['transformer.wte', 0, 'lm_head'],
      ['transformer.ln_f', 32, undefined],
      ['lm_head', 1600, undefined],
    ]);
    assert.equal(gpt.parameterCount, 1600 + 32);
  });

  it('counts a weight tied to a module held in a local of __init__ once', () => {
    const lm = model(`${HEADER}
class LM(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        emb = nn.Embedding(vocab, d)
        self.embeddings = nn.ModuleDict({"tok": emb, "pos": nn.Embedding(128, d)})
        self.out = nn.Linear(d, vocab, bias=False)
        self.out.weight = emb.weight

    def forward(self, idx):
        return self.out(self.embeddings["tok"](idx))
`, 'LM');
    // Before, the output layer's weight was counted again: 136,192 parameters.
    assert.equal(lm.parameterCount, 1000 * 64 + 128 * 64);
    assert.deepEqual(lm.layers.filter((layer) => layer.tiedWeight !== undefined).map((layer) => [layer.name, layer.params]), [['out', 0]]);
  });

  it('counts a weight tied across a submodule of the file once, whichever side the submodule is on', () => {
    const text = `${HEADER}
class Head(nn.Module):
    def __init__(self, dim=16, vocab=100):
        super().__init__()
        self.decoder = nn.Linear(dim, vocab)

class IntoChild(nn.Module):
    def __init__(self):
        super().__init__()
        self.word = nn.Embedding(100, 16)
        self.head = Head()
        self.head.decoder.weight = self.word.weight

class FromChild(nn.Module):
    def __init__(self):
        super().__init__()
        self.word = nn.Embedding(100, 16)
        self.head = Head()
        self.word.weight = self.head.decoder.weight

class FromOutside(nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder
        self.head = Head()
        self.head.decoder.weight = self.encoder.embed.weight
`;
    // Before, the 100x16 tensor was counted on both sides: 3,300.
    assert.equal(model(text, 'IntoChild').parameterCount, 100 * 16 + 100);
    const fromChild = model(text, 'FromChild');
    assert.equal(fromChild.parameterCount, 100 * 16 + 100);
    assert.equal(fromChild.layers.find((layer) => layer.name === 'word')!.tiedWeight, 'head.decoder');
    // The size of a tensor held outside the file is not known, so neither is how much the head shares.
    assert.equal(model(text, 'FromOutside').parameterCount, null);
  });

  it('builds the branch of a conditional module its constants settle, and keeps an unsettled one of unknown size', () => {
    const text = `${HEADER}
class ConvBlock(nn.Module):
    def __init__(self, cin=16, cout=32, use_bn=True, drop=0.0, act=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=not use_bn)
        self.bn = nn.BatchNorm2d(cout) if use_bn else nn.Identity()
        self.drop = nn.Dropout2d(drop) if drop > 0 else nn.Identity()
        self.gate = nn.Linear(cout, cout) if act is not None else None

    def forward(self, x):
        return self.drop(self.bn(self.conv(x)))

class Unsettled(nn.Module):
    def __init__(self, cout, use_bn):
        super().__init__()
        self.bn = nn.BatchNorm2d(32) if use_bn else nn.Identity()
`;
    const block = model(text, 'ConvBlock');
    // 9·16·32 weights without a bias, BatchNorm's 2·32; before, the BatchNorm was a layer of unknown size.
    assert.deepEqual(block.layers.map((layer) => [layer.kind, layer.params]), [['conv2d', 9 * 16 * 32], ['batchnorm', 64], ['unknown', 0]]);
    assert.equal(block.parameterCount, 9 * 16 * 32 + 64);
    assert.equal(model(text, 'Unsettled').parameterCount, null);
  });

  it('keeps only the module assigned last, as PyTorch does, when __init__ replaces, swaps in or deletes one', () => {
    const text = `${HEADER}
class Reassign(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Linear(32, 64)
        self.fc = nn.Linear(64, 1000)
        if num_classes != 1000:
            self.fc = nn.Linear(64, num_classes)

class SwapLast(nn.Module):
    def __init__(self):
        super().__init__()
        self.classifier = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 1000))
        self.classifier[-1] = nn.Linear(256, 10)

class AddToChild(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(512, 256), nn.ReLU())
        self.backbone.head = nn.Linear(256, 5)

class Dropped(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Linear(64, 64)
        self.fc = nn.Linear(64, 1000)
        self.head = nn.Linear(64, 1000)
        self.fc = nn.Identity()
        del self.head

class Kept(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.net = nn.Sequential(self.fc, nn.ReLU())
        self.fc = nn.Identity()

class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 1000)

class FineTuned(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = Backbone()
        self.net.fc = nn.Linear(64, 5)
`;
    // Before, every module assigned was counted: 67,762, 388,328, 131,328 and 134,160.
    assert.equal(model(text, 'Reassign').parameterCount, 32 * 64 + 64 + 64 * 10 + 10);
    assert.equal(model(text, 'SwapLast').parameterCount, 512 * 256 + 256 + 256 * 10 + 10);
    assert.equal(model(text, 'AddToChild').parameterCount, 512 * 256 + 256 + 256 * 5 + 5);
    assert.equal(model(text, 'Dropped').parameterCount, 64 * 64 + 64);
    // A replaced module another attribute still holds stays the model's.
    assert.equal(model(text, 'Kept').parameterCount, 8 * 8 + 8);
    // What a module swapped into a submodule of this file replaces is not known here: unknown, not the sum.
    assert.equal(model(text, 'FineTuned').parameterCount, null);
  });

  it('reads class constants as self.<name> and Class.<name> (torchvision\'s Bottleneck.expansion)', () => {
    const text = `${HEADER}
class Block(nn.Module):
    expansion: int = 4

    def __init__(self, planes=16):
        super().__init__()
        self.conv = nn.Conv2d(planes, planes * self.expansion, 1, bias=False)
        self.bn = nn.BatchNorm2d(planes * Block.expansion)

class Wider(Block):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(8 * self.expansion, 2)
`;
    // 16·64 weights of a 1×1 conv and 2·64 of the BatchNorm; before, the sizes were unknown.
    assert.equal(model(text, 'Block').parameterCount, 16 * 64 + 2 * 64);
    assert.equal(model(text, 'Wider').layers.find((layer) => layer.name === 'head')!.params, 32 * 2 + 2);
  });

  it('reads an nn.Sequential subclass: the children given to super().__init__ or added, applied in order', () => {
    const text = `${HEADER}
class ConvBNReLU(nn.Sequential):
    def __init__(self, in_planes, out_planes, kernel_size=3, stride=1):
        padding = (kernel_size - 1) // 2
        super().__init__(
            nn.Conv2d(in_planes, out_planes, kernel_size, stride, padding, bias=False),
            nn.BatchNorm2d(out_planes),
            nn.ReLU6(inplace=True),
        )

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvBNReLU(3, 16, stride=2)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(self.stem(x).mean((2, 3)))

class DenseLayer(nn.Sequential):
    def __init__(self, features=64, growth=32):
        super().__init__()
        self.add_module("norm1", nn.BatchNorm2d(features))
        self.add_module("relu1", nn.ReLU(inplace=True))
        self.add_module("conv1", nn.Conv2d(features, 4 * growth, kernel_size=1, bias=False))
`;
    // 9·3·16 + 2·16 for the stem (torchvision's MobileNetV2 style), 16·10 + 10 for the head; before, unknown.
    assert.equal(model(text, 'Net').parameterCount, 9 * 3 * 16 + 2 * 16 + 16 * 10 + 10);
    const dense = model(text, 'DenseLayer');
    assert.equal(dense.parameterCount, 2 * 64 + 64 * 128);
    assert.equal(dense.flowKnown, true);
    assert.deepEqual(flowOps(dense), ['input', 'layer:norm1', 'layer:relu1', 'layer:conv1', 'output']);
  });

  it('builds each element of a ModuleList comprehension that reads the loop variable with its own value', () => {
    const text = `${HEADER}
class Block(nn.Module):
    def __init__(self, c=32, dilation=1):
        super().__init__()
        self.conv = nn.Conv1d(c, c, 2, dilation=dilation)

    def forward(self, x):
        return self.conv(x)

class WaveStack(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(32, 2 ** i) for i in range(10)])
        self.widths = nn.ModuleList([nn.Linear(2 ** i, 2 ** (i + 1)) for i in range(3)])
`;
    const stack = model(text, 'WaveStack');
    // Ten blocks of 32·32·2 + 32 each, and Linear 1→2, 2→4, 4→8; before, both lists were of unknown size.
    assert.equal(stack.parameterCount, 10 * (32 * 32 * 2 + 32) + (1 * 2 + 2) + (2 * 4 + 4) + (4 * 8 + 8));
  });

  it('counts recurrent cells and nn.Bilinear', () => {
    const cells = model(`${HEADER}
class Cells(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTMCell(10, 20)
        self.gru = nn.GRUCell(20, 16)
        self.rnn = nn.RNNCell(16, 8, bias=False)
        self.bil = nn.Bilinear(8, 6, 4)
`, 'Cells');
    // Four, three and one gates, each with an input and a state weight and (but the last) two biases; the bilinear
    // form's 8·6·4 weights and 4 biases. Before, all four were of unknown size.
    assert.deepEqual(cells.layers.map((layer) => layer.params), [4 * (20 * 10 + 20 * 20 + 2 * 20), 3 * (16 * 20 + 16 * 16 + 2 * 16), 8 * 16 + 8 * 8, 8 * 6 * 4 + 4]);
  });

  it('counts weightless torch.nn modules (identity, padding, resampling, reshaping) as having no parameters', () => {
    const text = `${HEADER}
m = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.Identity(), nn.Upsample(scale_factor=2), nn.ReflectionPad2d(1), nn.PixelShuffle(2), nn.Conv2d(2, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Unflatten(1, (4, 1)), nn.Flatten(), nn.Linear(4, 2))
`;
    const found = model(text, 'm');
    assert.deepEqual(found.layers.map((layer) => layer.params), [3 * 8 * 9 + 8, 0, 0, 0, 0, 2 * 4 * 9 + 4, 0, 0, 0, 0, 4 * 2 + 2]);
    assert.equal(found.parameterCount, 3 * 8 * 9 + 8 + 2 * 4 * 9 + 4 + 4 * 2 + 2);
  });

  it('builds a layer class bound by partial when the bound arguments cannot change its size (timm norm layers)', () => {
    const text = `${HEADER}from functools import partial

class Block(nn.Module):
    def __init__(self, dim=32, norm_layer=partial(nn.LayerNorm, eps=1e-6)):
        super().__init__()
        self.norm1 = norm_layer(dim)
        head_norm = partial(nn.LayerNorm, eps=1e-5)
        self.norm2 = head_norm(dim)
        odd_norm = partial(nn.LayerNorm, elementwise_affine=False)
        self.norm3 = odd_norm(dim)
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return self.fc(self.norm3(self.norm2(self.norm1(x))))
`;
    const found = model(text, 'Block');
    // elementwise_affine=False changes the size, so that partial is not read.
    assert.deepEqual(found.layers.map((layer) => [layer.name, layer.kind, layer.params]), [
      ['norm1', 'layernorm', 64],
      ['norm2', 'layernorm', 64],
      ['norm3', 'unknown', null],
      ['fc', 'linear', 32 * 32 + 32],
    ]);
  });

  it('keeps the size of a block whose optional module defaults to None (torchvision BasicBlock downsample)', () => {
    const text = `${HEADER}
class Block(nn.Module):
    def __init__(self, planes=16, downsample=None):
        super().__init__()
        self.conv = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.bn(self.conv(x))
        if self.downsample is not None:
            identity = self.downsample(x)
        return F.relu(out + identity)
`;
    const found = model(text, 'Block');
    assert.equal(found.parameterCount, 16 * 16 * 9 + 2 * 16);
    assert.deepEqual(found.layers.map((layer) => layer.name), ['conv', 'bn']);
  });

  it('counts weights frozen in __init__ as non-trainable, as parameters() that require a gradient leave them out', () => {
    const text = `${HEADER}
class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 16)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Parameter(torch.randn(16, 64) * 0.1, requires_grad=False)
        self.emb = nn.Embedding(100, 16)
        self.emb.weight.requires_grad = False
        self.norm = nn.LayerNorm(16)
        self.norm.bias.requires_grad_(False)
        self.frozen = nn.Linear(16, 16)
        self.frozen.requires_grad_(False)
        self.frozen.requires_grad_(False)
        self.tower = Tower()
        for p in self.tower.parameters():
            p.requires_grad = False
        self.fc = nn.Linear(64, 2)
        for p in self.fc.parameters():
            p.requires_grad = True


class Partly(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8))
        for name, p in self.backbone.named_parameters():
            if "1." in name:
                p.requires_grad = False


class Perceptual(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
        for p in self.parameters():
            p.requires_grad = False
`;
    const program = parsePython(text);
    const byName = new Map(program.models.map((found) => [found.name, found]));
    const net = byName.get('Net')!;
    // Trained: the LayerNorm's gain and the last Linear. Frozen: the projection, the table, the bias, a Linear
    // frozen twice (once counted) and the tower's Linear.
    assert.equal(net.parameterCount, 16 + (64 * 2 + 2));
    assert.equal(nonTrainableCount(net, program.models), 16 * 64 + 100 * 16 + 16 + (16 * 16 + 16) + (16 * 16 + 16));
    assert.deepEqual(net.layers.map((layer) => [layer.name, layer.params, layer.nonTrainable]), [
      ['emb', 0, 1600],
      ['norm', 16, 16],
      ['frozen', 0, 272],
      ['tower', 0, 272],
      ['fc', 130, undefined],
    ]);
    // Which parameters a branch freezes is not known.
    assert.equal(byName.get('Partly')!.parameterCount, null);
    assert.equal(byName.get('Perceptual')!.parameterCount, 0);
    assert.equal(nonTrainableCount(byName.get('Perceptual')!, program.models), 3 * 8 * 9 + 8);
  });

  it('counts a deep copy of a held module as weights of its own (MoCo, BYOL, EMA teachers)', () => {
    const text = `${HEADER}import copy
from copy import deepcopy

class Encoder(nn.Module):
    def __init__(self, dim=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, dim))

    def forward(self, x):
        return self.net(x)


class MoCo(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.encoder_q = Encoder(dim)
        self.encoder_k = copy.deepcopy(self.encoder_q)
        for param in self.encoder_k.parameters():
            param.requires_grad = False


class BYOL(nn.Module):
    def __init__(self):
        super().__init__()
        online = nn.Sequential(nn.Linear(32, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 16))
        self.online = online
        self.target = deepcopy(online)
        self.predictor = nn.Linear(16, 16)

    def forward(self, x):
        with torch.no_grad():
            target = self.target(x)
        return self.predictor(self.online(x)), target
`;
    // Encoder(64): 784*256 + 256 + 256*64 + 64. The key encoder is frozen: its copy counts as non-trainable.
    const encoder = 784 * 256 + 256 + 256 * 64 + 64;
    const program = parsePython(text);
    const moco = program.models.find((candidate) => candidate.name === 'MoCo')!;
    assert.equal(moco.parameterCount, encoder);
    assert.equal(nonTrainableCount(moco, program.models), encoder);
    const byol = model(text, 'BYOL');
    // Linear(32, 64) + BatchNorm1d(64) + Linear(64, 16), twice, and the predictor.
    const online = 32 * 64 + 64 + 2 * 64 + 64 * 16 + 16;
    assert.equal(byol.parameterCount, 2 * online + 16 * 16 + 16);
    assert.deepEqual(
      byol.layers.filter((layer) => layer.name?.startsWith('target')).map((layer) => [layer.name, layer.kind, layer.params]),
      [
        ['target.0', 'linear', 32 * 64 + 64],
        ['target.1', 'batchnorm', 2 * 64],
        ['target.2', 'activation', 0],
        ['target.3', 'linear', 64 * 16 + 16],
      ],
    );
    // The copy is applied in forward as a module of its own.
    assert.ok(flowOps(byol).includes('layer:target.3'));
  });

  it('counts the parameters a ParameterList or ParameterDict holds, and none of one it cannot read', () => {
    const text = `${HEADER}
class Mixture(nn.Module):
    def __init__(self, k=3, d=16):
        super().__init__()
        self.means = nn.ParameterList([nn.Parameter(torch.randn(d) * 0.1) for _ in range(k)])
        self.pair = nn.ParameterList((nn.Parameter(torch.zeros(2, d)), nn.Parameter(torch.ones(d))))
        self.scales = nn.ParameterDict({"a": nn.Parameter(torch.ones(d)), "b": nn.Parameter(torch.zeros(4, 4))})
        self.proj = nn.Linear(d, d)


class Mixed(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.some = nn.ParameterList([nn.Parameter(torch.ones(d)), make_weight(d)])
        self.each = nn.ParameterList([nn.Parameter(torch.ones(i)) for i in range(1, 4)])
`;
    const mixture = model(text, 'Mixture');
    // 3 means of 16, then 2·16 + 16, then 16 + 4·4, and the Linear 16·16 + 16.
    assert.equal(mixture.parameterCount, 3 * 16 + (2 * 16 + 16) + (16 + 4 * 4) + (16 * 16 + 16));
    assert.deepEqual(
      mixture.parameters.map((parameter) => parameter.name),
      ['means.0', 'means.1', 'means.2', 'pair.0', 'pair.1', 'scales.a', 'scales.b'],
    );
    const mixed = model(text, 'Mixed');
    assert.equal(mixed.parameterCount, null);
    assert.deepEqual(mixed.parameters, []);
  });

  it('reads custom nn.Parameter tensors', () => {
    const text = `${HEADER}
class Scale(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.w = nn.Parameter(torch.empty(d, d))
        self.b = nn.Parameter(torch.randn(8, 4) * 0.02)
        self.g = nn.Parameter(torch.randn(4, 4))
        nn.init.kaiming_uniform_(self.w, a=math.sqrt(5))
`;
    const params = model(text, 'Scale').parameters.map((parameter) => [parameter.name, parameter.creator, parameter.scaled, parameter.initialized, parameter.shape]);
    assert.deepEqual(params, [
      ['w', 'empty', false, true, [null, null]],
      ['b', 'randn', true, true, [8, 4]],
      ['g', 'randn', false, true, [4, 4]],
    ]);
  });

  it('keeps every valid class when another class has syntax errors, and never throws on broken input', () => {
    const text = `${HEADER}
class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(

class Fine(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        return self.fc(x)
`;
    const parsed = program(text);
    assert.ok(parsed.syntaxErrors.length > 0);
    const fine = parsed.models.find((m) => m.name === 'Fine')!;
    assert.equal(fine.parameterCount, 16);
    for (const input of ['', 'class', 'x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000), 'self.fc = nn.Linear(', '\u0000\uFFFD', 'def forward(self, x):\n' + '    x = x + 1\n'.repeat(2000)]) {
      const analysis = analyzeText('python', input, defaultConfig());
      assert.deepEqual(analysis.errors.filter((error) => error.message.startsWith('internal')), []);
    }
  });
});

describe('Python front end: repairs before parsing', () => {
  it('blanks a statement nested too deeply for the parser, keeping offsets and the rest of the file', () => {
    const deep = `x = ${'['.repeat(5000)}1${']'.repeat(5000)}\n`;
    const text = `import torch.nn as nn\n${deep}m = nn.Sequential(nn.Linear(2, 3))\n`;
    const parsed = parsePython(text);
    assert.match(parsed.syntaxErrors[0]!.message, /nested 5000 deep/);
    const [m] = parsed.models;
    assert.equal(text.slice(m!.layers[0]!.span.start, m!.layers[0]!.span.end), 'nn.Linear(2, 3)');
  });
});
