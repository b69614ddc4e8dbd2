import { DL601 } from '../../../../src/core/rules/training/DL601-missing-zero-grad';
import { DL602 } from '../../../../src/core/rules/training/DL602-missing-eval-mode';
import { DL603 } from '../../../../src/core/rules/training/DL603-bias-before-batchnorm';
import { DL604 } from '../../../../src/core/rules/training/DL604-backward-in-no-grad';
import { testRule } from '../tester';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

testRule(DL601, {
  valid: [
    { name: 'zero_grad on the model', code: `for x, y in loader:\n    model.zero_grad()\n    loss_fn(model(x), y).backward()\n    opt.step()\n` },
    {
      name: 'nanoGPT gradient accumulation',
      code: `while True:
    for micro_step in range(grad_accum):
        loss = model(X, Y) / grad_accum
        scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad(set_to_none=True)
`,
    },
    { name: 'modulo-guarded step', code: `for i, (x, y) in enumerate(loader):\n    (loss_fn(model(x), y) / 4).backward()\n    if (i + 1) % 4 == 0:\n        opt.step()\n        opt.zero_grad()\n` },
    {
      name: 'a GAN step: each optimizer cleared before its own backward, another\'s cleared between',
      code: `for real, z in loader:\n    opt_d.zero_grad()\n    loss_d = crit(net_d(real), ones)\n    loss_d.backward()\n    opt_g.zero_grad()\n    opt_d.step()\n    loss_g = crit(net_d(net_g(z)), ones)\n    loss_g.backward()\n    opt_g.step()\n`,
    },
    { name: 'scheduler step is not an optimizer step', code: `for x, y in loader:\n    opt.zero_grad()\n    loss_fn(model(x), y).backward()\n    opt.step()\n    scheduler.step()\n` },
    {
      name: 'gradients cleared by a helper of the file',
      code: `def zero_grad_all(optimizers):\n    for opt in optimizers:\n        opt.zero_grad(set_to_none=True)\n\n\nfor x, y in loader:\n    zero_grad_all([opt_a, opt_b])\n    loss_fn(model(x), y).backward()\n    opt_a.step()\n    opt_b.step()\n`,
    },
  ],
  invalid: [
    { code: `for x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    opt.step()\n`, errors: [{ line: 1, column: 1, endLine: 1, endColumn: 19 }] },
    {
      name: 'gradients cleared between backward() and the step that was to use them',
      code: `for x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    opt.zero_grad()\n    opt.step()\n`,
      errors: [{ messageId: 'clearedBeforeStep', line: 4, column: 5, endColumn: 20 }],
    },
    {
      name: 'a helper of the file that does something else',
      code: `def log_step(loss):\n    print(loss.item())\n\n\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    log_step(loss)\n    opt.step()\n`,
      errors: [{ line: 5, column: 1 }],
    },
  ],
});

/** A tagger whose only dropout is inside its recurrent stack: LAYERS and DROPOUT are filled in per case. */
const TAGGER = `${HEADER}class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 64, num_layers=LAYERS, dropout=DROPOUT, batch_first=True)
        self.head = nn.Linear(64, 5)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out)

model = Tagger()
with torch.no_grad():
    preds = model(x)
`;

const NET = `${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.bn = nn.BatchNorm1d(8)

    def forward(self, x):
        return self.bn(self.fc(x))

model = Net()
`;

// An epoch loop around a step loop; SNAPSHOT is where the step loop looks at the model.
const TRAIN_STEP = `opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        F.mse_loss(model(x), y).backward()
        opt.step()
SNAPSHOT`;

