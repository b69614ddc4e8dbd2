/**
 * Jena weather temperature prediction, after tfjs-examples/jena-weather.
 * Uses named imports from the tfjs package.
 */
import {sequential, layers, train, callbacks} from '@tensorflow/tfjs';

const LOOKBACK = 10 * 24 * 6; // ten days of 10-minute samples
const STEP = 6;               // one sample per hour
const NUM_FEATURES = 14;
const TIME_STEPS = LOOKBACK / STEP; // 240

/** Linear regression baseline over the flattened window. */
export function buildLinearRegressionModel(inputShape) {
  const model = sequential();
  model.add(layers.flatten({inputShape}));
  model.add(layers.dense({units: 1}));
  return model;
}

/** Two-layer MLP with optional kernel regularization and dropout. */
export function buildMLPModel(inputShape, kernelRegularizer, dropoutRate) {
  const model = sequential();
  model.add(layers.flatten({inputShape}));
  model.add(layers.dense({units: 32, kernelRegularizer, activation: 'relu'}));
  if (dropoutRate > 0) {
    model.add(layers.dropout({rate: dropoutRate}));
  }
  model.add(layers.dense({units: 1}));
  return model;
}

/** Simple RNN baseline. */
export function buildSimpleRNNModel(inputShape) {
  const model = sequential();
  const rnnUnits = 32;
  model.add(layers.simpleRNN({units: rnnUnits, inputShape}));
  model.add(layers.dense({units: 1}));
  return model;
}

/** GRU model used for the main experiment. */
export function buildGRUModel(inputShape, dropout, recurrentDropout) {
  const model = sequential();
  const rnnUnits = 32;
  model.add(layers.gru({
    units: rnnUnits,
    inputShape,
    dropout: dropout || 0,
    recurrentDropout: recurrentDropout || 0,
  }));
  model.add(layers.dense({units: 1}));
  return model;
}

/** Concrete GRU model with the standard input shape. */
export function createWeatherGRU() {
  const model = sequential();
  model.add(layers.gru({units: 32, inputShape: [TIME_STEPS, NUM_FEATURES], dropout: 0.2, recurrentDropout: 0.2}));
  model.add(layers.dense({units: 16, activation: 'relu'}));
  model.add(layers.dense({units: 1}));
  return model;
}

/** Stacked GRU with returnSequences on the first layer. */
export function createStackedGRU() {
  const model = sequential();
  model.add(layers.gru({units: 32, returnSequences: true, inputShape: [240, 14]}));
  model.add(layers.gru({units: 64, activation: 'relu'}));
  model.add(layers.dense({units: 1}));
  return model;
}

export async function trainModel(model, trainDataset, valDataset, epochs = 20) {
  model.compile({
    loss: 'meanAbsoluteError',
    optimizer: train.rmsprop(5e-3, undefined, undefined, undefined, undefined),
  });
  return model.fitDataset(trainDataset, {
    epochs,
    validationData: valDataset,
    callbacks: [
      callbacks.earlyStopping({monitor: 'val_loss', patience: 3}),
      {
        onEpochEnd: async (epoch, logs) => {
          console.log(`epoch ${epoch}: ${logs.loss} / ${logs.val_loss}`);
        },
      },
    ],
  });
}
