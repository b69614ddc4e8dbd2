/**
 * Boston housing price regression, after tfjs-examples/boston-housing.
 * Runs under Node with the native binding.
 */
const tfn = require('@tensorflow/tfjs-node');
const {layers, sequential, train, regularizers} = tfn;

const NUM_FEATURES = 12;

/** Linear regression: a single dense unit. */
function linearRegressionModel() {
  const model = sequential();
  model.add(layers.dense({inputShape: [NUM_FEATURES], units: 1}));
  model.summary();
  return model;
}

/** MLP with one hidden layer (sigmoid, as in the official example). */
function multiLayerPerceptronRegressionModel1Hidden() {
  const model = sequential();
  model.add(layers.dense({
    inputShape: [NUM_FEATURES],
    units: 50,
    activation: 'sigmoid',
    kernelInitializer: 'leCunNormal',
  }));
  model.add(layers.dense({units: 1}));
  model.summary();
  return model;
}

/** MLP with two hidden layers, L2 regularization. */
function multiLayerPerceptronRegressionModel2Hidden() {
  const model = sequential();
  model.add(layers.dense({
    inputShape: [NUM_FEATURES],
    units: 50,
    activation: 'relu',
    kernelInitializer: 'heNormal',
    kernelRegularizer: regularizers.l2({l2: 1e-4}),
  }));
  model.add(layers.dense({units: 50, activation: 'relu', kernelInitializer: 'heNormal'}));
  model.add(layers.dense({units: 1}));
  model.summary();
  return model;
}

/** Deeper variant with batch norm and dropout, built with the `layers` config array. */
function createDeepRegressor() {
  return sequential({
    name: 'deep_regressor',
    layers: [
      layers.dense({inputShape: [NUM_FEATURES], units: 128, useBias: false}),
      layers.batchNormalization({momentum: 0.9}),
      layers.activation({activation: 'relu'}),
      layers.dropout({rate: 0.2}),
      layers.dense({units: 64, useBias: false}),
      layers.batchNormalization(),
      layers.activation({activation: 'relu'}),
      layers.dense({units: 32, activation: 'elu'}),
      layers.dense({units: 1}),
    ],
  });
}

async function run(model, tensors, epochs = 200) {
  model.compile({optimizer: train.sgd(0.01), loss: 'meanSquaredError'});
  await model.fit(tensors.trainFeatures, tensors.trainTarget, {
    batchSize: 40,
    epochs,
    validationSplit: 0.2,
    callbacks: {
      onEpochEnd: async (epoch, logs) => {
        if (epoch % 20 === 0) console.log(`Epoch ${epoch}: ${logs.loss.toFixed(3)}`);
      },
    },
  });
  const result = model.evaluate(tensors.testFeatures, tensors.testTarget, {batchSize: 40});
  console.log(`Final test loss: ${result.dataSync()[0].toFixed(4)}`);
}

module.exports = {
  linearRegressionModel,
  multiLayerPerceptronRegressionModel1Hidden,
  multiLayerPerceptronRegressionModel2Hidden,
  createDeepRegressor,
  run,
};
