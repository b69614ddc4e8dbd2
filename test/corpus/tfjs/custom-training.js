// Custom training without fit(): a cubic fitted through tf.variableGrads, and a small MLP through optimizer.minimize.
import * as tf from '@tensorflow/tfjs';

// --- Part 1: polynomial regression y = a x^3 + b x^2 + c x + d with explicit gradients.
const a = tf.variable(tf.scalar(Math.random()));
const b = tf.variable(tf.scalar(Math.random()));
const c = tf.variable(tf.scalar(Math.random()));
const d = tf.variable(tf.scalar(Math.random()));

function predictCubic(x) {
  return tf.tidy(() => a.mul(x.pow(tf.scalar(3))).add(b.mul(x.square())).add(c.mul(x)).add(d));
}

export function fitCubic(xs, ys, iterations = 200) {
  const optimizer = tf.train.sgd(0.5);
  for (let i = 0; i < iterations; ++i) {
    const {value, grads} = tf.variableGrads(() => tf.losses.meanSquaredError(ys, predictCubic(xs)));
    optimizer.applyGradients(grads);
    if (i % 50 === 0) {
      console.log(`iteration ${i}: loss ${value.dataSync()[0].toFixed(5)}`);
    }
    tf.dispose([value, grads]);
  }
  return [a, b, c, d].map((v) => v.dataSync()[0]);
}

// --- Part 2: a layers model trained step by step with optimizer.minimize.
export function buildRegressor() {
  return tf.sequential({
    layers: [
      tf.layers.dense({inputShape: [2], units: 16, activation: 'relu', kernelInitializer: 'heNormal'}),
      tf.layers.dense({units: 16, activation: 'relu', kernelInitializer: 'heNormal'}),
      tf.layers.dense({units: 1}),
    ],
  });
}

export async function trainRegressor(model, xs, ys, epochs = 100, batchSize = 32) {
  const optimizer = tf.train.adam(1e-2);
  const numBatches = Math.ceil(xs.shape[0] / batchSize);
  for (let epoch = 0; epoch < epochs; ++epoch) {
    let epochLoss = 0;
    for (let i = 0; i < numBatches; ++i) {
      const start = i * batchSize;
      const size = Math.min(batchSize, xs.shape[0] - start);
      const xb = xs.slice([start, 0], [size, 2]);
      const yb = ys.slice([start, 0], [size, 1]);
      const loss = optimizer.minimize(
        () => tf.losses.meanSquaredError(yb, model.apply(xb, {training: true})),
        /* returnCost */ true,
      );
      epochLoss += loss.dataSync()[0];
      tf.dispose([xb, yb, loss]);
    }
    if (epoch % 10 === 0) {
      console.log(`epoch ${epoch}: mse ${(epochLoss / numBatches).toFixed(4)}`);
    }
    await tf.nextFrame();
  }
}
