// A GRU regressor for temperature forecasting, in the style of tfjs-examples/jena-weather.
import * as tf from '@tensorflow/tfjs';

export function buildGRUModel(inputShape, dropout, recurrentDropout) {
  const model = tf.sequential();
  const rnnUnits = 32;
  model.add(tf.layers.gru({ units: rnnUnits, inputShape, dropout: dropout || 0, recurrentDropout: recurrentDropout || 0 }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

export function buildMLPModel(inputShape, kernelRegularizer, dropoutRate) {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape }));
  model.add(tf.layers.dense({ units: 32, kernelRegularizer, activation: 'relu' }));
  if (dropoutRate > 0) {
    model.add(tf.layers.dropout({ rate: dropoutRate }));
  }
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}

export async function trainModel(model, trainData, valData, epochs) {
  model.compile({ loss: 'meanAbsoluteError', optimizer: tf.train.rmsprop(5e-3) });
  await model.fitDataset(trainData, {
    epochs,
    validationData: valData,
    callbacks: tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2 }),
  });
}
