// A tiny residual CNN for 32x32 RGB images with the functional tf.model API: conv -> batchNorm -> reLU blocks.
import * as tf from '@tensorflow/tfjs';

const NUM_CLASSES = 10;

function convBn(x, filters) {
  const conv = tf.layers.conv2d({filters, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'heNormal'});
  return tf.layers.batchNormalization().apply(conv.apply(x));
}

export function buildResidualCnn() {
  const input = tf.input({shape: [32, 32, 3]});
  let x = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', useBias: false}).apply(input);
  x = tf.layers.batchNormalization().apply(x);
  x = tf.layers.reLU().apply(x);

  const shortcut = x;
  let y = tf.layers.reLU().apply(convBn(x, 16));
  y = convBn(y, 16);
  x = tf.layers.add().apply([shortcut, y]);
  x = tf.layers.reLU().apply(x);

  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const output = tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}).apply(x);
  const model = tf.model({inputs: input, outputs: output, name: 'tiny_resnet'});
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}
