/**
 * Dense and convolutional autoencoders for 28x28 grayscale images,
 * in the style of tfjs-examples/fashion-mnist-vae (non-variational).
 */
const tf = require('@tensorflow/tfjs');

const ORIGINAL_DIM = 28 * 28;
const LATENT_DIM = 32;

/** Dense autoencoder; returns encoder, decoder and the end-to-end model. */
function createDenseAutoencoder() {
  const encoder = tf.sequential({name: 'encoder'});
  encoder.add(tf.layers.dense({units: 256, activation: 'relu', inputShape: [ORIGINAL_DIM]}));
  encoder.add(tf.layers.dense({units: 128, activation: 'relu'}));
  encoder.add(tf.layers.dense({units: LATENT_DIM, activation: 'relu'}));

  const decoder = tf.sequential({name: 'decoder'});
  decoder.add(tf.layers.dense({units: 128, activation: 'relu', inputShape: [LATENT_DIM]}));
  decoder.add(tf.layers.dense({units: 256, activation: 'relu'}));
  decoder.add(tf.layers.dense({units: ORIGINAL_DIM, activation: 'sigmoid'}));

  const input = tf.input({shape: [ORIGINAL_DIM]});
  const reconstruction = decoder.apply(encoder.apply(input));
  const autoencoder = tf.model({inputs: input, outputs: reconstruction, name: 'autoencoder'});
  autoencoder.compile({optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy'});
  return {encoder, decoder, autoencoder};
}

/** Convolutional autoencoder with strided convs and transposed convs. */
function createConvAutoencoder() {
  const model = tf.sequential();
  // Encoder: 28x28x1 -> 14x14x32 -> 7x7x64
  model.add(tf.layers.conv2d({
    inputShape: [28, 28, 1], filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu',
  }));
  model.add(tf.layers.conv2d({filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({units: LATENT_DIM, activation: 'relu'}));
  // Decoder: latent -> 7x7x64 -> 14x14x64 -> 28x28x32 -> 28x28x1
  model.add(tf.layers.dense({units: 7 * 7 * 64, activation: 'relu'}));
  model.add(tf.layers.reshape({targetShape: [7, 7, 64]}));
  model.add(tf.layers.conv2dTranspose({filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.conv2dTranspose({filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.conv2d({filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid'}));
  model.compile({optimizer: 'adam', loss: 'binaryCrossentropy'});
  return model;
}

/** Denoising autoencoder using upsampling instead of transposed convolutions. */
function createUpsamplingAutoencoder() {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, padding: 'same'}));
  model.add(tf.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, padding: 'same'}));
  model.add(tf.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.upSampling2d({size: [2, 2]}));
  model.add(tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', activation: 'relu'}));
  model.add(tf.layers.upSampling2d({size: [2, 2]}));
  model.add(tf.layers.conv2d({filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid'}));
  return model;
}

async function trainAutoencoder(model, images, epochs = 10) {
  const noisy = tf.tidy(() => images.add(tf.randomNormal(images.shape, 0, 0.2)).clipByValue(0, 1));
  await model.fit(noisy, images, {
    epochs,
    batchSize: 256,
    shuffle: true,
    validationSplit: 0.1,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_loss', patience: 2}),
  });
  noisy.dispose();
}

module.exports = {createDenseAutoencoder, createConvAutoencoder, createUpsamplingAutoencoder, trainAutoencoder};
