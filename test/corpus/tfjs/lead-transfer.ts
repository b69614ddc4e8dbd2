// The tfjs-examples transfer-learning style: a frozen feature extractor and a small trainable head on top.
import * as tf from '@tensorflow/tfjs';

export function buildBase(): tf.LayersModel {
  const input = tf.input({shape: [64, 64, 3]});
  const conv1 = tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', useBias: false}).apply(input) as tf.SymbolicTensor;
  const norm1 = tf.layers.batchNormalization().apply(conv1) as tf.SymbolicTensor;
  const act1 = tf.layers.reLU().apply(norm1) as tf.SymbolicTensor;
  const pool = tf.layers.globalAveragePooling2d({}).apply(act1) as tf.SymbolicTensor;
  return tf.model({inputs: input, outputs: pool});
}

export function buildHead(numClasses: number, denseUnits = 100): tf.Sequential {
  const head = tf.sequential({
    layers: [
      tf.layers.dense({inputShape: [16], units: denseUnits, activation: 'relu', kernelInitializer: 'varianceScaling', useBias: true}),
      tf.layers.dense({units: numClasses, kernelInitializer: 'varianceScaling', useBias: false, activation: 'softmax'}),
    ],
  });
  head.compile({optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy'});
  return head;
}