testRule(DL602, {
  valid: [
    {
      name: 'a snapshot of the model between training steps (the DCGAN tutorial samples its generator so)',
      code: `${NET}${TRAIN_STEP.replace('SNAPSHOT', '        with torch.no_grad():\n            sample = model(fixed_noise).detach()\n')}`,
    },
    { name: 'eval before no_grad (PyTorch MNIST test())', code: `${NET}def test():\n    model.eval()\n    with torch.no_grad():\n        model(x)\n` },
    { name: 'eval at the end of a chain on the construction (eval() returns the module)', code: `${NET.replace('model = Net()', 'model = Net().to(device).eval()')}with torch.no_grad():\n    model(x)\n` },
    { name: 'eval at the end of a chain on the variable', code: `${NET}model.requires_grad_(False).cpu().eval()\nwith torch.no_grad():\n    model(x)\n` },
    { name: 'eval on each model of a loop over them', code: `${NET}other = Net()\ndef test():\n    for m in (model, other):\n        m.eval()\n    with torch.no_grad():\n        model(x) + other(x)\n` },
    { name: 'eval on each model of a collection passed in', code: `${NET}def test(models):\n    for m in models:\n        m.eval()\n    with torch.no_grad():\n        model(x)\n` },
    { name: 'a free-standing Sequential put in eval mode', code: `${HEADER}model = nn.Sequential(nn.Linear(20, 64), nn.Dropout(0.5))\nmodel.eval()\nwith torch.no_grad():\n    preds = model(x)\n` },
    { name: 'an LSTM of one layer, whose dropout= drops nothing', code: TAGGER.replace('LAYERS', '1').replace('DROPOUT', '0.3') },
    { name: 'an LSTM stack without dropout', code: TAGGER.replace('LAYERS', '2').replace('DROPOUT', '0.0') },
    { name: 'model without dropout or batch norm', code: `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 8)\n\n    def forward(self, x):\n        return self.fc(x)\n\nmodel = Net()\nwith torch.no_grad():\n    model(x)\n` },
  ],
  invalid: [
    { code: `${NET}with torch.no_grad():\n    preds = model(x)\n`, errors: [{ message: 'Net has batch norm', line: 15, column: 13, endColumn: 21 }] },
    {
      name: 'a chain of module methods without eval()',
      code: `${NET.replace('model = Net()', 'model = Net().to(device).requires_grad_(False)')}with torch.no_grad():\n    preds = model(x)\n`,
      errors: [{ message: 'Net has batch norm', line: 15, column: 13, endColumn: 21 }],
    },
    {
      name: 'a free-standing Sequential, and `model.eval` written without calling it',
      code: `${HEADER}model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 2))\nmodel.eval\nwith torch.no_grad():\n    preds = model(x)\n`,
      errors: [{ message: 'model has dropout', line: 7, column: 13, endColumn: 21 }],
    },
    {
      name: 'the dropout between the layers of an LSTM stack',
      code: TAGGER.replace('LAYERS', '2').replace('DROPOUT', '0.3'),
      errors: [{ message: 'Tagger has dropout', line: 16, column: 13, endColumn: 21 }],
    },
    {
      name: 'a transformer layer, whose dropout defaults to 0.1',
      code: `${HEADER}class Encoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), num_layers=2)
        self.head = nn.Linear(d, 3)

    def forward(self, x):
        return self.head(self.encoder(x))

@torch.inference_mode()
def predict(model: Encoder, x):
    return model(x)

model = Encoder()
with torch.no_grad():
    preds = model(x)
`,
      // The annotation says which model the function is given.
      errors: [
        { message: 'Encoder has dropout and is evaluated under inference_mode', line: 15, column: 12 },
        { message: 'Encoder has dropout and is evaluated under no_grad', line: 19, column: 13, endColumn: 21 },
      ],
    },
    {
      name: 'a loop that puts other things in eval mode',
      code: `${NET}for m in (teacher, critic):\n    m.eval()\nwith torch.no_grad():\n    preds = model(x)\n`,
      errors: [{ message: 'Net has batch norm', line: 17, column: 13, endColumn: 21 }],
    },
    {
      name: 'validation over another loader inside the epoch loop, without eval()',
      code: `${NET}${TRAIN_STEP.replace('SNAPSHOT', '')}    with torch.no_grad():\n        for x, y in val_loader:\n            preds = model(x)\n`,
      errors: [{ message: 'Net has batch norm', line: 22, column: 21, endColumn: 29 }],
    },
    {
      name: 'a validation loop inside the training step loop, without eval()',
      code: `${NET}${TRAIN_STEP.replace('SNAPSHOT', '        with torch.no_grad():\n            for vx, vy in val_loader:\n                model(vx)\n')}`,
      errors: [{ message: 'Net has batch norm', line: 22, column: 17, endColumn: 26 }],
    },
  ],
});

