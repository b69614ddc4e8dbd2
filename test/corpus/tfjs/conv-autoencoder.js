// A convolutional autoencoder for 28x28 digits: strided conv2d down to 7x7, conv2dTranspose back up.
import * as tf from '@tensorflow/tfjs';

export function buildAutoencoder() {
  const model = tf.sequential({name: 'conv_autoencoder'});
  // Encoder: 28x28x1 -> 14x14x16 -> 7x7x32
  model.add(tf.layers.conv2d({
    inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu',
  }));
  model.add(tf.layers.conv2d({filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  // Decoder: 7x7x32 -> 14x14x32 -> 28x28x16 -> 28x28x1
  model.add(tf.layers.conv2dTranspose({filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.conv2dTranspose({filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.conv2d({filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid'}));
  model.compile({optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy'});
  return model;
}

export async function trainDenoiser(model, cleanImages, epochs = 10) {
  // cleanImages: [n, 28, 28, 1] with pixel values in [0, 1].
  const noisy = tf.tidy(() => cleanImages.add(tf.randomNormal(cleanImages.shape, 0, 0.3)).clipByValue(0, 1));
  const history = await model.fit(noisy, cleanImages, {
    epochs,
    batchSize: 128,
    shuffle: true,
    validationSplit: 0.1,
    callbacks: {onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: ${logs.loss.toFixed(4)}`)},
  });
  noisy.dispose();
  return history;
}
