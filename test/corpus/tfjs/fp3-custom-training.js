/**
 * Custom training loops with the tfjs core API, after tfjs-examples/polynomial-regression-core
 * and the "custom training" guide.
 */
import * as tf from '@tensorflow/tfjs';

/** Fit y = a*x^3 + b*x^2 + c*x + d with optimizer.minimize. */
export async function fitPolynomial(xs, ys, numIterations = 75, learningRate = 0.5) {
  const a = tf.variable(tf.scalar(Math.random()));
  const b = tf.variable(tf.scalar(Math.random()));
  const c = tf.variable(tf.scalar(Math.random()));
  const d = tf.variable(tf.scalar(Math.random()));

  const predict = (x) => tf.tidy(() => a.mul(x.pow(tf.scalar(3, 'int32')))
      .add(b.mul(x.square()))
      .add(c.mul(x))
      .add(d));
  const loss = (prediction, labels) => prediction.sub(labels).square().mean();

  const optimizer = tf.train.sgd(learningRate);
  for (let iter = 0; iter < numIterations; iter++) {
    optimizer.minimize(() => loss(predict(xs), ys));
    await tf.nextFrame();
  }
  return {a: a.dataSync()[0], b: b.dataSync()[0], c: c.dataSync()[0], d: d.dataSync()[0]};
}

/** A two-layer network written with raw variables, trained with tf.variableGrads. */
export function createRawMlp(inputDim = 4, hiddenDim = 16, outputDim = 3) {
  const w1 = tf.variable(tf.randomNormal([inputDim, hiddenDim], 0, Math.sqrt(2 / inputDim)), true, 'w1');
  const b1 = tf.variable(tf.zeros([hiddenDim]), true, 'b1');
  const w2 = tf.variable(tf.randomNormal([hiddenDim, outputDim], 0, Math.sqrt(1 / hiddenDim)), true, 'w2');
  const b2 = tf.variable(tf.zeros([outputDim]), true, 'b2');

  const forward = (x) => tf.tidy(() => x.matMul(w1).add(b1).relu().matMul(w2).add(b2));
  return {forward, variables: [w1, b1, w2, b2]};
}

export function trainRawMlp(net, xs, labels, steps = 200, lr = 0.05) {
  const optimizer = tf.train.adam(lr);
  for (let step = 0; step < steps; step++) {
    const {value, grads} = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, net.forward(xs)).asScalar(),
        net.variables);
    optimizer.applyGradients(grads);
    if (step % 50 === 0) {
      console.log(`step ${step}: loss=${value.dataSync()[0].toFixed(4)}`);
    }
    value.dispose();
    tf.dispose(grads);
  }
}

/** A layers model trained with a hand-written loop instead of model.fit. */
export function createClassifier() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 32, activation: 'relu', inputShape: [8]}));
  model.add(tf.layers.dense({units: 32, activation: 'relu'}));
  model.add(tf.layers.dense({units: 5}));
  return model;
}

export async function trainClassifierCustom(model, dataset, epochs = 5) {
  const optimizer = tf.train.adam(1e-3);
  for (let epoch = 0; epoch < epochs; epoch++) {
    await dataset.forEachAsync(({xs, ys}) => {
      optimizer.minimize(() => {
        const logits = model.apply(xs, {training: true});
        return tf.losses.softmaxCrossEntropy(ys, logits);
      });
      tf.dispose([xs, ys]);
    });
    console.log(`epoch ${epoch} done`);
  }
}

/** Sigmoid-output binary classifier trained with sigmoidCrossEntropy on logits. */
export function createBinaryLogitModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 16, activation: 'relu', inputShape: [10]}));
  model.add(tf.layers.dense({units: 1}));
  return model;
}

export function binaryStep(model, optimizer, xs, ys) {
  return optimizer.minimize(() => {
    const logits = model.predict(xs);
    return tf.losses.sigmoidCrossEntropy(ys, logits);
  }, true);
}

/** Classifier trained with model.fit and a softmax output, using a learning-rate schedule callback. */
export function createScheduledClassifier() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 64, activation: 'relu', inputShape: [8]}));
  model.add(tf.layers.dropout({rate: 0.2}));
  model.add(tf.layers.dense({units: 5, activation: 'softmax'}));
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}

export async function fitScheduled(model, xs, ys) {
  await model.fit(xs, ys, {
    epochs: 30,
    batchSize: 32,
    callbacks: new tf.CustomCallback({
      onEpochBegin: async (epoch) => {
        if (epoch === 20) {
          model.optimizer.learningRate = 1e-4;
        }
      },
    }),
  });
}
