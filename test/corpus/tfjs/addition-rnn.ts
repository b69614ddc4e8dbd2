// The tfjs-examples addition-rnn style: a sequence-to-sequence LSTM that learns to add two numbers.
import * as tf from '@tensorflow/tfjs-node';

export type RnnType = 'SimpleRNN' | 'GRU' | 'LSTM';

export class CharacterTable {
  readonly size: number;
  private readonly indices: Map<string, number>;

  constructor(readonly chars: string) {
    this.size = chars.length;
    this.indices = new Map([...chars].map((char, index) => [char, index]));
  }

  encode(text: string, numRows: number): tf.Tensor2D {
    const buffer = tf.buffer([numRows, this.size]);
    [...text].forEach((char, row) => buffer.set(1, row, this.indices.get(char) ?? 0));
    return buffer.toTensor() as tf.Tensor2D;
  }

  decode(x: tf.Tensor2D): string {
    const indices = x.argMax(-1).dataSync();
    return Array.from(indices, (index) => this.chars[index] ?? '').join('');
  }
}

export function createAndCompileModel(
  layers: number,
  hiddenSize: number,
  rnnType: RnnType,
  digits: number,
  vocabularySize: number,
): tf.Sequential {
  const maxLen = digits + 1 + digits;
  const model = tf.sequential();
  if (rnnType === 'SimpleRNN') {
    model.add(tf.layers.simpleRNN({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
  } else if (rnnType === 'GRU') {
    model.add(tf.layers.gru({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
  } else {
    model.add(tf.layers.lstm({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
  }
  model.add(tf.layers.repeatVector({n: digits + 1}));
  for (let i = 0; i < layers; i++) {
    model.add(tf.layers.lstm({units: hiddenSize, recurrentInitializer: 'glorotNormal', returnSequences: true}));
  }
  model.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: vocabularySize})}));
  model.add(tf.layers.activation({activation: 'softmax'}));
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: tf.train.adam(0.001, undefined, undefined, undefined),
    metrics: ['accuracy'],
  });
  return model;
}

export async function trainModel(model: tf.Sequential, xs: tf.Tensor3D, ys: tf.Tensor3D, iterations: number): Promise<void> {
  for (let i = 0; i < iterations; i++) {
    const history = await model.fit(xs, ys, {epochs: 1, batchSize: 128, validationSplit: 0.1});
    const loss = history.history.loss?.[0];
    console.log(`iteration ${i}: loss ${String(loss)}`);
  }
}
