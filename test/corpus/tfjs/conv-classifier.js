/**
 * MNIST convnet in the style of tfjs-examples/mnist: conv2d + maxPooling2d
 * blocks, flatten, dense softmax head, categorical cross-entropy on one-hot labels.
 */
import * as tf from '@tensorflow/tfjs';

const IMAGE_H = 28;
const IMAGE_W = 28;
const NUM_CLASSES = 10;

export function createConvModel() {
  const model = tf.sequential();

  // First conv layer: 3x3 kernel, 16 filters. Valid padding: 28 -> 26.
  model.add(tf.layers.conv2d({
    inputShape: [IMAGE_H, IMAGE_W, 1],
    kernelSize: 3,
    filters: 16,
    activation: 'relu',
  }));
  // 26 -> 13
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  // 13 -> 11
  model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu'}));
  // 11 -> 5
  model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
  // 5 -> 3
  model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu'}));

  // 3 * 3 * 32 = 288 features.
  model.add(tf.layers.flatten({}));
  model.add(tf.layers.dense({units: 64, activation: 'relu'}));
  model.add(tf.layers.dropout({rate: 0.25}));
  model.add(tf.layers.dense({units: NUM_CLASSES, activation: 'softmax'}));
  return model;
}

function syntheticData(numExamples) {
  return tf.tidy(() => {
    const xs = tf.randomUniform([numExamples, IMAGE_H, IMAGE_W, 1]);
    const labels = tf.oneHot(tf.randomUniform([numExamples], 0, NUM_CLASSES, 'int32'), NUM_CLASSES);
    return {xs, labels};
  });
}

export async function train(model, onIteration) {
  const optimizer = 'rmsprop';
  model.compile({
    optimizer,
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });

  const batchSize = 320;
  const validationSplit = 0.15;
  const trainEpochs = 3;
  const {xs: trainXs, labels: trainYs} = syntheticData(2000);

  await model.fit(trainXs, trainYs, {
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
        console.log(`epoch ${epoch}: val_acc=${logs.val_acc.toFixed(3)}`);
      },
    },
  });

  const {xs: testXs, labels: testYs} = syntheticData(500);
  const [testLoss, testAcc] = model.evaluate(testXs, testYs);
  console.log(`test loss ${testLoss.dataSync()[0].toFixed(4)}, acc ${testAcc.dataSync()[0].toFixed(4)}`);
  tf.dispose([trainXs, trainYs, testXs, testYs, testLoss, testAcc]);
}

export function predictClasses(model, images) {
  return tf.tidy(() => model.predict(images).argMax(-1));
}

async function run() {
  const model = createConvModel();
  model.summary();
  await train(model, (event, batch, logs) => console.log(event, batch, logs.loss));
}

run();
