'use strict';
/**
 * Sequence-to-sequence addition, after tfjs-examples/addition-rnn.
 * Input: a string such as "123+45 " one-hot encoded; output: the digits of the sum.
 */
const tf = require('@tensorflow/tfjs');

const DIGITS = 3;
const MAX_LEN = DIGITS + 1 + DIGITS; // "abc+def"
const CHARS = '0123456789+ ';
const NUM_CHARS = CHARS.length;

/**
 * @param {'SimpleRNN'|'GRU'|'LSTM'} rnnType
 * @param {number} rnnLayers number of decoder layers
 * @param {number} hiddenSize
 */
function createAndCompileModel(rnnType, rnnLayers, hiddenSize, digits, vocabularySize) {
  const maxLen = digits + 1 + digits;
  const model = tf.sequential();
  switch (rnnType) {
    case 'SimpleRNN':
      model.add(tf.layers.simpleRNN({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
      break;
    case 'GRU':
      model.add(tf.layers.gru({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
      break;
    case 'LSTM':
      model.add(tf.layers.lstm({units: hiddenSize, recurrentInitializer: 'glorotNormal', inputShape: [maxLen, vocabularySize]}));
      break;
    default:
      throw new Error(`Unsupported rnnType: ${rnnType}`);
  }
  model.add(tf.layers.repeatVector({n: digits + 1}));
  for (let i = 0; i < rnnLayers; ++i) {
    model.add(tf.layers.lstm({units: hiddenSize, recurrentInitializer: 'glorotNormal', returnSequences: true}));
  }
  model.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: vocabularySize})}));
  model.add(tf.layers.activation({activation: 'softmax'}));
  model.compile({loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy']});
  return model;
}

/** A fixed encoder/decoder with GRU encoder and two LSTM decoder layers. */
function createFixedModel() {
  const hiddenSize = 128;
  const model = tf.sequential();
  model.add(tf.layers.gru({units: hiddenSize, inputShape: [MAX_LEN, NUM_CHARS]}));
  model.add(tf.layers.repeatVector({n: DIGITS + 1}));
  model.add(tf.layers.lstm({units: hiddenSize, returnSequences: true}));
  model.add(tf.layers.lstm({units: hiddenSize, returnSequences: true}));
  model.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: NUM_CHARS, activation: 'softmax'})}));
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: tf.train.adam(1e-3),
    metrics: ['accuracy'],
  });
  return model;
}

async function train(model, trainXs, trainYs, testXs, testYs, epochs = 100) {
  const history = await model.fit(trainXs, trainYs, {
    epochs,
    batchSize: 128,
    validationData: [testXs, testYs],
    yieldEvery: 'epoch',
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        console.log(`Epoch ${epoch + 1}/${epochs}: loss=${logs.loss.toFixed(4)} val_acc=${logs.val_acc.toFixed(4)}`);
      },
    },
  });
  return history;
}

function decode(predictions) {
  return tf.tidy(() => {
    const argMax = predictions.argMax(-1);
    return argMax.arraySync().map((row) => row.map((i) => CHARS[i]).join(''));
  });
}

module.exports = {createAndCompileModel, createFixedModel, train, decode, CHARS, MAX_LEN};
