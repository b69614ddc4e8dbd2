// Next-value forecasting of a noisy multivariate signal with stacked LSTMs, trained with fit() callbacks.
import * as tf from '@tensorflow/tfjs';

const WINDOW = 20;
const NUM_FEATURES = 3;

export function buildLstmModel() {
  const model = tf.sequential();
  model.add(tf.layers.lstm({units: 32, returnSequences: true, inputShape: [WINDOW, NUM_FEATURES]}));
  model.add(tf.layers.lstm({units: 16}));
  model.add(tf.layers.dense({units: 1}));
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError', metrics: ['mae']});
  return model;
}

function makeWindows(numSamples) {
  return tf.tidy(() => {
    const t = tf.linspace(0, 200, numSamples + WINDOW + 1);
    const signal = tf.stack([t.div(5).sin(), t.div(11).cos(), t.div(3).sin().mul(0.5)], 1)
        .add(tf.randomNormal([numSamples + WINDOW + 1, NUM_FEATURES], 0, 0.05));
    const xs = [];
    const ys = [];
    for (let i = 0; i < numSamples; ++i) {
      xs.push(signal.slice([i, 0], [WINDOW, NUM_FEATURES]));
      ys.push(signal.slice([i + WINDOW, 0], [1, 1]).reshape([1]));
    }
    return {xs: tf.stack(xs), ys: tf.stack(ys)};
  });
}

export async function train(onProgress) {
  const model = buildLstmModel();
  const {xs, ys} = makeWindows(2000);
  const progress = new tf.CustomCallback({
    onEpochEnd: async (epoch, logs) => {
      onProgress(epoch, logs.loss, logs.val_loss);
      await tf.nextFrame();
    },
  });
  const history = await model.fit(xs, ys, {
    epochs: 50,
    batchSize: 64,
    validationSplit: 0.2,
    shuffle: true,
    callbacks: [tf.callbacks.earlyStopping({monitor: 'val_loss', patience: 5}), progress],
  });
  tf.dispose([xs, ys]);
  return {model, history};
}
