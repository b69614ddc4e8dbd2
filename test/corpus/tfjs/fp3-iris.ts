/**
 * Iris flower classification, after tfjs-examples/iris.
 */
import * as tf from '@tensorflow/tfjs';

export const IRIS_CLASSES = ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'];
export const IRIS_NUM_CLASSES = IRIS_CLASSES.length;
const NUM_FEATURES = 4;

/** The model from the official example: one hidden layer of 10 sigmoid units. */
export function createIrisModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 10, activation: 'sigmoid', inputShape: [NUM_FEATURES]}));
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  return model;
}

/** A configurable MLP whose hidden layers are built from an array of sizes. */
export function createConfigurableMlp(hiddenSizes: number[] = [32, 16, 8]): tf.Sequential {
  const model = tf.sequential();
  hiddenSizes.forEach((units, i) => {
    model.add(tf.layers.dense({
      units,
      activation: 'relu',
      kernelInitializer: 'heNormal',
      ...(i === 0 ? {inputShape: [NUM_FEATURES]} : {}),
    }));
  });
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  return model;
}

const HIDDEN = [64, 32, 16];

/** MLP whose layers come from a `for...of` loop over a constant array. */
export function createLoopMlp(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({inputShape: [NUM_FEATURES]}));
  for (const units of HIDDEN) {
    model.add(tf.layers.dense({units, activation: 'relu'}));
    model.add(tf.layers.batchNormalization());
  }
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  return model;
}

function denseBlock(units: number, rate: number): tf.layers.Layer[] {
  return [
    tf.layers.dense({units, activation: 'relu'}),
    tf.layers.dropout({rate}),
  ];
}

/** MLP built from helper-returned layer arrays passed to `tf.sequential({layers})`. */
export function createHelperMlp(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({units: 24, activation: 'relu', inputShape: [NUM_FEATURES]}),
      ...denseBlock(24, 0.2),
      ...denseBlock(12, 0.1),
      tf.layers.dense({units: IRIS_NUM_CLASSES, activation: 'softmax'}),
    ],
  });
}

export async function trainIris(
    model: tf.Sequential, xTrain: tf.Tensor2D, yTrain: tf.Tensor2D,
    xTest: tf.Tensor2D, yTest: tf.Tensor2D, epochs = 40): Promise<tf.History> {
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model.fit(xTrain, yTrain, {
    epochs,
    validationData: [xTest, yTest],
    callbacks: {
      onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
        console.log(`Epoch ${epoch}: acc=${logs?.acc}`);
        await tf.nextFrame();
      },
    },
  });
}
