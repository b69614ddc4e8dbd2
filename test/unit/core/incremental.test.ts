// Incremental Python analysis reuses syntax trees and class models across edits. Whatever it reuses, each result
// must equal a from-scratch analysis of the same text: a stale reuse shows up here as a difference.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, type FileAnalysis } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { DocumentAnalyzer, type TextChange } from '../../../src/core/document';
import { seededRandom } from '../../fuzz/harness';

const ROOT = path.join(__dirname, '../../..');
const config = defaultConfig();

function pythonFiles(dir: string): { name: string; text: string }[] {
  const full = path.join(ROOT, dir);
  return fs
    .readdirSync(full)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .map((name) => ({ name: `${dir}/${name}`, text: fs.readFileSync(path.join(full, name), 'utf8') }));
}

const FILES = [...pythonFiles('test/corpus/python'), ...pythonFiles('examples/pytorch'), ...pythonFiles('examples/keras')];

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.start) + change.newText + text.slice(change.end);
}

function inverse(text: string, change: TextChange): TextChange {
  return { start: change.start, end: change.start + change.newText.length, newText: text.slice(change.start, change.end) };
}

function assertSameAnalysis(incremental: FileAnalysis, fresh: FileAnalysis, context: string): void {
  assert.deepStrictEqual(incremental.program, fresh.program, `program differs ${context}`);
  assert.deepStrictEqual(incremental.findings, fresh.findings, `findings differ ${context}`);
  assert.deepStrictEqual(incremental.errors, fresh.errors, `errors differ ${context}`);
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
}

const NOISE = ['(', ')', ':', ',', '=', '\n', '    ', '#', '"', 'x', '.', ' '];
const NAMES = ['nn', 'F', 'torch', 'self', 'Linear', 'Conv2d', 'ReLU', 'Sigmoid', 'Dropout', 'BatchNorm2d', 'relu', 'sigmoid', 'apply', 'forward', 'backward', 'step', 'eval'];
/** Names that turn Keras code into other Keras code: bases, layer classes, methods and wrappers. */
const KERAS_NAMES = ['keras', 'layers', 'tf', 'self', 'Model', 'Layer', 'Dense', 'LSTM', 'Bidirectional', 'TimeDistributed', 'Dropout', 'call', 'build', 'add_weight', 'compile', 'fit', 'x', 'inputs'];

/** One random edit: keystrokes, deleted ranges, changed numbers and names, moved lines, inserted definitions. */
function randomChange(random: Random, text: string, names: readonly string[]): TextChange {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 6)) {
    case 0:
      return { start: at, end: at, newText: pick(random, NOISE)! };
    case 1:
      return { start: at, end: Math.min(text.length, at + 1 + Math.floor(random() * 12)), newText: '' };
    case 2: {
      const number = pick(random, [...text.matchAll(/\b\d+(\.\d+)?\b/g)]);
      if (!number) return { start: at, end: at, newText: '1' };
      return { start: number.index, end: number.index + number[0].length, newText: String(Math.floor(random() * 600)) };
    }
    case 3: {
      const name = pick(random, [...text.matchAll(/\b[A-Za-z_]\w*\b/g)]);
      if (!name) return { start: at, end: at, newText: 'x' };
      return { start: name.index, end: name.index + name[0].length, newText: pick(random, names)! };
    }
    case 4: {
      // A whole line, deleted or copied elsewhere: statements move across classes and functions.
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = text.indexOf('\n', at);
      const end = lineEnd < 0 ? text.length : lineEnd + 1;
      if (random() < 0.5) return { start: lineStart, end, newText: '' };
      const target = text.lastIndexOf('\n', Math.floor(random() * text.length)) + 1;
      return { start: target, end: target, newText: text.slice(lineStart, end) };
    }
    default: {
      // A definition at the top level before some statement: imports, constants, factories and classes.
      const target = pick(random, [...text.matchAll(/^\S/gm)])?.index ?? 0;
      const definition = pick(random, [
        'import torch.nn as nn\n',
        'from torch import nn as F\n',
        'HIDDEN = 64\n',
        'def conv3x3(a, b, stride=1):\n    return nn.Linear(a, b)\n',
        'def weights_init(m):\n    nn.init.zeros_(m.weight)\n',
        'def trunc_normal_(tensor, std=0.02):\n    return nn.init.trunc_normal_(tensor, std=std)\n',
        'def layer_init(layer, std=1.0):\n    nn.init.orthogonal_(layer.weight, std)\n    return layer\n',
        'def make_divisible(v, divisor=8):\n    if v < divisor:\n        return divisor\n    return int(v + divisor / 2) // divisor * divisor\n',
        'def make_trunk(d):\n    layers = []\n    for _ in range(2):\n        layers += [nn.Linear(d, d), nn.ReLU()]\n    return nn.Sequential(*layers)\n',
        'class Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n',
      ])!;
      return { start: target, end: target, newText: definition };
    }
  }
}

