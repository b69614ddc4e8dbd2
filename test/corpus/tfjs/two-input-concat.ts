// Product photo plus tabular attributes in, a category out: a two-input tf.model merged with concatenate.
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 32;
const NUM_ATTRIBUTES = 4;
const NUM_CATEGORIES = 3;

export function buildTwoInputModel(): tf.LayersModel {
  const image = tf.input({shape: [IMAGE_SIZE, IMAGE_SIZE, 1], name: 'image'});
  const attributes = tf.input({shape: [NUM_ATTRIBUTES], name: 'attributes'});

  let visual = tf.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu'}).apply(image) as tf.SymbolicTensor;
  visual = tf.layers.maxPooling2d({poolSize: 2}).apply(visual) as tf.SymbolicTensor;
  visual = tf.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}).apply(visual) as tf.SymbolicTensor;
  visual = tf.layers.globalAveragePooling2d({}).apply(visual) as tf.SymbolicTensor;

  const tabular = tf.layers.dense({units: 8, activation: 'relu'}).apply(attributes) as tf.SymbolicTensor;

  const merged = tf.layers.concatenate({axis: -1}).apply([visual, tabular]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({units: 32, activation: 'relu'}).apply(merged) as tf.SymbolicTensor;
  const dropped = tf.layers.dropout({rate: 0.25}).apply(hidden) as tf.SymbolicTensor;
  const category = tf.layers
    .dense({units: NUM_CATEGORIES, activation: 'softmax', name: 'category'})
    .apply(dropped) as tf.SymbolicTensor;

  const model = tf.model({inputs: [image, attributes], outputs: category, name: 'photo_and_attributes'});
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}

export async function trainOnRandom(model: tf.LayersModel, n = 512): Promise<tf.History> {
  const images = tf.randomUniform([n, IMAGE_SIZE, IMAGE_SIZE, 1]);
  const attrs = tf.randomNormal([n, NUM_ATTRIBUTES]);
  const labels = tf.oneHot(tf.randomUniform([n], 0, NUM_CATEGORIES, 'int32') as tf.Tensor1D, NUM_CATEGORIES);
  const history = await model.fit([images, attrs], labels, {epochs: 5, batchSize: 32, validationSplit: 0.1});
  tf.dispose([images, attrs, labels]);
  return history;
}
