/**
 * A dense autoencoder built with the TF.js functional API (tf.input / apply /
 * tf.model), with separate encoder and decoder models sharing the same layers.
 */
import * as tf from '@tensorflow/tfjs';

const INPUT_DIM = 784;
const LATENT_DIM = 32;

export interface Autoencoder {
  autoencoder: tf.LayersModel;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export function buildAutoencoder(inputDim: number = INPUT_DIM, latentDim: number = LATENT_DIM): Autoencoder {
  const encoderInput = tf.input({shape: [inputDim], name: 'pixels'});
  const h1 = tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heNormal', name: 'enc_dense_1'})
      .apply(encoderInput) as tf.SymbolicTensor;
  const h2 = tf.layers.dense({units: 128, activation: 'relu', kernelInitializer: 'heNormal', name: 'enc_dense_2'})
      .apply(h1) as tf.SymbolicTensor;
  const latent = tf.layers.dense({units: latentDim, activation: 'relu', name: 'latent'})
      .apply(h2) as tf.SymbolicTensor;
  const encoder = tf.model({inputs: encoderInput, outputs: latent, name: 'encoder'});

  const decDense1 = tf.layers.dense({units: 128, activation: 'relu', kernelInitializer: 'heNormal', name: 'dec_dense_1'});
  const decDense2 = tf.layers.dense({units: 256, activation: 'relu', kernelInitializer: 'heNormal', name: 'dec_dense_2'});
  const decOut = tf.layers.dense({units: inputDim, activation: 'sigmoid', name: 'reconstruction'});

  const reconstruction = decOut.apply(decDense2.apply(decDense1.apply(latent))) as tf.SymbolicTensor;
  const autoencoder = tf.model({inputs: encoderInput, outputs: reconstruction, name: 'autoencoder'});

  const latentInput = tf.input({shape: [latentDim], name: 'code'});
  const decoded = decOut.apply(decDense2.apply(decDense1.apply(latentInput))) as tf.SymbolicTensor;
  const decoder = tf.model({inputs: latentInput, outputs: decoded, name: 'decoder'});

  autoencoder.compile({
    optimizer: tf.train.adam(1e-3),
    loss: 'binaryCrossentropy',
  });
  return {autoencoder, encoder, decoder};
}

export async function fitAutoencoder(model: tf.LayersModel, images: tf.Tensor2D, epochs = 10): Promise<tf.History> {
  // Inputs are pixel intensities in [0, 1]; the target is the input itself.
  return model.fit(images, images, {
    epochs,
    batchSize: 256,
    shuffle: true,
    validationSplit: 0.1,
    callbacks: tf.callbacks.earlyStopping({monitor: 'val_loss', patience: 3}),
  });
}

export async function main(): Promise<void> {
  const {autoencoder, encoder, decoder} = buildAutoencoder();
  autoencoder.summary();
  const images = tf.randomUniform([1024, INPUT_DIM]) as tf.Tensor2D;
  await fitAutoencoder(autoencoder, images, 5);
  const codes = encoder.predict(images.slice([0, 0], [8, INPUT_DIM])) as tf.Tensor2D;
  const recon = decoder.predict(codes) as tf.Tensor2D;
  console.log('reconstruction shape', recon.shape);
  tf.dispose([images, codes, recon]);
}
