// A functional tf.model: numeric features and a categorical id through an embedding, merged for regression.
import * as tf from '@tensorflow/tfjs';

const NUM_NUMERIC = 8;
const NUM_CATEGORIES = 50;
const CATEGORY_DIM = 8;

export function buildWideDeepModel(): tf.LayersModel {
  const numeric = tf.input({shape: [NUM_NUMERIC], name: 'numeric'});
  const category = tf.input({shape: [1], name: 'category', dtype: 'int32'});

  const embedded = tf.layers
    .embedding({inputDim: NUM_CATEGORIES, outputDim: CATEGORY_DIM, name: 'category_embedding'})
    .apply(category) as tf.SymbolicTensor;
  const categoryFeatures = tf.layers.flatten().apply(embedded) as tf.SymbolicTensor;

  const deep = tf.layers
    .dense({units: 32, activation: 'relu', kernelInitializer: 'heNormal'})
    .apply(numeric) as tf.SymbolicTensor;

  const merged = tf.layers.concatenate().apply([deep, categoryFeatures]) as tf.SymbolicTensor;
  const hidden = tf.layers
    .dense({units: 16, activation: 'relu', kernelInitializer: 'heNormal'})
    .apply(merged) as tf.SymbolicTensor;
  const price = tf.layers.dense({units: 1, name: 'price'}).apply(hidden) as tf.SymbolicTensor;

  const model = tf.model({inputs: [numeric, category], outputs: price, name: 'wide_deep'});
  model.compile({
    optimizer: tf.train.adam(5e-3),
    loss: 'meanSquaredError',
    metrics: ['mae'],
  });
  return model;
}

export async function fitOnSynthetic(model: tf.LayersModel, n = 1000): Promise<tf.History> {
  const numeric = tf.randomNormal([n, NUM_NUMERIC]);
  const category = tf.randomUniform([n, 1], 0, NUM_CATEGORIES, 'int32');
  const target = tf.tidy(() => numeric.sum(1, true).add(category.toFloat().div(NUM_CATEGORIES)));
  const history = await model.fit([numeric, category], target, {
    epochs: 20,
    batchSize: 32,
    validationSplit: 0.2,
  });
  tf.dispose([numeric, category, target]);
  return history;
}
