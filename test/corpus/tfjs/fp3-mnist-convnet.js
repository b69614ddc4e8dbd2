/**
 * MNIST digit classifier, in the style of tfjs-examples/mnist.
 * Two model builders: a convnet and a dense baseline.
 */
import * as tf from '@tensorflow/tfjs';

export const IMAGE_H = 28;
export const IMAGE_W = 28;
export const NUM_CLASSES = 10;

/** Convolutional network: two conv/pool blocks, then a dense classifier. */
export function createConvModel() {
  const model = tf.sequential();

  model.add(tf.layers.conv2d({
    inputShape: [IMAGE_H, IMAGE_W, 1],
    kernelSize: 3,
    filters: 16,
    activation: 'relu',
  }));
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu'}));
  model.add(tf.layers.flatten({}));
  model.add(tf.layers.dense({units: 64, activation: 'relu'}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  return model;
}

/** Dense baseline: flatten the image and use two hidden layers. */
export function createDenseModel() {
  const model = tf.sequential();
  model.add(tf.layers.flatten({inputShape: [IMAGE_H, IMAGE_W, 1]}));
  model.add(tf.layers.dense({units: 42, activation: 'relu'}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  return model;
}

/** A larger convnet with padding 'same', strides and dropout. */
export function createDeeperConvModel() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [IMAGE_H, IMAGE_W, 1],
        filters: 32,
        kernelSize: [5, 5],
        padding: 'same',
        activation: 'relu',
        kernelInitializer: 'heNormal',
      }),
      tf.layers.conv2d({filters: 32, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu'}),
      tf.layers.dropout({rate: 0.25}),
      tf.layers.conv2d({filters: 64, kernelSize: 3, padding: 'valid', activation: 'relu', useBias: false}),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling2d({poolSize: [2, 2]}),
      tf.layers.flatten(),
      tf.layers.dense({units: 128, activation: 'relu'}),
      tf.layers.dropout({rate: 0.5}),
      tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}),
    ],
  });
  return model;
}

export async function train(model, data, onIteration) {
  const optimizer = 'rmsprop';
  model.compile({
    optimizer,
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  const batchSize = 320;
  const validationSplit = 0.15;
  const trainEpochs = 3;
  const trainData = data.getTrainData();
  const testData = data.getTestData();

  await model.fit(trainData.xs, trainData.labels, {
    batchSize,
    validationSplit,
    epochs: trainEpochs,
    callbacks: {
      onBatchEnd: async (batch, logs) => {
        if (onIteration && batch % 10 === 0) {
          onIteration('onBatchEnd', batch, logs);
        }
        await tf.nextFrame();
      },
      onEpochEnd: async (epoch, logs) => {
        console.log(`epoch ${epoch}: val_acc=${logs.val_acc}`);
        await tf.nextFrame();
      },
    },
  });

  const testResult = model.evaluate(testData.xs, testData.labels);
  const testAccPercent = testResult[1].dataSync()[0] * 100;
  return testAccPercent;
}
