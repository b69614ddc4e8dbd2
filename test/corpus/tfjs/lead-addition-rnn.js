// The tfjs-examples addition-rnn style: a sequence-to-sequence LSTM with repeatVector and timeDistributed.
import * as tf from '@tensorflow/tfjs';

export function createAndCompileModel(layers, hiddenSize, rnnType, digits, vocabularySize) {
  const maxLen = digits + 1 + digits;
  const model = tf.sequential();
  model.add(tf.layers.lstm({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
  model.add(tf.layers.repeatVector({n: digits + 1}));
  model.add(tf.layers.lstm({units: hiddenSize, recurrentInitializer: 'glorotNormal', returnSequences: true}));
  model.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: vocabularySize})}));
  model.add(tf.layers.activation({activation: 'softmax'}));
  model.compile({loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy']});
  return model;
}
