// The tfjs-examples webcam transfer-learning style: a truncated MobileNet as a frozen feature extractor and a
// small dense head trained on its activations.
import * as tf from '@tensorflow/tfjs';

const MOBILENET_URL = 'https://storage.example/mobilenet_v1_0.25_224/model.json';

export async function loadTruncatedMobileNet(): Promise<tf.LayersModel> {
  const mobilenet = await tf.loadLayersModel(MOBILENET_URL);
  const layer = mobilenet.getLayer('conv_pw_13_relu');
  return tf.model({inputs: mobilenet.inputs, outputs: layer.output});
}

export function buildHead(featureShape: number[], numClasses: number, denseUnits: number, learningRate: number): tf.Sequential {
  const head = tf.sequential({
    layers: [
      tf.layers.flatten({inputShape: featureShape}),
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
  head.compile({optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy'});
  return head;
}

export async function trainHead(
  head: tf.Sequential,
  activations: tf.Tensor,
  labels: tf.Tensor2D,
  batchFraction: number,
  epochs: number,
): Promise<void> {
  const batchSize = Math.max(1, Math.floor(activations.shape[0]! * batchFraction));
  await head.fit(activations, labels, {batchSize, epochs, shuffle: true});
}

export function classify(truncated: tf.LayersModel, head: tf.Sequential, image: tf.Tensor4D): number {
  return tf.tidy(() => {
    const embedding = truncated.predict(image) as tf.Tensor;
    const predictions = head.predict(embedding) as tf.Tensor2D;
    return predictions.as1D().argMax().dataSync()[0]!;
  });
}
