// Tabular regression (Boston-housing-like, 12 numeric features) fed through tf.data: normalised features,
// a small ReLU MLP with a linear output, mean squared error, and model.fitDataset with a validation dataset.
import * as tf from '@tensorflow/tfjs';

const NUM_FEATURES = 12;
const BATCH_SIZE = 32;

function syntheticRows(count, seed) {
  const rows = [];
  let s = seed;
  const rand = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  for (let i = 0; i < count; ++i) {
    const features = Array.from({length: NUM_FEATURES}, () => rand() * 10);
    const price = features.reduce((acc, v, j) => acc + v * (j % 3 - 1), 20) + rand();
    rows.push({features, price});
  }
  return rows;
}

function computeStats(rows) {
  const data = tf.tensor2d(rows.map((r) => r.features));
  const {mean, variance} = tf.moments(data, 0);
  const std = variance.sqrt().add(1e-6);
  data.dispose();
  variance.dispose();
  return {mean, std};
}

export function makeDataset(rows, stats, shuffle) {
  let ds = tf.data.array(rows).map((row) => ({
    xs: tf.tensor1d(row.features).sub(stats.mean).div(stats.std),
    ys: tf.tensor1d([row.price]),
  }));
  if (shuffle) {
    ds = ds.shuffle(rows.length);
  }
  return ds.batch(BATCH_SIZE);
}

export function multiLayerPerceptronRegressionModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [NUM_FEATURES],
    units: 50,
    activation: 'relu',
    kernelInitializer: 'leCunNormal',
  }));
  model.add(tf.layers.dense({units: 50, activation: 'relu', kernelInitializer: 'leCunNormal'}));
  model.add(tf.layers.dense({units: 1}));
  return model;
}

export async function run(epochs = 20) {
  const trainRows = syntheticRows(400, 7);
  const valRows = syntheticRows(100, 13);
  const stats = computeStats(trainRows);
  const trainDs = makeDataset(trainRows, stats, true);
  const valDs = makeDataset(valRows, stats, false);

  const model = multiLayerPerceptronRegressionModel();
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'meanSquaredError',
    metrics: ['mae'],
  });
  model.summary();
  const history = await model.fitDataset(trainDs, {
    epochs,
    validationData: valDs,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_loss', patience: 5}),
  });
  const last = history.history.val_loss[history.history.val_loss.length - 1];
  console.log(`final validation MSE: ${last.toFixed(3)}`);

  const sample = tf.tensor2d([valRows[0].features]).sub(stats.mean).div(stats.std);
  const prediction = model.predict(sample);
  console.log(`predicted ${prediction.dataSync()[0].toFixed(2)} vs actual ${valRows[0].price.toFixed(2)}`);
  tf.dispose([sample, prediction, stats.mean, stats.std]);
  return model;
}
