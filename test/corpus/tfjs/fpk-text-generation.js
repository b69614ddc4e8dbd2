// The tfjs-examples lstm-text-generation style: stacked LSTMs over one-hot characters, a softmax over the
// character set, categorical cross-entropy, and sampling the next character with a temperature.
import * as tf from '@tensorflow/tfjs';

const SAMPLE_LEN = 40;
const CHARSET_SIZE = 60;

export function createModel(lstmLayerSizes = [128, 128], sampleLen = SAMPLE_LEN, charSetSize = CHARSET_SIZE) {
  const model = tf.sequential();
  for (let i = 0; i < lstmLayerSizes.length; ++i) {
    const lstmLayerSize = lstmLayerSizes[i];
    model.add(tf.layers.lstm({
      units: lstmLayerSize,
      returnSequences: i < lstmLayerSizes.length - 1,
      inputShape: i === 0 ? [sampleLen, charSetSize] : undefined,
    }));
  }
  model.add(tf.layers.dense({units: charSetSize, activation: 'softmax'}));
  return model;
}

export function compileModel(model, learningRate) {
  const optimizer = tf.train.rmsprop(learningRate);
  model.compile({optimizer, loss: 'categoricalCrossentropy'});
  console.log(`Compiled model with learning rate ${learningRate}`);
  model.summary();
}

// Draws one index from the softmax output after re-weighting by the temperature.
export function sample(probs, temperature) {
  return tf.tidy(() => {
    const logits = tf.div(tf.log(probs), Math.max(temperature, 1e-6));
    const isNormalized = false;
    return tf.multinomial(logits, 1, null, isNormalized).dataSync()[0];
  });
}

export async function fitModel(model, xs, ys, numEpochs, batchSize, onEpochEnd) {
  await model.fit(xs, ys, {
    epochs: numEpochs,
    batchSize,
    validationSplit: 0.0625,
    shuffle: true,
    callbacks: {
      onBatchEnd: async () => {
        await tf.nextFrame();
      },
      onEpochEnd,
    },
  });
}

export async function generateText(model, seedIndices, length, temperature) {
  const sampleLen = model.inputs[0].shape[1];
  const charSetSize = model.inputs[0].shape[2];
  let indices = seedIndices.slice();
  const generated = [];
  while (generated.length < length) {
    const input = tf.buffer([1, sampleLen, charSetSize]);
    indices.forEach((charIndex, i) => input.set(1, 0, i, charIndex));
    const inputTensor = input.toTensor();
    const output = model.predict(inputTensor);
    const winnerIndex = sample(tf.squeeze(output), temperature);
    tf.dispose([inputTensor, output]);
    generated.push(winnerIndex);
    indices = indices.slice(1);
    indices.push(winnerIndex);
    await tf.nextFrame();
  }
  return generated;
}

export async function demo() {
  const numExamples = 256;
  const xs = tf.tidy(() => tf.oneHot(
      tf.randomUniform([numExamples, SAMPLE_LEN], 0, CHARSET_SIZE, 'int32'), CHARSET_SIZE).toFloat());
  const ys = tf.tidy(() => tf.oneHot(
      tf.randomUniform([numExamples], 0, CHARSET_SIZE, 'int32'), CHARSET_SIZE).toFloat());
  const model = createModel();
  compileModel(model, 1e-2);
  await fitModel(model, xs, ys, 1, 128, (epoch, logs) => console.log(epoch, logs.loss));
  const seed = Array.from({length: SAMPLE_LEN}, (_, i) => i % CHARSET_SIZE);
  console.log(await generateText(model, seed, 20, 0.75));
  tf.dispose([xs, ys]);
}