testRule(DL603, {
  valid: [
    { name: 'torchvision conv without bias before BN', code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU())\n` },
    { name: 'activation between', code: `${HEADER}m = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.BatchNorm1d(8))\n` },
    {
      name: "torchvision VGG's make_layers: one convolution, with a bias, built with and without batch norm",
      code: `${HEADER}def make_layers(cfg, batch_norm=False):
    layers = []
    in_channels = 3
    for v in cfg:
        conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
        if batch_norm:
            layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
        else:
            layers += [conv2d, nn.ReLU(inplace=True)]
        in_channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = make_layers([64, 64], batch_norm=True)
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))
`,
    },
    {
      name: 'a separable convolution with its bias before BN, as the Keras examples write it',
      code: 'import keras\nfrom keras import layers\nm = keras.Sequential([keras.Input(shape=(8, 8, 4)), layers.SeparableConv2D(8, 3), layers.BatchNormalization(), layers.DepthwiseConv2D(3), layers.BatchNormalization()])\n',
    },
  ],
  invalid: [
    {
      name: 'a helper of the file called twice: one finding where the code is',
      code: `${HEADER}def conv_bn(cin, cout):\n    return nn.Sequential(nn.Conv2d(cin, cout, 3), nn.BatchNorm2d(cout))\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.features = nn.Sequential(conv_bn(3, 32), conv_bn(32, 64))\n`,
      errors: [{ line: 5, column: 26 }],
      output: `${HEADER}def conv_bn(cin, cout):\n    return nn.Sequential(nn.Conv2d(cin, cout, 3, bias=False), nn.BatchNorm2d(cout))\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.features = nn.Sequential(conv_bn(3, 32), conv_bn(32, 64))\n`,
      safe: false,
    },
    {
      name: 'a BatchNorm the constructor defaults turn on',
      code: `${HEADER}class Block(nn.Module):\n    def __init__(self, c=8, use_bn=True):\n        super().__init__()\n        self.conv = nn.Conv2d(c, c, 3)\n        self.bn = nn.BatchNorm2d(c) if use_bn else nn.Identity()\n\n    def forward(self, x):\n        return self.bn(self.conv(x))\n`,
      errors: [{ line: 7, column: 21 }],
      output: `${HEADER}class Block(nn.Module):\n    def __init__(self, c=8, use_bn=True):\n        super().__init__()\n        self.conv = nn.Conv2d(c, c, 3, bias=False)\n        self.bn = nn.BatchNorm2d(c) if use_bn else nn.Identity()\n\n    def forward(self, x):\n        return self.bn(self.conv(x))\n`,
      safe: false,
    },
    {
      code: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())\n`,
      errors: [{ line: 4, column: 19, endColumn: 28 }],
      output: `${HEADER}m = nn.Sequential(nn.Conv2d(3, 8, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU())\n`,
      safe: false,
    },
    {
      kind: 'javascript',
      code: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.conv2d({inputShape: [8, 8, 1], filters: 4, kernelSize: 3}), tf.layers.batchNormalization()]});\n",
      errors: [{ line: 2, column: 35 }],
      output: "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential({layers: [tf.layers.conv2d({inputShape: [8, 8, 1], filters: 4, kernelSize: 3, useBias: false}), tf.layers.batchNormalization()]});\n",
    },
  ],
});

testRule(DL604, {
  valid: [
    { code: `import torch\nloss.backward()\nwith torch.no_grad():\n    p -= lr * p.grad\n` },
    {
      name: 'an adversarial step: backward under enable_grad inside a no_grad function',
      code: `import torch\nimport torch.nn.functional as F\n\n@torch.no_grad()\ndef attack(model, x, y, eps=0.03):\n    with torch.enable_grad():\n        x = x.clone().requires_grad_(True)\n        F.cross_entropy(model(x), y).backward()\n    return x + eps * x.grad.sign()\n`,
    },
    {
      name: 'backward under set_grad_enabled(True) inside no_grad',
      code: `import torch\nwith torch.no_grad():\n    with torch.set_grad_enabled(True):\n        loss = f(x)\n        loss.backward()\n`,
    },
  ],
  invalid: [
    { code: `import torch\nwith torch.inference_mode():\n    loss = f(x)\n    loss.backward()\n`, errors: [{ message: 'torch.inference_mode()', line: 4, column: 5, endColumn: 20 }] },
    {
      name: 'enable_grad does not lift inference mode',
      code: `import torch\nwith torch.inference_mode():\n    with torch.enable_grad():\n        loss = f(x)\n        loss.backward()\n`,
      errors: [{ message: 'torch.inference_mode()', line: 5, column: 9 }],
    },
    {
      name: 'set_grad_enabled(False) inside no_grad keeps gradients off',
      code: `import torch\nwith torch.no_grad():\n    with torch.set_grad_enabled(False):\n        loss = f(x)\n        loss.backward()\n`,
      errors: [{ message: 'torch.no_grad()', line: 5, column: 9 }],
    },
  ],
});
