// The probe computes one loss on the model's first output, so it must not take a loss meant for one output of several.
import { strict as assert } from 'node:assert';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { trainedLoss } from '../../../src/core/probe/trained-loss';

const KERAS = `from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(8,))
label = layers.Dense(3, activation="softmax", name="label")(inputs)
box = layers.Dense(4, name="box")(inputs)
model = keras.Model(inputs, [label, box])
`;

function chosen(text: string) {
  const program = analyzeText('python', text, defaultConfig()).program!;
  return trainedLoss(program, program.models[0]!);
}

describe('the loss a probe computes', () => {
  it('is the one compiled with the model', () => {
    const loss = chosen(`${KERAS}model.compile(optimizer="adam", loss="mse")\n`);
    assert.equal(loss?.kind, 'mse');
  });

  it('is none when the model is compiled with a loss per output, by name or by position', () => {
    assert.equal(chosen(`${KERAS}model.compile(optimizer="adam", loss={"label": "sparse_categorical_crossentropy", "box": "mse"})\n`), null);
    assert.equal(chosen(`${KERAS}model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"])\n`), null);
  });
});
