// The tfjs-examples translation style in TypeScript: a character-level LSTM encoder-decoder built with tf.model,
// the encoder's final states passed as the decoder's initialState, trained with teacher forcing.
import * as tf from '@tensorflow/tfjs';

const LATENT_DIM = 256;
const NUM_ENCODER_TOKENS = 71;
const NUM_DECODER_TOKENS = 93;

export interface Seq2Seq {
  model: tf.LayersModel;
  encoderModel: tf.LayersModel;
  decoderModel: tf.LayersModel;
}

export function seq2seqModel(): Seq2Seq {
  const encoderInputs = tf.input({shape: [null, NUM_ENCODER_TOKENS], name: 'encoderInputs'});
  const encoder = tf.layers.lstm({units: LATENT_DIM, returnState: true, name: 'encoderLstm'});
  const [, stateH, stateC] = encoder.apply(encoderInputs) as tf.SymbolicTensor[];
  const encoderStates = [stateH, stateC];

  const decoderInputs = tf.input({shape: [null, NUM_DECODER_TOKENS], name: 'decoderInputs'});
  const decoderLstm = tf.layers.lstm({
    units: LATENT_DIM,
    returnSequences: true,
    returnState: true,
    name: 'decoderLstm',
  });
  const [decoderOutputs] =
      decoderLstm.apply([decoderInputs, ...encoderStates]) as tf.SymbolicTensor[];
  const decoderDense = tf.layers.dense({
    units: NUM_DECODER_TOKENS,
    activation: 'softmax',
    name: 'decoderDense',
  });
  const decoderProbs = decoderDense.apply(decoderOutputs) as tf.SymbolicTensor;

  const model = tf.model({
    inputs: [encoderInputs, decoderInputs],
    outputs: decoderProbs,
    name: 'seq2seqModel',
  });

  // Inference: the encoder maps a sentence to states; the decoder runs one step at a time from them.
  const encoderModel = tf.model({inputs: encoderInputs, outputs: encoderStates, name: 'encoderModel'});
  const decoderStateInputH = tf.input({shape: [LATENT_DIM], name: 'decoderStateInputHidden'});
  const decoderStateInputC = tf.input({shape: [LATENT_DIM], name: 'decoderStateInputCell'});
  const decoderStateInputs = [decoderStateInputH, decoderStateInputC];
  const [stepOutputs, stepH, stepC] =
      decoderLstm.apply([decoderInputs, ...decoderStateInputs]) as tf.SymbolicTensor[];
  const stepProbs = decoderDense.apply(stepOutputs) as tf.SymbolicTensor;
  const decoderModel = tf.model({
    inputs: [decoderInputs, ...decoderStateInputs],
    outputs: [stepProbs, stepH, stepC],
    name: 'decoderModel',
  });
  return {model, encoderModel, decoderModel};
}

export async function trainSeq2Seq(
    encoderInputData: tf.Tensor3D, decoderInputData: tf.Tensor3D,
    decoderTargetData: tf.Tensor3D, epochs = 2): Promise<Seq2Seq> {
  const nets = seq2seqModel();
  nets.model.compile({
    optimizer: tf.train.rmsprop(0.001),
    loss: 'categoricalCrossentropy',
  });
  nets.model.summary();
  await nets.model.fit([encoderInputData, decoderInputData], decoderTargetData, {
    batchSize: 64,
    epochs,
    validationSplit: 0.2,
  });
  return nets;
}

export function decodeSequence(
    nets: Seq2Seq, inputSeq: tf.Tensor3D, startToken: number, stopToken: number,
    maxLength = 60): number[] {
  let states = nets.encoderModel.predict(inputSeq) as tf.Tensor[];
  let targetSeq = tf.buffer<tf.Rank.R3>([1, 1, NUM_DECODER_TOKENS]);
  targetSeq.set(1, 0, 0, startToken);
  const decoded: number[] = [];
  for (let i = 0; i < maxLength; i++) {
    const [probs, h, c] =
        nets.decoderModel.predict([targetSeq.toTensor(), ...states]) as tf.Tensor[];
    const sampledIndex = probs.reshape([NUM_DECODER_TOKENS]).argMax().dataSync()[0];
    tf.dispose([probs, ...states]);
    states = [h, c];
    if (sampledIndex === stopToken) {
      break;
    }
    decoded.push(sampledIndex);
    targetSeq = tf.buffer<tf.Rank.R3>([1, 1, NUM_DECODER_TOKENS]);
    targetSeq.set(1, 0, 0, sampledIndex);
  }
  tf.dispose(states);
  return decoded;
}
