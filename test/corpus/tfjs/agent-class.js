// A policy-gradient agent for CartPole: the policy network lives on the agent and is trained with a custom loop.
import * as tf from '@tensorflow/tfjs';

export class PolicyAgent {
  constructor(stateSize = 4, hiddenUnits = [32, 32], learningRate = 0.01) {
    this.net = tf.sequential();
    this.net.add(tf.layers.dense({inputShape: [4], units: 32, activation: 'elu', kernelInitializer: 'heNormal'}));
    this.net.add(tf.layers.dense({units: 32, activation: 'elu', kernelInitializer: 'heNormal'}));
    // One logit: the log-odds of pushing the cart left.
    this.net.add(tf.layers.dense({units: 1}));
    this.optimizer = tf.train.adam(learningRate);
  }

  /** Samples an action, and the gradients of its log-probability, for one state. */
  actAndGrads(state) {
    return tf.tidy(() => {
      const f = () => {
        const logits = this.net.apply(state);
        const leftProb = tf.sigmoid(logits);
        const action = tf.randomUniform(leftProb.shape).less(leftProb).cast('float32');
        return tf.losses.sigmoidCrossEntropy(action, logits).asScalar();
      };
      return tf.variableGrads(f);
    });
  }

  applyGrads(grads) {
    this.optimizer.applyGradients(grads);
  }
}
