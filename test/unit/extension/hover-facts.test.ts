import { strict as assert } from 'node:assert';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { hoverTargetAt, type HoverTarget } from '../../../src/extension/hover-facts';

const PYTORCH = `import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(100, 50)
        self.fc2 = nn.Linear(50, 10)
        self.drop = nn.Dropout(0.2)
        nn.init.kaiming_normal_(self.fc2.weight, nonlinearity='relu')

    def forward(self, x):
        x = F.relu(self.fc1(x))
        return self.fc2(self.drop(x))


model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
`;

function hoverOn(text: string, needle: string, kind: 'python' | 'javascript' = 'python', delta = 1): HoverTarget {
  const analysis = analyzeText(kind, text, defaultConfig());
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const target = hoverTargetAt(analysis.program!, text, analysis.findings, offset + delta);
  assert.ok(target, `no hover on ${needle}`);
  return target;
}

function facts(target: HoverTarget): Record<string, string> {
  return Object.fromEntries(target.facts.map((fact) => [fact.label, fact.value]));
}

describe('hover facts', () => {
  it('states a layer’s sizes, parameters and the variance its default init gives', () => {
    const target = hoverOn(PYTORCH, 'nn.Linear(100, 50)');
    assert.equal(target.noteKey, 'nn.Linear');
    const values = facts(target);
    assert.equal(values['in → out'], '100 → 50');
    // 100 · 50 weights + 50 biases.
    assert.equal(values['parameters'], '5,050');
    // kaiming_uniform_(a=√5): gain² = 2/(1+5) = 1/3, bound² = 3·gain²/fan_in, Var = bound²/3 = 1/(3·fan_in);
    // times fan_in: 1/3. ReLU halves the second moment of a symmetric input: 1/6.
    assert.equal(values['activation variance'], '×1/3 per layer (Var(W)·fan_in); ×1/6 after relu');
  });

  it('says a tied weight is one tensor, counted on the layer it is tied to', () => {
    const text = `import torch.nn as nn\n\nclass LM(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(50, 8)\n        self.head = nn.Linear(8, 50)\n        self.head.weight = self.emb.weight\n\n    def forward(self, x):\n        return self.head(self.emb(x))\n`;
    const values = facts(hoverOn(text, 'nn.Linear(8, 50)'));
    // Only the bias is the head's own.
    assert.equal(values['parameters'], '50');
    assert.equal(values['weight'], 'tied to emb: one tensor, counted there');
  });

  it('states what an explicit He init does, on the layer and on the init call', () => {
    const layer = facts(hoverOn(PYTORCH, 'nn.Linear(50, 10)'));
    assert.equal(layer['parameters'], '510');
    assert.match(layer['weight init']!, /^kaiming_normal_/);
    // He normal: Var(W) = 2/fan_in, so Var(W)·fan_in = 2; no activation follows this layer.
    assert.equal(layer['activation variance'], '×2 per layer (Var(W)·fan_in)');
    const call = hoverOn(PYTORCH, 'nn.init.kaiming_normal_', 'python', 10);
    assert.equal(call.noteKey, 'nn.init.kaiming_normal_');
    assert.equal(facts(call)['activation variance (fc2)'], '×2 per layer (Var(W)·fan_in)');
  });

  it('states the dropout rate and the training-time scaling 1/(1-p)', () => {
    const values = facts(hoverOn(PYTORCH, 'nn.Dropout'));
    // 1/(1-0.2) = 1.25.
    assert.equal(values['drop probability'], '0.2 (keeps 80% of units, survivors scaled ×1.25 in training)');
  });

  it('summarises the model on its class name', () => {
    const target = hoverOn(PYTORCH, 'class Net', 'python', 7);
    assert.equal(target.heading, 'Net: PyTorch model');
    const values = facts(target);
    // 5,050 + 510; dropout has no parameters.
    assert.equal(values['parameters'], '5,560');
    assert.equal(values['depth (weight layers on the path)'], '2');
    assert.equal(values['activations'], 'relu');
    assert.equal(values['has'], 'dropout');
  });

  it('gives Keras BatchNormalization’s moving statistics apart from the trainable parameters', () => {
    const text = `import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(32), layers.BatchNormalization(), layers.Dense(1)])
`;
    // 8·32 + 32, gamma and beta of 32 channels, 32 + 1; a moving mean and variance per channel besides.
    const summary = facts(hoverOn(text, 'model ='));
    assert.equal(summary['parameters'], '385');
    assert.match(summary['non-trainable']!, /^64 /);
    const norm = facts(hoverOn(text, 'BatchNormalization', 'python', 2));
    assert.equal(norm['parameters'], '64');
    assert.match(norm['non-trainable']!, /^64 \(moving mean and variance/);
  });

  it('gives PyTorch weights frozen with requires_grad=False apart from the trainable parameters', () => {
    const text = `import torch.nn as nn


class Probe(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(16, 16)
        self.backbone.requires_grad_(False)
        self.head = nn.Linear(16, 2)
`;
    const summary = facts(hoverOn(text, 'class Probe', 'python', 7));
    assert.equal(summary['parameters'], '34');
    assert.equal(summary['non-trainable'], '272 (weights frozen with requires_grad=False, not in the count above)');
    const backbone = facts(hoverOn(text, 'nn.Linear(16, 16)', 'python', 4));
    assert.equal(backbone['non-trainable'], '272 (frozen with requires_grad=False; parameters() lists them too)');
  });

  it('states an optimizer’s learning rate and momentum', () => {
    const target = hoverOn(PYTORCH, 'torch.optim.SGD', 'python', 12);
    assert.equal(target.noteKey, 'torch.optim.SGD');
    const values = facts(target);
    assert.equal(values['learning rate'], '0.05');
    assert.equal(values['momentum'], '0.9');
  });

  it('names the output a per-output Keras loss applies to', () => {
    const text = `from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(8,))
label = layers.Dense(3, activation="softmax", name="label")(inputs)
box = layers.Dense(4, name="box")(inputs)
model = keras.Model(inputs, [label, box])
model.compile(optimizer="adam", loss={"label": keras.losses.SparseCategoricalCrossentropy(), "box": "mse"})
model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", keras.losses.MeanSquaredError()])
`;
    assert.deepEqual(facts(hoverOn(text, 'losses.SparseCategoricalCrossentropy', 'python', 8)), { loss: 'sparse categorical crossentropy', from_logits: 'false', model: 'model', output: 'label' });
    assert.equal(facts(hoverOn(text, 'losses.MeanSquaredError', 'python', 8))['output'], 'position 2 of the outputs');
  });

  it('picks the innermost element when hovers nest (an activation string inside a layer call)', () => {
    const text = `import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation='relu', input_shape=(8,)),
    tf.keras.layers.Dense(1),
])
`;
    assert.equal(hoverOn(text, "'relu'").noteKey, "'relu'");
    // 8 · 32 weights + 32 biases.
    assert.equal(facts(hoverOn(text, 'tf.keras.layers.Dense(32', 'python', 16))['parameters'], '288');
  });

  it('attaches a finding to the call it is about, not to calls nested in its arguments', () => {
    const text = `import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(8, 8)
        self.b = nn.Linear(8, 8)
        self.c = nn.Linear(8, 8)
        self.d = nn.Linear(8, 2)

    def forward(self, x):
        x = torch.sigmoid(self.a(x))
        x = torch.sigmoid(self.b(x))
        x = F.dropout(torch.sigmoid(self.c(x)), 0.1)
        return self.d(x)
`;
    const target = hoverOn(text, 'F.dropout');
    assert.deepEqual(target.findings.map((finding) => finding.code), ['DL304']);
    assert.equal(target.findings[0]!.fixTitle, 'Pass training=self.training');
    assert.equal(facts(target)['training='], 'not passed: always on, even after eval()');
  });
});

describe('hover facts on Keras wrappers', () => {
  const KERAS = `import keras
from keras import layers

inputs = keras.Input(shape=(20, 8))
x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(inputs)
outputs = layers.TimeDistributed(layers.Dense(4))(x)
model = keras.Model(inputs, outputs)
`;

  it('says the sizes and parameters are the whole Bidirectional wrapper’s, on the wrapper and on the layer inside', () => {
    for (const needle of ['layers.Bidirectional', 'layers.LSTM']) {
      const shown = facts(hoverOn(KERAS, needle, 'python', 8));
      assert.equal(shown['wrapped in'], 'layers.Bidirectional: runs forwards and backwards, joined by concat (sizes and parameters of both directions)');
      // Two LSTMs of 4·16·(8 + 16 + 1) weights each, and twice the width out.
      assert.equal(shown['parameters'], '3,200');
      assert.equal(shown['in → out'], '8 → 32');
    }
  });

  it('says TimeDistributed applies the layer at every step', () => {
    const shown = facts(hoverOn(KERAS, 'layers.Dense', 'python', 8));
    assert.equal(shown['wrapped in'], 'layers.TimeDistributed: applied at every step (sizes per step)');
    assert.equal(shown['in → out'], '32 → 4');
    assert.equal(shown['parameters'], '132');
  });
});