/** Applies random edits one at a time, often undoing the last one so the file stays close to valid code. */
function checkRandomEdits(name: string, source: string, seed: number, steps: number, names: readonly string[] = NAMES): void {
  const random = seededRandom(seed);
  const analyzer = new DocumentAnalyzer('python');
  let text = source;
  assertSameAnalysis(analyzer.update(text, config, undefined).analysis, analyzeText('python', text, config), `in ${name} before any edit`);
  let undo: TextChange | undefined;
  for (let step = 0; step < steps; step++) {
    const change = undo && random() < 0.4 ? undo : randomChange(random, text, names);
    const next = apply(text, change);
    undo = change === undo ? undefined : inverse(text, change);
    const incremental = analyzer.update(next, config, [change]).analysis;
    assertSameAnalysis(incremental, analyzeText('python', next, config), `in ${name} after edit ${step} ${JSON.stringify(change)}`);
    text = next;
  }
}

function seedOf(name: string): number {
  let hash = 7;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash;
}

describe('incremental Python analysis equals a fresh analysis', function () {
  this.timeout(120_000);

  for (const file of FILES) {
    it(`after random edits of ${file.name}`, () => {
      checkRandomEdits(file.name, file.text, seedOf(file.name), 60);
    });
  }

  for (const file of FILES.filter((candidate) => /keras/.test(candidate.text))) {
    it(`after random Keras-flavoured edits of ${file.name}`, () => {
      checkRandomEdits(file.name, file.text, seedOf(`keras ${file.name}`), 60, KERAS_NAMES);
    });
  }

  it('after random edits of one file holding the whole corpus', () => {
    // Many classes in one file: most are reused across each edit, and names repeat across copies.
    const text = FILES.map((file) => file.text).join('\n');
    checkRandomEdits('the joined corpus', text, 20261201, 40);
  });

  /** Applies one edit and checks the incremental result, returning the models before and after. */
  function edited(before: string, from: string, to: string): { old: FileAnalysis; now: FileAnalysis } {
    const analyzer = new DocumentAnalyzer('python');
    const old = analyzer.update(before, config, undefined).analysis;
    const start = before.indexOf(from);
    assert.ok(start >= 0, `no ${JSON.stringify(from)} in the text`);
    const change = { start, end: start + from.length, newText: to };
    const after = apply(before, change);
    const now = analyzer.update(after, config, [change]).analysis;
    assertSameAnalysis(now, analyzeText('python', after, config), `after replacing ${JSON.stringify(from)}`);
    return { old, now };
  }

  function layerOf(analysis: FileAnalysis, model: string, layer: string) {
    const found = analysis.program?.models.find((candidate) => candidate.name === model)?.layers.find((candidate) => candidate.name === layer);
    assert.ok(found, `no layer ${layer} in ${model}`);
    return found;
  }

  const HEADER = 'import torch\nimport torch.nn as nn\n\n';

  it('links what calls pass to a function again when a call or the parameters change', () => {
    const net = 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n\n    def forward(self, x):\n        return torch.softmax(self.fc(x), dim=1)\n\n\n';
    const train = 'def train(model, loader, criterion):\n    for x, y in loader:\n        loss = criterion(model(x), y)\n        loss.backward()\n\n\n';
    const text = `${HEADER}${net}${train}def main(loader):\n    net = Net()\n    loss_fn = nn.CrossEntropyLoss()\n    train(net, loader, loss_fn)\n`;
    const fed = (analysis: FileAnalysis) => analysis.program!.losses.map((loss) => loss.inputActivation?.fn ?? null);
    const renamed = edited(text, 'def train(model, loader, criterion)', 'def train(model, loader, objective)');
    assert.deepEqual(fed(renamed.old), ['softmax']);
    assert.deepEqual(fed(renamed.now), [null]);
    assert.deepEqual(fed(edited(text, 'train(net, loader, loss_fn)', 'train(net, loader, None)').now), [null]);
    assert.deepEqual(fed(edited(text.replace('    train(net, loader, loss_fn)\n', '    print(net)\n'), 'print(net)', 'train(net, loader, loss_fn)').now), ['softmax']);
    // A loss made in the call: changing what it makes, or moving the caller, keeps the link right.
    const inline = `${HEADER}${net}${train}def main(loader):\n    net = Net()\n    train(net, loader, nn.CrossEntropyLoss())\n`;
    const remade = edited(inline, 'nn.CrossEntropyLoss()', 'nn.NLLLoss()');
    assert.deepEqual(fed(remade.old), ['softmax']);
    assert.deepEqual(fed(remade.now), ['softmax']);
    assert.deepEqual(remade.now.program!.losses.map((loss) => loss.kind), ['nll']);
    assert.deepEqual(fed(edited(inline, 'def main(loader):', '# The entry point.\ndef main(loader):').now), ['softmax']);
  });

  it('rebuilds a class when a factory function it calls changes', () => {
    const text = `${HEADER}def make(d):\n    return nn.Linear(d, d)\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = make(8)\n`;
    const { old, now } = edited(text, 'nn.Linear(d, d)', 'nn.Conv2d(d, d, 3)');
    assert.equal(layerOf(old, 'Net', 'fc').kind, 'linear');
    assert.equal(layerOf(now, 'Net', 'fc').kind, 'conv2d');
  });

  it('rebuilds a class when a numeric helper or a module-building helper it calls changes', () => {
    const text = `${HEADER}def make_divisible(v, divisor=8):\n    return int(v + divisor / 2) // divisor * divisor\n\n\ndef trunk(d):\n    layers = []\n    for _ in range(2):\n        layers.append(nn.Linear(d, d))\n    return nn.Sequential(*layers)\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, make_divisible(20))\n        self.trunk = trunk(4)\n`;
    const divisor = edited(text, 'divisor=8', 'divisor=16');
    // 20 rounds to 24 in eights, to 16 in sixteens.
    assert.equal(layerOf(divisor.old, 'Net', 'fc').out, 24);
    assert.equal(layerOf(divisor.now, 'Net', 'fc').out, 16);
    const widened = edited(text, 'range(2)', 'range(3)');
    assert.equal(widened.old.program!.models.find((model) => model.name === 'Net')!.parameterCount, 4 * 24 + 24 + 2 * 20);
    assert.equal(widened.now.program!.models.find((model) => model.name === 'Net')!.parameterCount, 4 * 24 + 24 + 3 * 20);
  });

  it('moves the spans a class takes from a factory function that moved', () => {
    const text = `${HEADER}def block(d):\n    return nn.Sequential(nn.Linear(d, d), nn.ReLU())\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = block(8)\n`;
    const { now } = edited(text, 'import torch\n', 'import torch\nimport math\n');
    const layer = layerOf(now, 'Net', 'body.0');
    assert.equal(now.text.slice(layer.span.start, layer.span.end), 'nn.Linear(d, d)');
  });

  it('rebuilds a class when the base class whose init methods it calls changes, and moves their spans', () => {
    const text = `${HEADER}class PreTrained(nn.Module):\n    def _init_weights(self, module):\n        if isinstance(module, nn.Linear):\n            nn.init.zeros_(module.weight)\n\n    def post_init(self):\n        self.apply(self._init_weights)\n\n\nclass Net(PreTrained):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n        self.post_init()\n`;
    const { old, now } = edited(text, 'nn.init.zeros_(module.weight)', 'nn.init.ones_(module.weight)');
    assert.deepEqual(layerOf(old, 'Net', 'fc').init!.dist, { family: 'constant', value: 0 });
    assert.deepEqual(layerOf(now, 'Net', 'fc').init!.dist, { family: 'constant', value: 1 });
    const moved = edited(text, 'import torch\n', 'import torch\nimport math\n').now;
    const init = layerOf(moved, 'Net', 'fc').init!;
    assert.equal(moved.text.slice(init.span!.start, init.span!.end), 'nn.init.zeros_(module.weight)');
  });

  it('rebuilds a class when a top-level init function it applies changes', () => {
    const text = `${HEADER}def init_weights(m):\n    if isinstance(m, nn.Linear):\n        nn.init.zeros_(m.weight)\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n        self.apply(init_weights)\n`;
    const { old, now } = edited(text, 'zeros_', 'kaiming_normal_');
    assert.equal(layerOf(old, 'Net', 'fc').init?.dist.family, 'constant');
    assert.equal(layerOf(now, 'Net', 'fc').init?.dist.family, 'variance_scaling');
  });

  it('rebuilds a class when an init helper it calls changes, appears or goes', () => {
    const helper = 'def trunc_normal_(tensor, std=0.02):\n    return nn.init.trunc_normal_(tensor, std=std)\n\n\n';
    const text = `${HEADER}${helper}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n        self.apply(self._init_weights)\n\n    def _init_weights(self, m):\n        if isinstance(m, nn.Linear):\n            trunc_normal_(m.weight)\n`;
    const changed = edited(text, 'std=0.02', 'std=0.1');
    assert.deepEqual(layerOf(changed.old, 'Net', 'fc').init?.dist, { family: 'normal', mean: 0, std: 0.02 });
    assert.deepEqual(layerOf(changed.now, 'Net', 'fc').init?.dist, { family: 'normal', mean: 0, std: 0.1 });
    // Without the helper the call is no torch function the reader knows: an init of unknown distribution.
    const removed = edited(text, helper, '');
    assert.deepEqual(layerOf(removed.now, 'Net', 'fc').init?.dist, { family: 'unknown' });
    const added = edited(text.replace(helper, ''), 'class Net', `${helper}class Net`);
    assert.deepEqual(layerOf(added.now, 'Net', 'fc').init?.dist, { family: 'normal', mean: 0, std: 0.02 });
  });

  it('moves the init spans a class takes from the module helper that wraps its layers', () => {
    const text = `${HEADER}def layer_init(layer, std=1.0):\n    nn.init.orthogonal_(layer.weight, std)\n    return layer\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = layer_init(nn.Linear(4, 4), std=0.5)\n`;
    const { old, now } = edited(text, 'import torch\n', 'import torch\nimport math\n');
    assert.deepEqual(layerOf(old, 'Net', 'fc').init?.dist, { family: 'orthogonal', gain: 0.5 });
    const init = layerOf(now, 'Net', 'fc').init!;
    assert.equal(now.text.slice(init.span!.start, init.span!.end), 'layer_init(nn.Linear(4, 4), std=0.5)');
  });

  it('rebuilds a class when a module constant it reads changes', () => {
    const text = `${HEADER}WIDTH = 32\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(WIDTH, 10)\n`;
    const { old, now } = edited(text, 'WIDTH = 32', 'WIDTH = 48');
    assert.equal(layerOf(old, 'Net', 'fc').in, 32);
    assert.equal(layerOf(now, 'Net', 'fc').in, 48);
  });

  it('rebuilds a class when a dataclass default it reads changes', () => {
    const text = `${HEADER}from dataclasses import dataclass\n\n@dataclass\nclass Config:\n    width: int = 32\n\n\nclass Net(nn.Module):\n    def __init__(self, config):\n        super().__init__()\n        self.fc = nn.Linear(config.width, 10)\n`;
    const { old, now } = edited(text, 'width: int = 32', 'width: int = 16');
    assert.equal(layerOf(old, 'Net', 'fc').in, 32);
    assert.equal(layerOf(now, 'Net', 'fc').in, 16);
  });

  it('rebuilds a class when an import alias it uses changes', () => {
    const text = `import torch\nimport torch.nn as nn\nimport keras.layers as L\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = L.Linear(4, 4)\n`;
    const { old, now } = edited(text, 'import keras.layers as L', 'import torch.nn as L');
    assert.equal(layerOf(old, 'Net', 'fc').kind, 'unknown');
    assert.equal(layerOf(now, 'Net', 'fc').kind, 'linear');
  });

  it('rebuilds a class when a class it uses as a layer is renamed', () => {
    const text = `${HEADER}class Inner(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n\n\nclass Outer(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.inner = inner(4)\n`;
    const { old, now } = edited(text, 'class Inner(', 'class inner(');
    assert.equal(old.program?.models.find((model) => model.name === 'Outer')?.layers.length, 0);
    assert.equal(layerOf(now, 'Outer', 'inner').ref, 'inner');
  });

  const TRAINING = `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)

    def score(self, x, y):
        return criterion(self(x), y)


criterion = nn.CrossEntropyLoss()
model = Net()
`;

  it('reads a class again when a name it calls becomes or stops being a loss object', () => {
    const renamed = edited(TRAINING, 'criterion = nn', 'loss_fn = nn');
    assert.ok(renamed.old.program!.losses[0]!.callSpan);
    assert.equal(renamed.now.program!.losses[0]!.callSpan, undefined);
    const named = edited(TRAINING.replace('criterion = nn', 'loss_fn = nn'), 'loss_fn = nn', 'criterion = nn');
    assert.ok(named.now.program!.losses[0]!.callSpan);
  });

  it('reads a class again when an edit adds training code to it', () => {
    const { old, now } = edited(TRAINING, '        return self.fc(x)\n', '        with torch.no_grad():\n            model.eval()\n        return self.fc(x)\n');
    assert.equal(old.program!.noGrad.length + old.program!.modeCalls.length, 0);
    assert.equal(now.program!.noGrad.length, 1);
    assert.equal(now.program!.modeCalls.length, 1);
  });

  it('keeps a class attribute out of the module names, before and after an edit', () => {
    // Python binds a class body's names in the class: the `out` the loss below reads is not the class's.
    // The class names training (`eval`), so it is read and not passed over.
    const text = `${HEADER}import torch.nn.functional as F\n\nclass Net(nn.Module):\n    out = F.softmax(x, dim=1)\n\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n    def predict(self, x):\n        self.eval()\n        return self.fc(x)\n\n\nloss = F.cross_entropy(out, y)\n`;
    const { old, now } = edited(text, 'nn.Linear(4, 2)', 'nn.Linear(4, 3)');
    assert.equal(old.program!.losses[0]!.inputActivation, null);
    assert.equal(now.program!.losses[0]!.inputActivation, null);
  });

  it('keeps the model instances and loss objects a function makes', () => {
    const text = `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n\ndef make():\n    model = Net()\n    return model\n\n\ndef make_loss():\n    criterion = nn.CrossEntropyLoss()\n    return criterion\n\n\nmodel.eval()\n`;
    const { now } = edited(text, 'nn.Linear(4, 2)', 'nn.Linear(4, 3)');
    assert.deepEqual(now.program!.modeCalls.map((call) => call.model), ['Net']);
    assert.equal(now.program!.losses.length, 1);
  });

  const TRAIN_FUNCTIONS = `${HEADER}import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)


def clear(optimizer):
    optimizer.zero_grad()


def train(loader, optimizer):
    for x, y in loader:
        clear(optimizer)
        loss = criterion(F.softmax(model(x), dim=1), y)
        loss.backward()
        optimizer.step()


def evaluate(loader):
    with torch.no_grad():
        for x, y in loader:
            criterion(model(x), y)


criterion = nn.CrossEntropyLoss()
model = Net()
`;

  it('tells a loss made elsewhere of the first call on it, from a training function kept from the last version', () => {
    const { old, now } = edited(TRAIN_FUNCTIONS, 'nn.Linear(4, 2)', 'nn.Linear(4, 3)');
    for (const analysis of [old, now]) {
      const loss = analysis.program!.losses[0]!;
      assert.equal(analysis.text.slice(loss.callSpan!.start, loss.callSpan!.end), 'criterion(F.softmax(model(x), dim=1), y)');
      assert.equal(loss.inputActivation?.fn, 'softmax');
      assert.equal(loss.model, 'Net');
    }
    // Moving the functions moves what they told the loss.
    const shifted = edited(TRAIN_FUNCTIONS, 'def clear(', '# clears\ndef clear(').now.program!.losses[0]!;
    assert.equal(shifted.callSpan!.start, old.program!.losses[0]!.callSpan!.start + '# clears\n'.length);
  });

  it('reads a training function again when a variable it calls stops holding a model', () => {
    const { old, now } = edited(TRAIN_FUNCTIONS, 'model = Net()', 'model = make()');
    assert.deepEqual(old.program!.noGrad[0]!.calls.map((call) => call.model), ['Net']);
    assert.deepEqual(now.program!.noGrad[0]!.calls, []);
  });

  it('reads a training function again when a variable it calls stops holding a loss object', () => {
    const { old, now } = edited(TRAIN_FUNCTIONS, 'criterion = nn.CrossEntropyLoss()', 'criterion = make_loss()');
    assert.equal(old.program!.losses.length, 1);
    assert.equal(now.program!.losses.length, 0);
  });

  it('reads a training function again when a helper it calls changes', () => {
    const { old, now } = edited(TRAIN_FUNCTIONS, '    optimizer.zero_grad()\n', '    pass\n');
    assert.equal(old.program!.loops[0]!.zeroGrad.length, 1);
    assert.equal(now.program!.loops[0]!.zeroGrad.length, 0);
    assert.ok(now.findings.some((finding) => finding.code === 'DL601'));
  });

  it('reads a Keras scope again when a block helper it walks changes, even where the helper built nothing', () => {
    const text = `import keras\nfrom keras import layers\n\n\ndef block(x, wide=False):\n    if wide:\n        x = layers.Dense(64)(x)\n    return x\n\n\ninputs = keras.Input(shape=(8,))\nmodel = keras.Model(inputs, layers.Dense(4)(block(inputs)))\n`;
    const { old, now } = edited(text, 'wide=False', 'wide=True');
    const count = (analysis: FileAnalysis) => analysis.program!.models.find((candidate) => candidate.name === 'model')!.parameterCount;
    assert.equal(count(old), 8 * 4 + 4);
    assert.equal(count(now), 8 * 64 + 64 + 64 * 4 + 4);
  });

  it('reads a Keras function again when a model it compiles from an earlier scope changes', () => {
    const text = `import keras\nfrom keras import layers\n\nmodel = keras.Sequential([layers.Dense(10)])\n\n\ndef train(x, y):\n    model.compile(optimizer="adam", loss="mse")\n    model.fit(x, y)\n`;
    const { old, now } = edited(text, 'model = keras', 'net = keras');
    assert.equal(old.program!.loops.length, 1);
    assert.equal(now.program!.loops.length, 0);
  });

  const KERAS_BLOCKS = `import keras\nfrom keras import layers\n\nWIDTH = 32\n\n\nclass Base(keras.Model):\n    pass\n\n\nclass Block(layers.Layer):\n    def __init__(self):\n        super().__init__()\n        self.fc = layers.Dense(WIDTH)\n\n    def call(self, x):\n        return x + self.fc(x)\n\n\nclass Net(Base):\n    def __init__(self):\n        super().__init__()\n        self.block = Block()\n\n    def call(self, x):\n        return self.block(x)\n\n\ninputs = keras.Input(shape=(8,))\nmodel = keras.Model(inputs, Block()(inputs))\n`;

  it('rebuilds a subclassed Keras model when a module constant it reads changes', () => {
    const { old, now } = edited(KERAS_BLOCKS, 'WIDTH = 32', 'WIDTH = 48');
    assert.equal(layerOf(old, 'Block', 'fc').out, 32);
    assert.equal(layerOf(now, 'Block', 'fc').out, 48);
  });

  it('reads a Keras scope again when a class it applies as a layer is renamed', () => {
    const { old, now } = edited(KERAS_BLOCKS, 'class Block(', 'class Mixer(');
    const functional = (analysis: FileAnalysis) => analysis.program!.models.find((candidate) => candidate.name === 'model')!.layers[0]!;
    assert.equal(functional(old).ref, 'Block');
    assert.equal(functional(now).ref, undefined);
  });

  it('drops a subclassed model whose local base stops deriving from keras.Model', () => {
    const { old, now } = edited(KERAS_BLOCKS, 'class Base(keras.Model)', 'class Base(object)');
    const names = (analysis: FileAnalysis) => analysis.program!.models.map((candidate) => candidate.name);
    assert.deepEqual(names(old), ['Base', 'Block', 'Net', 'model']);
    assert.deepEqual(names(now), ['Block', 'model']);
  });

  it('gives a fresh result when the edits are unknown or several at once', () => {
    const [first, second] = FILES;
    const analyzer = new DocumentAnalyzer('python');
    analyzer.update(first!.text, config, undefined);
    const joined = `${second!.text}\n${first!.text}`;
    assertSameAnalysis(analyzer.update(joined, config, undefined).analysis, analyzeText('python', joined, config), 'after an unknown edit');
    const changes: TextChange[] = [
      { start: 0, end: 0, newText: 'X = 1\n' },
      { start: second!.text.length, end: second!.text.length, newText: '\nY = 2\n' },
    ];
    // Changes apply in order, each in the coordinates of the text the previous one left.
    const edited = changes.reduce(apply, joined);
    assertSameAnalysis(analyzer.update(edited, config, changes).analysis, analyzeText('python', edited, config), 'after two edits at once');
  });
});
