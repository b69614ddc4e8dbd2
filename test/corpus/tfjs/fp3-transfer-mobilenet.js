/**
 * Webcam transfer learning, after tfjs-examples/webcam-transfer-learning.
 * A pretrained MobileNet is truncated at an internal activation and a small
 * classifier head is trained on top of its embeddings.
 */
import * as tf from '@tensorflow/tfjs';

const MOBILENET_URL =
    './models/mobilenet_v1_0.25_224/model.json';

/** Load MobileNet and return a model that outputs the conv_pw_13_relu activation. */
export async function loadTruncatedMobileNet(url = MOBILENET_URL) {
  const mobilenet = await tf.loadLayersModel(url);
  const layer = mobilenet.getLayer('conv_pw_13_relu');
  return tf.model({inputs: mobilenet.inputs, outputs: layer.output});
}

/** Classifier head whose input shape comes from the truncated model at run time. */
export function buildHead(truncatedMobileNet, numClasses, denseUnits = 100) {
  const head = tf.sequential({
    layers: [
      tf.layers.flatten({inputShape: truncatedMobileNet.outputs[0].shape.slice(1)}),
      tf.layers.dense({
        units: denseUnits,
        activation: 'relu',
        kernelInitializer: 'varianceScaling',
        useBias: true,
      }),
      tf.layers.dense({
        units: numClasses,
        kernelInitializer: 'varianceScaling',
        useBias: false,
        activation: 'softmax',
      }),
    ],
  });
  return head;
}

/** Head with a known embedding shape [7, 7, 256] (MobileNet v1 0.25 at 224px). */
export function createFixedHead(numClasses = 4) {
  const model = tf.sequential();
  model.add(tf.layers.globalAveragePooling2d({inputShape: [7, 7, 256]}));
  model.add(tf.layers.dense({units: 100, activation: 'relu'}));
  model.add(tf.layers.dropout({rate: 0.3}));
  model.add(tf.layers.dense({units: numClasses, activation: 'softmax'}));
  return model;
}

/** Freeze all base layers and stack a new head onto the loaded model's features. */
export async function buildFineTuneModel(numClasses) {
  const base = await tf.loadLayersModel(MOBILENET_URL);
  for (const layer of base.layers) {
    layer.trainable = false;
  }
  const features = base.getLayer('conv_pw_13_relu').output;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(features);
  const hidden = tf.layers.dense({units: 64, activation: 'relu'}).apply(pooled);
  const out = tf.layers.dense({units: numClasses, activation: 'softmax'}).apply(hidden);
  const model = tf.model({inputs: base.inputs, outputs: out});
  model.compile({optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  return model;
}

export async function trainHead(head, truncatedMobileNet, controllerDataset, epochs = 20) {
  const optimizer = tf.train.adam(0.0001);
  head.compile({optimizer, loss: 'categoricalCrossentropy'});
  const batchSize = Math.floor(controllerDataset.xs.shape[0] * 0.4);
  await head.fit(controllerDataset.xs, controllerDataset.ys, {
    batchSize,
    epochs,
    callbacks: {
      onBatchEnd: async (batch, logs) => {
        console.log('Loss: ' + logs.loss.toFixed(5));
      },
    },
  });
}

export async function predict(head, truncatedMobileNet, img) {
  return tf.tidy(() => {
    const embeddings = truncatedMobileNet.predict(img);
    const predictions = head.predict(embeddings);
    return predictions.as1D().argMax();
  });
}
