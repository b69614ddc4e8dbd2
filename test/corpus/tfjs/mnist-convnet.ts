// The tfjs-examples MNIST style, in TypeScript: a small convnet trained with fit and evaluated on a test split.
import * as tf from '@tensorflow/tfjs';

export const IMAGE_H = 28;
export const IMAGE_W = 28;
export const NUM_CLASSES = 10;

export interface MnistBatch {
  xs: tf.Tensor4D;
  labels: tf.Tensor2D;
}

export function createConvModel(): tf.Sequential {
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

export function createDenseModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({inputShape: [IMAGE_H, IMAGE_W, 1]}));
  model.add(tf.layers.dense({units: 42, activation: 'relu'}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  return model;
}

export async function train(
  model: tf.Sequential,
  trainData: MnistBatch,
  onEpoch: (epoch: number, logs?: tf.Logs) => void,
): Promise<void> {
  const optimizer = 'rmsprop';
  model.compile({
    optimizer,
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const batchSize = 320;
  const validationSplit = 0.15;
  await model.fit(trainData.xs, trainData.labels, {
    batchSize,
    validationSplit,
    epochs: 3,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        onEpoch(epoch, logs);
        await tf.nextFrame();
      },
    },
  });
}

export function evaluate(model: tf.Sequential, testData: MnistBatch): number {
  const result = model.evaluate(testData.xs, testData.labels) as tf.Scalar[];
  const accuracy = result[1]!.dataSync()[0]!;
  tf.dispose(result);
  return accuracy;
}

export function predictDigits(model: tf.Sequential, images: tf.Tensor4D): number[] {
  return tf.tidy(() => {
    const output = model.predict(images) as tf.Tensor2D;
    return Array.from(output.argMax(-1).dataSync());
  });
}
