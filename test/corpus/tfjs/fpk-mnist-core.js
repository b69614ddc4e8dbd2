// The tfjs-examples mnist-core style: a convnet written with the core API only. Weights are tf.variables,
// the forward pass is plain tf ops, and training is optimizer.minimize over softmax cross-entropy on logits.
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 28;
const NUM_CLASSES = 10;
const LEARNING_RATE = 0.1;
const BATCH_SIZE = 64;
const TRAIN_STEPS = 100;

// Conv layer 1: 5x5 kernels, 1 -> 8 channels.
const conv1Weights = tf.variable(tf.randomNormal([5, 5, 1, 8], 0, 0.1));
// Conv layer 2: 5x5 kernels, 8 -> 16 channels.
const conv2Weights = tf.variable(tf.randomNormal([5, 5, 8, 16], 0, 0.1));
// Two 2x2 max pools take 28x28 down to 7x7, so the flattened size is 7 * 7 * 16.
const fullyConnectedWeights = tf.variable(
    tf.randomNormal([7 * 7 * 16, NUM_CLASSES], 0, 1 / Math.sqrt(7 * 7 * 16)));
const fullyConnectedBias = tf.variable(tf.zeros([NUM_CLASSES]));

const optimizer = tf.train.sgd(LEARNING_RATE);

// Returns unnormalised logits of shape [batch, 10].
export function model(inputXs) {
  const xs = inputXs.as4D(-1, IMAGE_SIZE, IMAGE_SIZE, 1);
  const strides = 2;
  const pad = 0;

  const layer1 = tf.tidy(() => {
    return xs.conv2d(conv1Weights, 1, 'same').relu().maxPool([2, 2], strides, pad);
  });
  const layer2 = tf.tidy(() => {
    return layer1.conv2d(conv2Weights, 1, 'same').relu().maxPool([2, 2], strides, pad);
  });
  return layer2.as2D(-1, fullyConnectedWeights.shape[0])
      .matMul(fullyConnectedWeights)
      .add(fullyConnectedBias);
}

function loss(labels, logits) {
  return tf.losses.softmaxCrossEntropy(labels, logits).mean();
}

function fakeBatch(size) {
  return tf.tidy(() => {
    const xs = tf.randomUniform([size, IMAGE_SIZE * IMAGE_SIZE]);
    const labels = tf.oneHot(tf.randomUniform([size], 0, NUM_CLASSES, 'int32'), NUM_CLASSES);
    return {xs, labels};
  });
}

export async function train(getBatch = fakeBatch, log = console.log) {
  const returnCost = true;
  for (let i = 0; i < TRAIN_STEPS; i++) {
    const cost = optimizer.minimize(() => {
      const batch = getBatch(BATCH_SIZE);
      return loss(batch.labels, model(batch.xs));
    }, returnCost);
    if (i % 10 === 0) {
      log(`step ${i}: loss ${cost.dataSync()[0].toFixed(4)}`);
    }
    cost.dispose();
    await tf.nextFrame();
  }
}

export function predict(x) {
  const pred = tf.tidy(() => {
    const axis = 1;
    return model(x).argMax(axis);
  });
  return Array.from(pred.dataSync());
}

export function classesFromLabel(y) {
  const axis = 1;
  const pred = y.argMax(axis);
  return Array.from(pred.dataSync());
}
