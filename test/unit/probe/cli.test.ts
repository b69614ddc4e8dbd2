// `deeplint probe` on real source files (TF.js, whose front end exists), in the JSON shape of issue 5.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli, tempTree } from '../cli/helpers';

const SIGMOID_STACK = `import * as tf from '@tensorflow/tfjs';
const deep = tf.sequential();
deep.add(tf.layers.dense({ units: 64, inputShape: [32], activation: 'sigmoid' }));
${Array.from({ length: 12 }, () => "deep.add(tf.layers.dense({ units: 64, activation: 'sigmoid' }));").join('\n')}
deep.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
deep.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
`;

const HEALTHY = `import * as tf from '@tensorflow/tfjs';
const net = tf.sequential();
net.add(tf.layers.dense({ units: 32, inputShape: [16], activation: 'relu', kernelInitializer: 'heNormal' }));
net.add(tf.layers.dropout({ rate: 0.2 }));
net.add(tf.layers.dense({ units: 1 }));
net.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
`;

const TWO_MODELS = HEALTHY + `const other = tf.sequential();
other.add(tf.layers.dense({ units: 4, inputShape: [8] }));
`;

describe('deeplint probe', function () {
  this.timeout(30000);

  it('prints the documented JSON and exits 1 for a vanishing sigmoid stack', async () => {
    const root = tempTree({ 'deep.js': SIGMOID_STACK });
    const result = await cli('probe', path.join(root, 'deep.js'), '--format', 'json', '--device', 'cpu', '--batch', '32', '--seed', '4');
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    for (const key of ['version', 'model', 'device', 'batch', 'loss', 'layers', 'verdict']) assert.ok(key in report, key);
    assert.equal(report.version, 1);
    assert.equal(report.model, 'deep');
    assert.equal(report.device, 'cpu');
    assert.equal(report.batch, 32);
    assert.equal(report.loss, 'cross_entropy');
    assert.equal(report.layers.length, 14);
    for (const key of ['index', 'kind', 'line', 'gradNorm', 'weightNorm', 'gradToWeight', 'actMean', 'actStd', 'deadFraction', 'saturatedFraction']) {
      assert.ok(key in report.layers[0], key);
    }
    assert.equal(report.layers[0].line, 3);
    assert.equal(report.layers[13].line, 16);
    assert.equal(report.layers[0].gradToWeight, report.layers[0].gradNorm / report.layers[0].weightNorm);
    assert.equal(report.verdict.status, 'vanishing');
    assert.match(report.verdict.explanation, /vanishing-exploding-gradients/);
  });

  it('prints a text table and exits 0 for a healthy model, with the dropout note', async () => {
    const root = tempTree({ 'net.ts': HEALTHY });
    const result = await cli('probe', path.join(root, 'net.ts'), '--device', 'cpu');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /net \(tfjs\), device cpu, batch 64, seed 0, loss mse = /);
    assert.match(result.stdout, /verdict: healthy\./);
    assert.match(result.stdout, /note: Dropout is the identity/);
  });

  it('probes a TF.js CNN (channels last, conv, pooling, batchnorm, flatten) and says how it laid it out', async () => {
    const root = tempTree({
      'cnn.js': `import * as tf from '@tensorflow/tfjs';
const cnn = tf.sequential();
cnn.add(tf.layers.conv2d({ inputShape: [12, 12, 1], kernelSize: 3, filters: 4, activation: 'relu' }));
cnn.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
cnn.add(tf.layers.conv2d({ kernelSize: 3, filters: 8, activation: 'relu', padding: 'same' }));
cnn.add(tf.layers.batchNormalization());
cnn.add(tf.layers.flatten());
cnn.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
cnn.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
`,
    });
    const result = await cli('probe', path.join(root, 'cnn.js'), '--device', 'cpu', '--format', 'json');
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.layers.map((layer: { kind: string; line: number }) => [layer.kind, layer.line]), [['conv2d', 3], ['conv2d', 5], ['linear', 8]]);
    assert.match(report.notes.join(' '), /channels-last input \[12, 12, 1\] is probed channels-first as \[1, 12, 12\]/);
    assert.equal(report.loss, 'cross_entropy');
  });

  it('probes a TF.js text model (embedding, LSTM) and says how it built the sequence', async () => {
    const root = tempTree({
      'text.js': `import * as tf from '@tensorflow/tfjs';
const text = tf.sequential();
text.add(tf.layers.embedding({ inputDim: 500, outputDim: 8, inputLength: 12 }));
text.add(tf.layers.lstm({ units: 16 }));
text.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
text.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
`,
    });
    const result = await cli('probe', path.join(root, 'text.js'), '--device', 'cpu', '--format', 'json');
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.layers.map((layer: { kind: string; line: number }) => [layer.kind, layer.line]), [['embedding', 3], ['lstm', 4], ['linear', 5]]);
    const notes = report.notes.join(' ');
    assert.match(notes, /random token ids, uniform over the vocabulary of 500/);
    assert.match(notes, /\(tf\.layers\.lstm, layer 1\): unrolled over 12 steps .*TF\.js equations, gates \(i, f, c, o\) with hardsigmoid/);
    // The LSTM's own tensors and its gradient at each of the 12 steps, in both formats.
    const lstm = report.layers[1];
    // TF.js starts LSTM biases at zero: only the kernels have a norm, but every tensor gets a gradient.
    const tensors = lstm.tensors as { role: string; norm: number; gradNorm: number }[];
    assert.ok(tensors.length >= 3);
    assert.ok(tensors.every((tensor) => tensor.gradNorm > 0 && (tensor.role === 'bias' || tensor.norm > 0)), JSON.stringify(tensors));
    assert.equal(lstm.stepGradNorms.length, 12);
    const text = await cli('probe', path.join(root, 'text.js'), '--device', 'cpu');
    const tensorLine = text.stdout.split('\n').find((line) => /tensors: /.test(line));
    assert.ok(tensorLine, text.stdout);
    assert.equal(tensorLine.match(/‖W‖ \S+ ‖dL\/dW‖ \S+/g)?.length, tensors.length);
    const steps = text.stdout.split('\n').find((line) => /‖∂L\/∂h_t‖ from the first step to the last: /.test(line));
    assert.equal(steps?.split(': ')[1]?.split(' ').length, 12);
  });

  it('exits 2 with a clear message when there is no model, several, or an unknown name', async () => {
    const root = tempTree({ 'none.js': 'const x = 1;\n', 'two.js': TWO_MODELS });
    const none = await cli('probe', path.join(root, 'none.js'));
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no model found/);
    const two = await cli('probe', path.join(root, 'two.js'));
    assert.equal(two.status, 2);
    assert.match(two.stderr, /2 models found \(net, other\); pick one with --model NAME/);
    const unknown = await cli('probe', path.join(root, 'two.js'), '--model', 'nope');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no model named 'nope'; found net, other/);
    const picked = await cli('probe', path.join(root, 'two.js'), '--model', 'other', '--device', 'cpu', '--format', 'json');
    assert.equal(JSON.parse(picked.stdout).model, 'other');
  });

  it('exits 2 naming the layer it cannot probe', async () => {
    const root = tempTree({
      'rnn.js': `import * as tf from '@tensorflow/tfjs';
const seq = tf.sequential();
seq.add(tf.layers.dense({ units: 8, inputShape: [4] }));
seq.add(tf.layers.lstm({ units: 8 }));
`,
    });
    const result = await cli('probe', path.join(root, 'rnn.js'), '--device', 'cpu');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot probe layer .*tf\.layers\.lstm, layer 1/);
  });

  it('refuses a probe over the memory budget and rejects bad options', async () => {
    const root = tempTree({ 'net.js': HEALTHY });
    const file = path.join(root, 'net.js');
    const refused = await cli('probe', file, '--memory-budget', '1KB');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /memory budget; the biggest layer is/);
    assert.equal((await cli('probe', file, '--device', 'tpu')).status, 2);
    assert.equal((await cli('probe', file, '--batch', 'many')).status, 2);
    assert.equal((await cli('probe', file, '--input-size', '3,x')).status, 2);
  });
});
