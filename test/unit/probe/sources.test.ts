// Sequence models from source, through the real front ends: the IR they produce for embeddings, recurrent and
// attention layers is what the probe builds from.
import * as assert from 'node:assert/strict';
import type { Program } from '../../../src/core/ir/types';
import { parsePython } from '../../../src/core/parse/python';
import { parseJavaScript } from '../../../src/core/parse/tfjs';
import { probeModel, type ProbeOptions, type ProbeResult } from '../../../src/core/probe/probe';
import { checkModelGradients, gradientsOf } from './model-harness';

async function probeOnly(program: Program, options: ProbeOptions = {}): Promise<ProbeResult> {
  assert.equal(program.models.length, 1);
  return probeModel(program.models[0]!, { device: 'cpu', loss: program.losses[0] ?? null, ...options });
}

describe('probe: sequence models parsed from source', function () {
  this.timeout(30000);

  it('a PyTorch GRU with batch_first and a head on every step', async () => {
    const result = await probeOnly(
      parsePython(`import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(8, 16, num_layers=2, batch_first=True)
        self.head = nn.Linear(16, 3)

    def forward(self, x):
        out, h = self.rnn(x)
        return self.head(out)
`),
    );
    assert.deepEqual(result.layers.map((l) => l.name), ['rnn_l0', 'rnn_l1', 'head']);
    assert.deepEqual(result.inputShape, [16, 8]);
    const notes = result.notes.join('\n');
    assert.match(notes, /Input sequences have 16 steps, the probe's default sequence length/);
    assert.match(notes, /'rnn' \(nn\.GRU, layer 0\): unrolled over 16 steps .*gates \(r, z, n\).*initialization weight_ih U\(±0\.25\)/);
  });

  it('PyTorch MultiheadAttention with a residual and a layer norm', async () => {
    const result = await probeOnly(
      parsePython(`import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
        self.norm = nn.LayerNorm(32)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        a, _ = self.attn(x, x, x)
        x = self.norm(x + a)
        return self.fc(x)
`),
      { sequenceLength: 10 },
    );
    assert.deepEqual(result.layers.map((l) => l.kind), ['attention', 'linear']);
    assert.deepEqual(result.layers[0]!.tensors!.map((t) => t.name), ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    assert.match(result.notes.join('\n'), /self-attention over 10 positions without a mask, 4 heads of size 8/);
  });

  it('a Keras text classifier: embedding, LSTM and GRU, sparse cross-entropy on a softmax', async () => {
    const result = await probeOnly(
      parsePython(`from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.Embedding(1000, 16, input_length=20),
    layers.LSTM(32, return_sequences=True),
    layers.GRU(32),
    layers.Dense(3, activation="softmax"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
`),
    );
    assert.deepEqual(result.layers.map((l) => l.kind), ['embedding', 'lstm', 'gru', 'linear']);
    assert.deepEqual(result.inputShape, [20], 'the length comes from input_length');
    assert.equal(result.loss.kind, 'cross_entropy');
    const notes = result.notes.join('\n');
    assert.match(notes, /random token ids, uniform over the vocabulary of 1000\./);
    assert.match(notes, /\(layers\.LSTM, layer 1\): unrolled over 20 steps .*Keras equations, gates \(i, f, c, o\) with sigmoid.*recurrent_kernel orthogonal, bias 0 with the forget-gate quarter 1/);
    assert.match(notes, /\(layers\.GRU, layer 2\): .*reset gate after h·W_hh/);
    assert.doesNotMatch(notes, /default sequence length/);
    assert.equal(result.layers[2]!.stepGradNorms!.length, 20);
  });

  it('a Keras functional model with MultiHeadAttention', async () => {
    const result = await probeOnly(
      parsePython(`import keras
from keras import layers

inputs = keras.Input(shape=(12, 32))
y = layers.MultiHeadAttention(4, 8)(inputs, inputs)
outputs = layers.Dense(2)(y)
attn = keras.Model(inputs, outputs)
`),
    );
    assert.deepEqual(result.layers[0]!.tensors!.map((t) => t.name), [
      'query/kernel',
      'query/bias',
      'key/kernel',
      'key/bias',
      'value/kernel',
      'value/bias',
      'attention_output/kernel',
      'attention_output/bias',
    ]);
  });

  it('a Keras embedding into strided Conv1D layers: the default length is named when it is too short', async () => {
    const program = parsePython(`from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(None,), dtype="int64")
x = layers.Embedding(2000, 32)(inputs)
x = layers.Conv1D(64, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.Conv1D(64, 7, padding="valid", activation="relu", strides=3)(x)
x = layers.GlobalMaxPooling1D()(x)
predictions = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, predictions)
model.compile(loss="binary_crossentropy", optimizer="adam")
`);
    // Two kernels of 7 with stride 3 leave floor((floor((16 − 7)/3) + 1 − 7)/3) + 1 ≤ 0 steps of 16.
    await assert.rejects(probeOnly(program), /convolution output would be empty.*\(with sequences of 16 steps, the probe's default; pass --input-size to choose the length\)/);
    const result = await probeOnly(program, { sequenceLength: 200 });
    assert.deepEqual(result.layers.map((l) => l.kind), ['embedding', 'conv1d', 'conv1d', 'linear']);
    assert.equal(result.loss.kind, 'bce_with_logits');
  });

  describe('a PyTorch recurrent layer whose output is indexed at one step', () => {
    const picking = (pick: string, batchFirst = true) =>
      parsePython(`import torch.nn as nn

class LastStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, batch_first=${batchFirst ? 'True' : 'False'})
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        out, h = self.gru(x)
        return self.head(${pick})
`).models[0]!;

    it('has the gradients of finite differences', async () => {
      await checkModelGradients(picking('out[:, -1]'), { sequenceLength: 5 });
      await checkModelGradients(picking('out[2]', false), { sequenceLength: 5 });
    });

    it('picks the step it names: nothing after it gets a gradient, and from step 0 none reaches the recurrent weights', async () => {
      const result = await probeOnly({ ...parsePython('import torch.nn as nn\n'), models: [picking('out[:, 2]')] }, { sequenceLength: 5 });
      const steps = result.layers[0]!.stepGradNorms!;
      assert.equal(steps.length, 5);
      assert.ok(steps.slice(0, 3).every((norm) => norm > 0), String(steps));
      assert.deepEqual(steps.slice(3), [0, 0]);
      // From a zero initial state, the first step's output does not depend on weight_hh.
      const first = await gradientsOf(picking('out[:, 0]'), { sequenceLength: 5 });
      const recurrent = Object.entries(first.gradients).find(([name]) => name.endsWith('weight_hh_l0'))![1];
      assert.ok(recurrent.every((value) => value === 0));
      const last = await gradientsOf(picking('out[:, -1]'), { sequenceLength: 5 });
      assert.ok(Object.entries(last.gradients).find(([name]) => name.endsWith('weight_hh_l0'))![1].some((value) => value !== 0));
    });

    it('refuses a pick along the batch axis or past the last step, naming the layer', async () => {
      await assert.rejects(probeOnly({ ...parsePython(''), models: [picking('out[-1]')] }), /cannot probe layer 'gru' \(nn\.GRU, layer 0\): its output is indexed along the batch or feature axis \(axis 0\)/);
      await assert.rejects(probeOnly({ ...parsePython(''), models: [picking('out[:, 7]')] }, { sequenceLength: 5 }), /its output is indexed at step 7 of 5/);
      await assert.rejects(probeOnly({ ...parsePython(''), models: [picking('h[-1]')] }), /the forward pass uses index the probe cannot build yet/);
    });
  });

  it('refuses a model with tied weights, naming the layer, rather than probe two separate tensors', async () => {
    const program = parsePython(`import torch.nn as nn

class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 8)
        self.head = nn.Linear(8, 50, bias=False)
        self.head.weight = self.emb.weight

    def forward(self, x):
        return self.head(self.emb(x))
`);
    await assert.rejects(probeOnly(program, { sequenceLength: 4 }), /cannot probe layer 'head' \(nn\.Linear, layer 1\): its weight is the weight of 'emb' \(tied\)/);
  });

  it('a TF.js sentiment model: embedding and global average pooling over the steps', async () => {
    const result = await probeOnly(
      parseJavaScript(
        `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.embedding({ inputDim: 10000, outputDim: 16, inputLength: 100 }));
model.add(tf.layers.globalAveragePooling1d({}));
model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' });
`,
        { jsx: false, language: 'javascript' },
      ),
    );
    assert.deepEqual(result.inputShape, [100]);
    assert.deepEqual(result.layers.map((l) => l.kind), ['embedding', 'linear', 'linear']);
    assert.equal(result.loss.kind, 'bce_with_logits');
  });
});
