import { strict as assert } from 'node:assert';
import { closeAll, diagnosticCodes, fixture, hoverAt, literally, noteTitle, open, positionOf } from './helpers';

describe('hovers', () => {
  after(closeAll);

  it('explains a layer: its concept note, then facts about this very call', async () => {
    const uri = fixture('classifier.py');
    const { document } = await open(uri);
    const text = await hoverAt(uri, positionOf(document, 'nn.Linear(784, 512)', 4), /784 → 512/);
    assert.match(text, literally(`**${noteTitle('linear-layer')}** — `));
    // 784 · 512 weights + 512 biases.
    assert.match(text, /\| parameters \| 401,920 \|/);
    assert.match(text, /kaiming_uniform_\(a=√5\) \(framework default\)/);
    // PyTorch's default init: Var(W) = 1/(3·fan_in), so the layer scales the input variance by 1/3.
    assert.match(text, /×1\/3 per layer/);
  });

  it("summarises the model on its class name", async () => {
    const uri = fixture('classifier.py');
    const { document } = await open(uri);
    const text = await hoverAt(uri, positionOf(document, 'class Classifier', 7), /Classifier: PyTorch model/);
    // 784·512+512 + 512·256+256 + 256·128+128 + 128·10+10.
    assert.match(text, /\| parameters \| 567,434 \|/);
    assert.match(text, /\| depth \(weight layers on the path\) \| 4 \|/);
    assert.match(text, /\| activations \| sigmoid, softmax \|/);
  });

  it('shows the finding and its fix on the call it is about', async () => {
    const uri = fixture('classifier.py');
    const { document } = await open(uri);
    await diagnosticCodes(uri, ['DL201', 'DL201', 'DL304', 'DL201', 'DL501', 'DL601']);
    const text = await hoverAt(uri, positionOf(document, 'F.dropout', 3), /DL304/);
    assert.match(text, literally(`**${noteTitle('dropout')}** — `));
    assert.match(text, /drop probability \| 0\.2/);
    assert.match(text, /Quick fix: Pass training=self\.training/);
    assert.doesNotMatch(text, /DL201/);
  });

  it('explains init calls, dropout modules, losses, optimizers and backward()', async () => {
    const uri = fixture('training.py');
    const { document } = await open(uri);
    const init = await hoverAt(uri, positionOf(document, 'kaiming_normal_', 2), /scheme/);
    // He init for ReLU: Var(W) = 2/fan_in.
    assert.match(init, /×2 per layer/);
    const dropout = await hoverAt(uri, positionOf(document, 'nn.Dropout', 4), /drop probability/);
    assert.match(dropout, /0\.25 \(keeps 75% of units, survivors scaled ×1\.33 in training\)/);
    const optimizer = await hoverAt(uri, positionOf(document, 'AdamW', 2), /learning rate/);
    assert.match(optimizer, /\| learning rate \| 0\.0003 \|/);
    assert.match(optimizer, /\| weight decay \| 0\.01 \|/);
    await hoverAt(uri, positionOf(document, 'nn.MSELoss', 4), /\| loss \| mse \|/);
    await hoverAt(uri, positionOf(document, 'loss.backward', 7), literally(noteTitle('backpropagation')));
    const loader = await hoverAt(uri, positionOf(document, 'DataLoader(dataset', 3), /batch size/);
    assert.match(loader, /\| batch size \| 32 \|/);
  });

  it('explains augmentation transforms and normalization layers', async () => {
    const uri = fixture('augment.py');
    const { document } = await open(uri);
    await hoverAt(uri, positionOf(document, 'RandomHorizontalFlip', 6), literally(noteTitle('data-augmentation')));
    const norm = await hoverAt(uri, positionOf(document, 'nn.BatchNorm2d', 4), literally(noteTitle('batch-normalization')));
    // A scale and a shift per channel: 2 · 16.
    assert.match(norm, /\| parameters \| 32 \|/);
    const conv = await hoverAt(uri, positionOf(document, 'nn.Conv2d', 4), /\| kernel \| 3 × 3 \|/);
    // 16 filters of 3 · 3 · 3 weights, no bias.
    assert.match(conv, /\| parameters \| 432 \|/);
  });

  it('explains Keras activation strings and TF.js layers', async () => {
    const keras = fixture('keras_mlp.py');
    const { document } = await open(keras);
    await hoverAt(keras, positionOf(document, '"relu"', 2), literally(noteTitle('relu')));
    const js = fixture('deep_tanh.js');
    const editor = await open(js);
    const layer = await hoverAt(js, positionOf(editor.document, 'tf.layers.dense({ units: 64, activation', 12), /glorotNormal/);
    assert.match(layer, /DL201/);
  });
});
