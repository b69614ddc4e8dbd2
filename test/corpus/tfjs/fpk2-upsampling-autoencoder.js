// Denoising conv autoencoder for 28x28 grayscale images: conv2d + maxPooling2d encoder,
// upSampling2d + conv2d and a conv2dTranspose decoder, trained with binary cross-entropy on [0, 1] pixels.
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 28;

export function buildEncoder() {
  const encoder = tf.sequential({name: 'encoder'});
  encoder.add(tf.layers.conv2d({
    inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1],
    filters: 32,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
  }));
  encoder.add(tf.layers.maxPooling2d({poolSize: 2, padding: 'same'}));
  encoder.add(tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', activation: 'relu'}));
  encoder.add(tf.layers.maxPooling2d({poolSize: 2, padding: 'same'}));
  return encoder;
}

export function buildDecoder() {
  const decoder = tf.sequential({name: 'decoder'});
  decoder.add(tf.layers.conv2d({
    inputShape: [7, 7, 16],
    filters: 16,
    kernelSize: 3,
    padding: 'same',
    activation: 'relu',
  }));
  decoder.add(tf.layers.upSampling2d({size: [2, 2]}));
  decoder.add(tf.layers.conv2d({filters: 32, kernelSize: 3, padding: 'same', activation: 'relu'}));
  decoder.add(tf.layers.conv2dTranspose({filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  decoder.add(tf.layers.conv2d({filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid'}));
  return decoder;
}

export function buildAutoencoder() {
  const input = tf.input({shape: [IMAGE_SIZE, IMAGE_SIZE, 1]});
  const encoder = buildEncoder();
  const decoder = buildDecoder();
  const reconstruction = decoder.apply(encoder.apply(input));
  const autoencoder = tf.model({inputs: input, outputs: reconstruction, name: 'denoiser'});
  autoencoder.compile({optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy'});
  return autoencoder;
}

export async function trainDenoiser(autoencoder, images, epochs = 8) {
  // images: float32 [n, 28, 28, 1] with values in [0, 1].
  const noisy = tf.tidy(() => images.add(tf.randomNormal(images.shape, 0, 0.25)).clipByValue(0, 1));
  await autoencoder.fit(noisy, images, {
    epochs,
    batchSize: 128,
    shuffle: true,
    validationSplit: 0.1,
    callbacks: {onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1} loss ${logs.loss.toFixed(4)}`)},
  });
  noisy.dispose();
}
