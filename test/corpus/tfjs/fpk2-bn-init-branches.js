// Two-branch functional model (sensor statistics + spectral features) merged with tf.layers.concatenate,
// dense -> batchNormalization -> relu blocks with explicit initializer objects, softmax over fault classes.
import * as tf from '@tensorflow/tfjs';

const NUM_STATS = 16;
const NUM_SPECTRAL = 64;
const NUM_CLASSES = 4;

function denseBnRelu(x, units, name) {
  const dense = tf.layers.dense({
    units,
    useBias: false,
    kernelInitializer: tf.initializers.heNormal({seed: 7}),
    name: `${name}_dense`,
  });
  const bn = tf.layers.batchNormalization({momentum: 0.9, name: `${name}_bn`});
  const relu = tf.layers.reLU({name: `${name}_relu`});
  return relu.apply(bn.apply(dense.apply(x)));
}

export function buildFaultClassifier() {
  const stats = tf.input({shape: [NUM_STATS], name: 'stats'});
  const spectrum = tf.input({shape: [NUM_SPECTRAL], name: 'spectrum'});

  const statsBranch = denseBnRelu(stats, 32, 'stats1');
  let spectralBranch = denseBnRelu(spectrum, 64, 'spec1');
  spectralBranch = denseBnRelu(spectralBranch, 32, 'spec2');

  const merged = tf.layers.concatenate({name: 'merge'}).apply([statsBranch, spectralBranch]);
  const hidden = tf.layers.dense({
    units: 32,
    activation: 'relu',
    kernelInitializer: tf.initializers.heNormal({}),
    biasInitializer: tf.initializers.zeros(),
  }).apply(merged);
  const dropped = tf.layers.dropout({rate: 0.3}).apply(hidden);
  const output = tf.layers.dense({
    units: NUM_CLASSES,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({}),
  }).apply(dropped);

  const model = tf.model({inputs: [stats, spectrum], outputs: output, name: 'fault_classifier'});
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export async function fitRandom(model, n = 1024) {
  const stats = tf.randomNormal([n, NUM_STATS]);
  const spectrum = tf.randomUniform([n, NUM_SPECTRAL]);
  const labels = tf.oneHot(tf.randomUniform([n], 0, NUM_CLASSES, 'int32'), NUM_CLASSES);
  const history = await model.fit([stats, spectrum], labels, {
    epochs: 15,
    batchSize: 32,
    validationSplit: 0.2,
  });
  tf.dispose([stats, spectrum, labels]);
  return history;
}
