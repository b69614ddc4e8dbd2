// A deeper ReLU MLP for 3-way classification with He-normal init, batch norm and momentum SGD.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 64;
const NUM_CLASSES = 3;

export function createMlp(): tf.Sequential {
  const model = tf.sequential({name: 'he_mlp'});
  model.add(tf.layers.dense({
    inputShape: [NUM_FEATURES],
    units: 256,
    activation: 'relu',
    kernelInitializer: 'heNormal',
  }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heNormal'}));
  model.add(tf.layers.dropout({rate: 0.2}));
  model.add(tf.layers.dense({units: 128, activation: 'relu', kernelInitializer: 'heNormal'}));
  model.add(tf.layers.dense({units: 128, activation: 'relu', kernelInitializer: 'heNormal'}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  model.compile({
    optimizer: tf.train.momentum(0.01, 0.9),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

export async function trainMlp(model: tf.Sequential, xs: tf.Tensor2D, labels: tf.Tensor1D): Promise<void> {
  const ys = tf.oneHot(labels.toInt(), NUM_CLASSES);
  await model.fit(xs, ys, {
    epochs: 30,
    batchSize: 64,
    validationSplit: 0.15,
    callbacks: {
      onEpochEnd: (epoch: number, logs?: tf.Logs) => {
        if (logs && epoch % 10 === 0) console.log(`epoch ${epoch}: loss=${logs.loss.toFixed(4)}`);
      },
    },
  });
  ys.dispose();
}
