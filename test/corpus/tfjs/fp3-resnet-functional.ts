/**
 * Functional-API models: a small ResNet with tf.layers.add residuals and an
 * Inception-style block with tf.layers.concatenate.
 */
import * as tf from '@tensorflow/tfjs';
import {SymbolicTensor} from '@tensorflow/tfjs';

function convBnRelu(x: SymbolicTensor, filters: number, strides = 1): SymbolicTensor {
  let y = tf.layers.conv2d({
    filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal',
  }).apply(x) as SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as SymbolicTensor;
  return tf.layers.reLU().apply(y) as SymbolicTensor;
}

function residualBlock(x: SymbolicTensor, filters: number): SymbolicTensor {
  const shortcut = x;
  let y = convBnRelu(x, filters);
  y = tf.layers.conv2d({filters, kernelSize: 3, padding: 'same', useBias: false}).apply(y) as SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as SymbolicTensor;
  y = tf.layers.add().apply([y, shortcut]) as SymbolicTensor;
  return tf.layers.activation({activation: 'relu'}).apply(y) as SymbolicTensor;
}

/** Small ResNet for 32x32 RGB images (CIFAR-10 sized). */
export function createResNet(numClasses = 10): tf.LayersModel {
  const inputs = tf.input({shape: [32, 32, 3]});
  let x = convBnRelu(inputs, 16);
  x = residualBlock(x, 16);
  x = residualBlock(x, 16);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const outputs = tf.layers.dense({units: numClasses, activation: 'softmax'}).apply(x) as SymbolicTensor;
  const model = tf.model({inputs, outputs, name: 'mini_resnet'});
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Inline residual MLP: no helper functions, everything in one scope. */
export function createResidualMlp(): tf.LayersModel {
  const input = tf.input({shape: [20]});
  const h1 = tf.layers.dense({units: 64, activation: 'relu'}).apply(input) as SymbolicTensor;
  const h2 = tf.layers.dense({units: 64, activation: 'relu'}).apply(h1) as SymbolicTensor;
  const h3 = tf.layers.dense({units: 64}).apply(h2) as SymbolicTensor;
  const sum = tf.layers.add().apply([h1, h3]) as SymbolicTensor;
  const act = tf.layers.activation({activation: 'relu'}).apply(sum) as SymbolicTensor;
  const out = tf.layers.dense({units: 1}).apply(act) as SymbolicTensor;
  return tf.model({inputs: input, outputs: out});
}

/** Inception-like block: parallel 1x1 / 3x3 / 5x5 branches concatenated on channels. */
export function createInceptionNet(): tf.LayersModel {
  const input = tf.input({shape: [28, 28, 1]});
  const stem = tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same', activation: 'relu'}).apply(input) as SymbolicTensor;
  const b1 = tf.layers.conv2d({filters: 16, kernelSize: 1, padding: 'same', activation: 'relu'}).apply(stem) as SymbolicTensor;
  const b2 = tf.layers.conv2d({filters: 24, kernelSize: 3, padding: 'same', activation: 'relu'}).apply(stem) as SymbolicTensor;
  const b3 = tf.layers.conv2d({filters: 8, kernelSize: 5, padding: 'same', activation: 'relu'}).apply(stem) as SymbolicTensor;
  const pool = tf.layers.maxPooling2d({poolSize: 3, strides: 1, padding: 'same'}).apply(stem) as SymbolicTensor;
  const merged = tf.layers.concatenate({axis: -1}).apply([b1, b2, b3, pool]) as SymbolicTensor;
  const reduced = tf.layers.conv2d({filters: 32, kernelSize: 1, activation: 'relu'}).apply(merged) as SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({}).apply(reduced) as SymbolicTensor;
  const output = tf.layers.dense({units: 10, activation: 'softmax'}).apply(gap) as SymbolicTensor;
  return tf.model({inputs: input, outputs: output, name: 'inception_mini'});
}

/** Two-input model: numeric features and an embedded categorical id, concatenated. */
export function createWideAndDeep(): tf.LayersModel {
  const numeric = tf.input({shape: [13], name: 'numeric'});
  const category = tf.input({shape: [1], name: 'category', dtype: 'int32'});
  const embedded = tf.layers.flatten().apply(
      tf.layers.embedding({inputDim: 50, outputDim: 8}).apply(category)) as SymbolicTensor;
  const joined = tf.layers.concatenate().apply([numeric, embedded]) as SymbolicTensor;
  const hidden = tf.layers.dense({units: 32, activation: 'relu'}).apply(joined) as SymbolicTensor;
  const price = tf.layers.dense({units: 1}).apply(hidden) as SymbolicTensor;
  const model = tf.model({inputs: [numeric, category], outputs: price});
  model.compile({optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError'});
  return model;
}
