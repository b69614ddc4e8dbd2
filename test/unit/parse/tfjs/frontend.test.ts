import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { analyzeText } from '../../../../src/core/analyze';
import { defaultConfig } from '../../../../src/core/config';
import type { Model } from '../../../../src/core/ir/types';
import { parseTfjs } from '../../../../src/core/parse/tfjs/frontend';

function modelsOf(text: string, language: 'javascript' | 'typescript' = 'javascript'): Model[] {
  const program = parseTfjs(text, { language, jsx: language === 'javascript' });
  assert.deepEqual(program.syntaxErrors, []);
  return program.models;
}

/** Trainable parameters of a real tfjs layer, the independent count each layer's IR figure is checked against. */
function trainable(layer: tf.layers.Layer): number {
  return layer.trainableWeights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
}

describe('TF.js front end', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('reads a tf.sequential built with model.add, with sizes and parameter counts equal to tfjs', () => {
    const [model] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const IMAGE_SIZE = 28;
      export function createConvModel() {
        const model = tf.sequential();
        model.add(tf.layers.conv2d({inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1], kernelSize: 3, filters: 16, activation: 'relu'}));
        model.add(tf.layers.maxPooling2d({poolSize: 2, strides: 2}));
        model.add(tf.layers.conv2d({kernelSize: 3, filters: 32, activation: 'relu', padding: 'same'}));
        model.add(tf.layers.batchNormalization());
        model.add(tf.layers.flatten());
        model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: 'heNormal'}));
        model.add(tf.layers.dropout({rate: 0.25}));
        model.add(tf.layers.dense({units: 10, activation: 'softmax', useBias: false}));
        return model;
      }
    `);
    assert.ok(model);
    const reference = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: 16, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
        tf.layers.conv2d({ kernelSize: 3, filters: 32, activation: 'relu', padding: 'same' }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 64, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.25 }),
        tf.layers.dense({ units: 10, activation: 'softmax', useBias: false }),
      ],
    });
    assert.equal(model.name, 'createConvModel');
    assert.deepEqual(model.inputShape, [28, 28, 1]);
    assert.deepEqual(
      model.layers.map((layer) => layer.params),
      reference.layers.map(trainable),
    );
    assert.equal(model.parameterCount, reference.layers.map(trainable).reduce((a, b) => a + b, 0));
    assert.deepEqual(model.layers.map((layer) => layer.kind), ['conv2d', 'pooling', 'conv2d', 'batchnorm', 'flatten', 'linear', 'dropout', 'linear']);
    const flatten = model.layers[4]!;
    assert.equal(flatten.out, (reference.layers[4]!.outputShape as number[])[1]);
    assert.equal(model.layers[5]!.init?.name, 'heNormal');
    assert.equal(model.layers[5]!.init?.source, 'explicit');
    assert.equal(model.layers[7]!.init?.name, 'glorotNormal');
    assert.equal(model.layers[7]!.init?.source, 'default');
    assert.equal(model.layers[7]!.activation, 'softmax');
    assert.equal(model.layers[6]!.rate, 0.25);
    assert.equal(model.flow.length, 10);
  });

  it('counts recurrent and embedding parameters like tfjs', () => {
    const [model] = modelsOf(`
      const tf = require('@tensorflow/tfjs-node');
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({inputDim: 1000, outputDim: 32, inputLength: 20}),
          tf.layers.lstm({units: 24, returnSequences: true}),
          tf.layers.gru({units: 16}),
          tf.layers.repeatVector({n: 4}),
          tf.layers.simpleRNN({units: 8, returnSequences: true}),
          tf.layers.dense({units: 3}),
        ],
      });
    `);
    const reference = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 1000, outputDim: 32, inputLength: 20 }),
        tf.layers.lstm({ units: 24, returnSequences: true }),
        tf.layers.gru({ units: 16 }),
        tf.layers.repeatVector({ n: 4 }),
        tf.layers.simpleRNN({ units: 8, returnSequences: true }),
        tf.layers.dense({ units: 3 }),
      ],
    });
    assert.deepEqual(model!.layers.map((layer) => layer.params), reference.layers.map(trainable));
    assert.equal(model!.name, 'model');
  });

  it('understands named imports, destructuring and TypeScript casts', () => {
    const models = modelsOf(
      `
      import {layers, sequential, train} from '@tensorflow/tfjs';
      import * as tfn from '@tensorflow/tfjs-node';
      const {layers: L} = tfn;
      const HIDDEN: number = 128;
      const a = sequential({layers: [layers.dense({units: HIDDEN * 2, inputShape: [4]}) as any, L.dense({units: 3})]});
      a.compile({optimizer: train.sgd(0.1), loss: 'sparseCategoricalCrossentropy'});
    `,
      'typescript',
    );
    assert.equal(models.length, 1);
    assert.deepEqual(models[0]!.layers.map((layer) => [layer.in, layer.out, layer.params]), [
      [4, 256, 4 * 256 + 256],
      [256, 3, 256 * 3 + 3],
    ]);
  });

  it('builds the functional data-flow graph with shared layers, adds and concatenations', () => {
    const [model] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const input = tf.input({shape: [16]});
      const shared = tf.layers.dense({units: 16, activation: 'relu'});
      const a = shared.apply(input);
      const b = shared.apply(a);
      const sum = tf.layers.add().apply([a, b]);
      const branch = tf.layers.dense({units: 8}).apply(input);
      const merged = tf.layers.concatenate().apply([sum, branch]);
      const output = tf.layers.dense({units: 2, activation: 'softmax'}).apply(merged);
      const model = tf.model({inputs: input, outputs: output});
    `);
    assert.ok(model);
    assert.equal(model.flowKnown, true);
    assert.deepEqual(model.layers.map((layer) => layer.out), [16, 8, 2]);
    const ops = model.flow.map((node) => node.op);
    assert.deepEqual(ops.filter((op) => op === 'layer').length, 4);
    const add = model.flow.find((node) => node.op === 'add')!;
    assert.equal(add.inputs.length, 2);
    const concat = model.flow.find((node) => node.op === 'concat')!;
    assert.equal(concat.inputs.length, 2);
    const output = model.flow[model.flow.length - 1]!;
    assert.equal(output.op, 'output');
    assert.deepEqual(model.inputShape, [16]);
  });

  it('keeps layers it cannot read, so a model\'s size is unknown rather than short', () => {
    const models = modelsOf(`import * as tf from '@tensorflow/tfjs';
import {MyLayer} from './my-layer.js';

const custom = new MyLayer({units: 4});
const listed = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), custom]});
const spread = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), ...blocks]});
const added = tf.sequential();
added.add(tf.layers.dense({units: 8, inputShape: [4]}));
added.add(makeHead(2));
const input = tf.input({shape: [4]});
const hidden = tf.layers.dense({units: 8}).apply(input);
const functional = tf.model({inputs: input, outputs: custom.apply(hidden)});
const known = tf.sequential({layers: [tf.layers.dense({units: 8, inputShape: [4]}), tf.layers.dense({units: 2})]});
`);
    const byName = new Map(models.map((model) => [model.name, model]));
    const summary = (name: string) => byName.get(name)!.layers.map((layer) => [layer.ctor, layer.kind, layer.params]);
    assert.deepEqual(summary('listed'), [['tf.layers.dense', 'linear', 40], ['custom', 'unknown', null]]);
    assert.deepEqual(summary('spread'), [['tf.layers.dense', 'linear', 40], ['blocks', 'unknown', null]]);
    assert.deepEqual(summary('added'), [['tf.layers.dense', 'linear', 40], ['makeHead', 'unknown', null]]);
    // The dense layer before the unreadable one is in the functional model too.
    assert.deepEqual(summary('functional'), [['tf.layers.dense', 'linear', 40], ['custom', 'unknown', null]]);
    assert.deepEqual(byName.get('functional')!.flow.map((node) => [node.op, node.inputs]), [['input', []], ['layer', [0]], ['layer', [1]], ['output', [2]]]);
    for (const name of ['listed', 'spread', 'added', 'functional']) assert.equal(byName.get(name)!.parameterCount, null, name);
    assert.equal(byName.get('known')!.parameterCount, 40 + 18);
  });

  it('makes a model of the file applied in another one layer of its size, and one built from arguments of unknown size (checked with tfjs)', () => {
    const models = modelsOf(`import * as tf from '@tensorflow/tfjs';

function block() {
  return tf.sequential({layers: [tf.layers.dense({inputShape: [8], units: 16, activation: 'relu'}), tf.layers.dense({units: 8})]});
}

function wideBlock(units) {
  return tf.sequential({layers: [tf.layers.dense({inputShape: [8], units, activation: 'relu'}), tf.layers.dense({units: 8})]});
}

const ffn = tf.sequential();
ffn.add(tf.layers.dense({inputShape: [8], units: 32, activation: 'relu'}));
ffn.add(tf.layers.dense({units: 8}));
ffn.add(tf.layers.dropout({rate: 0.1}));
const input = tf.input({shape: [8]});
const once = tf.layers.add().apply([input, ffn.apply(input)]);
const twice = tf.layers.add().apply([once, ffn.apply(once)]);
const model = tf.model({inputs: input, outputs: block().apply(twice)});
const wide = tf.model({inputs: input, outputs: wideBlock(64).apply(input)});
`);
    const ffn = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 32, activation: 'relu' }), tf.layers.dense({ units: 8 }), tf.layers.dropout({ rate: 0.1 })] });
    const block = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu' }), tf.layers.dense({ units: 8 })] });
    const input = tf.input({ shape: [8] });
    const once = tf.layers.add().apply([input, ffn.apply(input) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const twice = tf.layers.add().apply([once, ffn.apply(once) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const reference = tf.model({ inputs: input, outputs: block.apply(twice) as tf.SymbolicTensor });
    const byName = new Map(models.map((model) => [model.name, model]));
    const model = byName.get('model')!;
    // Applied twice, ffn is one layer: both applications share its weights.
    assert.deepEqual(model.layers.map((layer) => [layer.ref, layer.params]), [['ffn', ffn.countParams()], ['block', block.countParams()]]);
    assert.equal(model.parameterCount, reference.countParams());
    const wide = byName.get('wide')!;
    assert.deepEqual(wide.layers.map((layer) => [layer.ref, layer.params]), [['wideBlock', null]]);
    assert.equal(wide.parameterCount, null);
  });

  it('reads a model held on this: its layers added in the constructor, its compile and predictions in other methods (checked with tfjs)', () => {
    const program = parseTfjs(`import * as tf from '@tensorflow/tfjs';

export class Agent {
  constructor() {
    this.net = tf.sequential();
    this.net.add(tf.layers.dense({inputShape: [8], units: 64, activation: 'relu'}));
    this.net.add(tf.layers.dense({units: 4, activation: 'softmax'}));
    this.grown = tf.sequential();
    this.grown.add(tf.layers.dense({inputShape: [8], units: 16}));
  }

  grow() {
    this.grown.add(tf.layers.dense({units: 4}));
  }

  compile() {
    this.net.compile({optimizer: 'adam', loss: 'categoricalCrossentropy'});
  }

  loss(xs, ys) {
    return tf.losses.softmaxCrossEntropy(ys, this.net.predict(xs));
  }
}
`, { language: 'javascript', jsx: true });
    const reference = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 64, activation: 'relu' }), tf.layers.dense({ units: 4, activation: 'softmax' })] });
    const byName = new Map(program.models.map((model) => [model.name, model]));
    // Before, the adds on this.net were not read: a model of no layers and 0 parameters.
    assert.equal(byName.get('net')!.parameterCount, reference.countParams());
    // Another method adds to this.grown, when is not known: one layer of unknown size stands for what it adds.
    assert.deepEqual(byName.get('grown')!.layers.map((layer) => [layer.kind, layer.params]), [['linear', 8 * 16 + 16], ['unknown', null]]);
    assert.equal(byName.get('grown')!.flowKnown, false);
    assert.deepEqual(program.losses.map((loss) => [loss.ctor, loss.model]), [["'categoricalCrossentropy'", 'net'], ['tf.losses.softmaxCrossEntropy', 'net']]);
  });

  it('sizes what categoryEncoding gives in each output mode, as tfjs does', () => {
    const models = modelsOf(`import * as tf from '@tensorflow/tfjs';
const counted = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [3]}), tf.layers.categoryEncoding({numTokens: 10, outputMode: 'count'}), tf.layers.dense({units: 2})]});
const oneHot = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [1]}), tf.layers.categoryEncoding({numTokens: 6, outputMode: 'oneHot'}), tf.layers.dense({units: 2})]});
const multiHot = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [3]}), tf.layers.categoryEncoding({numTokens: 6}), tf.layers.dense({units: 2})]});
`);
    const references: Record<string, tf.Sequential> = {
      counted: tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3] }), tf.layers.categoryEncoding({ numTokens: 10, outputMode: 'count' }), tf.layers.dense({ units: 2 })] }),
      oneHot: tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [1] }), tf.layers.categoryEncoding({ numTokens: 6, outputMode: 'oneHot' }), tf.layers.dense({ units: 2 })] }),
      multiHot: tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [3] }), tf.layers.categoryEncoding({ numTokens: 6 }), tf.layers.dense({ units: 2 })] }),
    };
    for (const model of models) assert.equal(model.parameterCount, references[model.name]!.countParams(), model.name);
    assert.equal(models.length, 3);
  });

  it('reads a builder function with its default parameters, and not one its body sets again (checked with tfjs)', () => {
    const models = modelsOf(`import * as tf from '@tensorflow/tfjs';

export function createModel(inputSize = 10, hidden = 32, classes = 3) {
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [inputSize], units: hidden, activation: 'relu'}));
  model.add(tf.layers.dense({units: classes, activation: 'softmax'}));
  return model;
}

export function widened(hidden = 32) {
  hidden = hidden * 2;
  return tf.sequential({layers: [tf.layers.dense({inputShape: [4], units: hidden})]});
}
`);
    const reference = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 32, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const byName = new Map(models.map((model) => [model.name, model]));
    // Before, every size from a parameter was unknown.
    assert.equal(byName.get('createModel')!.parameterCount, reference.countParams());
    assert.equal(byName.get('widened')!.parameterCount, null);
  });

  it('counts the slopes PReLU trains, one per value or per channel with shared axes, as tfjs does', () => {
    const [dense, conv] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const dense = tf.sequential();
      dense.add(tf.layers.dense({units: 16, inputShape: [6]}));
      dense.add(tf.layers.prelu());
      dense.add(tf.layers.dense({units: 1}));
      const conv = tf.sequential();
      conv.add(tf.layers.conv2d({inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same'}));
      conv.add(tf.layers.prelu({sharedAxes: [1, 2]}));
      conv.add(tf.layers.prelu());
      conv.add(tf.layers.flatten());
      conv.add(tf.layers.dense({units: 1}));
    `);
    const references = [
      tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [6] }), tf.layers.prelu(), tf.layers.dense({ units: 1 })] }),
      tf.sequential({
        layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same' }), tf.layers.prelu({ sharedAxes: [1, 2] }), tf.layers.prelu(), tf.layers.flatten(), tf.layers.dense({ units: 1 })],
      }),
    ];
    // Before, PReLU counted 0: 401 and 369 parameters.
    [dense, conv].forEach((model, index) => {
      assert.deepEqual(model!.layers.map((layer) => layer.params), references[index]!.layers.map(trainable));
      assert.equal(model!.parameterCount, references[index]!.countParams());
    });
  });

  it('counts normalizations along the axes they are given, moving statistics apart, as tfjs does', () => {
    const [maps, rows] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const maps = tf.sequential();
      maps.add(tf.layers.conv2d({inputShape: [8, 8, 16], filters: 16, kernelSize: 3, padding: 'same'}));
      maps.add(tf.layers.layerNormalization({axis: [1, 2, 3]}));
      maps.add(tf.layers.globalAveragePooling2d({}));
      maps.add(tf.layers.dense({units: 1}));
      const rows = tf.sequential();
      rows.add(tf.layers.batchNormalization({inputShape: [10, 8], axis: 1}));
      rows.add(tf.layers.flatten());
      rows.add(tf.layers.dense({units: 1}));
    `);
    const references = [
      tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 16], filters: 16, kernelSize: 3, padding: 'same' }), tf.layers.layerNormalization({ axis: [1, 2, 3] }), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 1 })] }),
      tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [10, 8], axis: 1 }), tf.layers.flatten(), tf.layers.dense({ units: 1 })] }),
    ];
    // Before, both normalized the last axis only: 32 and 16 parameters where tfjs has 2,048 and 20.
    [maps, rows].forEach((model, index) => {
      const reference = references[index]!;
      assert.deepEqual(model!.layers.map((layer) => layer.params), reference.layers.map(trainable));
      const moving = reference.layers.map((layer) => layer.nonTrainableWeights.reduce((sum, weight) => sum + weight.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0));
      assert.deepEqual(model!.layers.map((layer) => layer.nonTrainable ?? 0), moving);
    });
  });

  it('counts the weights of a layer built with trainable: false as non-trainable, as tfjs does', () => {
    const [model] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const model = tf.sequential();
      model.add(tf.layers.embedding({inputDim: 1000, outputDim: 16, inputLength: 10, trainable: false}));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
    `);
    const reference = tf.sequential({
      layers: [tf.layers.embedding({ inputDim: 1000, outputDim: 16, inputLength: 10, trainable: false }), tf.layers.flatten(), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    });
    // Before, the frozen embedding's 16,000 weights were counted as trainable.
    assert.equal(model!.parameterCount, trainable(reference.layers[0]!) + trainable(reference.layers[2]!));
    assert.equal(model!.parameterCount! + (model!.layers[0]!.nonTrainable ?? 0), reference.countParams());
  });

  it('reads bidirectional and timeDistributed as the layers they wrap, sized as tfjs sizes them', () => {
    const [stacked, functional] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const stacked = tf.sequential();
      stacked.add(tf.layers.embedding({inputDim: 100, outputDim: 32, inputLength: 20}));
      stacked.add(tf.layers.bidirectional({layer: tf.layers.lstm({units: 16, returnSequences: true})}));
      stacked.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: 8, activation: 'relu'})}));
      stacked.add(tf.layers.bidirectional({layer: tf.layers.gru({units: 4}), mergeMode: 'sum'}));
      stacked.add(tf.layers.dense({units: 1, activation: 'sigmoid'}));
      const input = tf.input({shape: [12, 6]});
      const cell = tf.layers.simpleRNN({units: 5, returnSequences: true});
      const both = tf.layers.bidirectional({layer: cell, mergeMode: 'ave'}).apply(input);
      const output = tf.layers.timeDistributed({layer: tf.layers.dense({units: 3})}).apply(both);
      const functional = tf.model({inputs: input, outputs: output});
    `);
    const stackedReference = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 100, outputDim: 32, inputLength: 20 }),
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 16, returnSequences: true }) as tf.RNN }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 8, activation: 'relu' }) }),
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4 }) as tf.RNN, mergeMode: 'sum' }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    assert.deepEqual(stacked!.layers.map((layer) => layer.params), stackedReference.layers.map(trainable));
    assert.deepEqual(
      stacked!.layers.map((layer) => layer.out),
      stackedReference.layers.map((layer) => (layer.outputShape as number[]).at(-1)),
    );
    assert.deepEqual(stacked!.layers.map((layer) => [layer.kind, layer.wrapper?.kind, layer.wrapper?.mergeMode]), [
      ['embedding', undefined, undefined],
      ['lstm', 'bidirectional', 'concat'],
      ['linear', 'time_distributed', undefined],
      ['gru', 'bidirectional', 'sum'],
      ['linear', undefined, undefined],
    ]);
    const input = tf.input({ shape: [12, 6] });
    const both = tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 5, returnSequences: true }) as tf.RNN, mergeMode: 'ave' }).apply(input) as tf.SymbolicTensor;
    const functionalReference = tf.model({ inputs: input, outputs: tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }).apply(both) as tf.SymbolicTensor });
    assert.equal(functional!.parameterCount, functionalReference.countParams());
    assert.deepEqual(functional!.layers.map((layer) => [layer.in, layer.out]), [
      [6, 5],
      [5, 3],
    ]);
  });

  it('reads tf.layers.inputLayer as the input and globalMaxPool1d as the pooling it is, as tfjs does', () => {
    const [pooled, fed] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const pooled = tf.sequential();
      pooled.add(tf.layers.embedding({inputDim: 1000, outputDim: 16, inputLength: 20}));
      pooled.add(tf.layers.conv1d({filters: 8, kernelSize: 3}));
      pooled.add(tf.layers.globalMaxPool1d({}));
      pooled.add(tf.layers.dense({units: 1}));
      const fed = tf.sequential();
      fed.add(tf.layers.inputLayer({inputShape: [4]}));
      fed.add(tf.layers.dense({units: 8, activation: 'relu'}));
      fed.add(tf.layers.dense({units: 3}));
    `);
    const references = [
      tf.sequential({ layers: [tf.layers.embedding({ inputDim: 1000, outputDim: 16, inputLength: 20 }), tf.layers.conv1d({ filters: 8, kernelSize: 3 }), tf.layers.globalMaxPool1d({}), tf.layers.dense({ units: 1 })] }),
      tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [4] }), tf.layers.dense({ units: 8, activation: 'relu' }), tf.layers.dense({ units: 3 })] }),
    ];
    // Before, both were of unknown size: the pooling an unknown layer, the input layer one too.
    assert.equal(pooled!.parameterCount, references[0]!.countParams());
    assert.equal(fed!.parameterCount, references[1]!.countParams());
    assert.deepEqual(fed!.inputShape, [4]);
  });

  it('leaves a model of unknown size when layers are added to it in a callback or by a helper given it', () => {
    const [looped, helped, trained] = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const model = tf.sequential();
      model.add(tf.layers.dense({units: 8, activation: 'relu', inputShape: [4]}));
      [256, 256].forEach((units) => model.add(tf.layers.dense({units, activation: 'relu'})));
      model.add(tf.layers.dense({units: 10, activation: 'softmax'}));

      function addBlock(m, units) {
        m.add(tf.layers.dense({units, activation: 'relu'}));
      }
      const helped = tf.sequential();
      helped.add(tf.layers.dense({units: 8, activation: 'relu', inputShape: [4]}));
      addBlock(helped, 128);
      helped.add(tf.layers.dense({units: 1}));

      async function train(m, xs, ys) { return m.fit(xs, ys, {epochs: 2}); }
      const trained = tf.sequential();
      trained.add(tf.layers.dense({units: 8, activation: 'relu', inputShape: [4]}));
      trained.add(tf.layers.dense({units: 1}));
      train(trained, null, null);
    `);
    // Before, the callback's and the helper's layers were dropped: 130 and 49 parameters, for 70,706 and 1,321.
    assert.equal(looped!.parameterCount, null);
    assert.deepEqual(looped!.layers.map((layer) => layer.kind), ['linear', 'unknown', 'linear']);
    assert.equal(helped!.parameterCount, null);
    // A function that is given the model and only trains it adds nothing.
    const reference = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4] }), tf.layers.dense({ units: 1 })] });
    assert.equal(trained!.parameterCount, reference.countParams());
  });

  it('reads compile losses and optimizers, including logit losses', () => {
    const text = `
      import * as tf from '@tensorflow/tfjs';
      const model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [4]})]});
      model.compile({optimizer: tf.train.momentum(0.01, 0.9), loss: tf.losses.softmaxCrossEntropy});
    `;
    const program = parseTfjs(text, { language: 'javascript', jsx: true });
    assert.deepEqual(program.losses.map((loss) => [loss.kind, loss.fromLogits, loss.model]), [['categorical_crossentropy', true, 'model']]);
    assert.deepEqual(program.optimizers.map((optimizer) => [optimizer.kind, optimizer.lr, optimizer.momentum]), [['sgd', 0.01, 0.9]]);
  });

  it('records core-API weights created with tf.variable', () => {
    const models = modelsOf(`
      import * as tf from '@tensorflow/tfjs';
      const w1 = tf.variable(tf.randomNormal([784, 100]));
      const w2 = tf.variable(tf.randomNormal([100, 10], 0, 0.1));
      const b = tf.variable(tf.zeros([10]));
      function predict(x) { return tf.matMul(tf.matMul(x, w1).relu(), w2).add(b); }
    `);
    const variables = models.find((model) => model.name === 'variables')!;
    assert.deepEqual(
      variables.parameters.map((parameter) => [parameter.name, parameter.creator, parameter.scaled, parameter.usedAsWeight]),
      [
        ['w1', 'randn', false, true],
        ['w2', 'randn', true, true],
        ['b', 'zeros', false, null],
      ],
    );
    assert.equal(variables.parameterCount, 784 * 100 + 100 * 10 + 10);
  });

  it('reports a syntax error with its position through analyzeText', () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential({layers: [\n";
    const analysis = analyzeText('javascript', text, defaultConfig());
    assert.equal(analysis.errors.length, 1);
    assert.match(analysis.errors[0]!.message, /^cannot parse: /);
    assert.ok((analysis.errors[0]!.offset ?? -1) > 0);
  });

  it('does not crash on deeply nested input', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nconst x = ${'('.repeat(10000)}1${')'.repeat(10000)};\n`;
    const analysis = analyzeText('javascript', text, defaultConfig());
    assert.ok(analysis.errors.length <= 1);
  });

  it('skips files that never mention TensorFlow without parsing them', () => {
    const analysis = analyzeText('typescript', 'export const x: number = (;', defaultConfig());
    assert.deepEqual(analysis.errors, []);
    assert.deepEqual(analysis.program?.models, []);
  });
});

describe('TF.js front end: layers added under branches or loops', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('reads model.add in counting loops once per iteration, with the loop variable\'s value (checked with tfjs)', () => {
    const [deep, widths, nested] = parseTfjs(
      `import * as tf from '@tensorflow/tfjs';
const DEPTH = 4;
export function deep() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 64, inputShape: [10], activation: 'sigmoid'}));
  for (let i = 0; i < DEPTH; i++) {
    model.add(tf.layers.dense({units: 64, activation: 'sigmoid'}));
  }
  model.add(tf.layers.dense({units: 1}));
  return model;
}
const WIDTHS = [64, 32, 16];
export function widths() {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 32, inputShape: [10], activation: 'relu'}));
  for (const units of WIDTHS) model.add(tf.layers.dense({units, activation: 'relu'}));
  model.add(tf.layers.dense({units: 1}));
  return model;
}
export function nested() {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({inputShape: [8]}));
  for (let block = 3; block > 0; block -= 1) {
    for (let i = 0; i <= 1; i++) model.add(tf.layers.dense({units: 16 * block}));
    model.add(tf.layers.dropout({rate: 0.1 * block}));
  }
  return model;
}
`,
      { language: 'javascript', jsx: true },
    ).models;
    const dense = (units: number, extra: object = {}) => tf.layers.dense({ units, ...extra });
    const references = [
      tf.sequential({ layers: [dense(64, { inputShape: [10], activation: 'sigmoid' }), ...[0, 1, 2, 3].map(() => dense(64, { activation: 'sigmoid' })), dense(1)] }),
      tf.sequential({ layers: [dense(32, { inputShape: [10], activation: 'relu' }), ...[64, 32, 16].map((units) => dense(units, { activation: 'relu' })), dense(1)] }),
      tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [8] }), ...[3, 2, 1].flatMap((block) => [dense(16 * block), dense(16 * block), tf.layers.dropout({ rate: 0.1 * block })])] }),
    ];
    [deep, widths, nested].forEach((model, index) => {
      assert.equal(model!.flowKnown, true, model!.name);
      assert.equal(model!.parameterCount, references[index]!.countParams(), model!.name);
      const referenceLayers = references[index]!.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
      assert.deepEqual(model!.layers.map((layer) => layer.params), referenceLayers.map(trainable), model!.name);
    });
    assert.deepEqual(nested!.layers.filter((layer) => layer.kind === 'dropout').map((layer) => layer.rate), [0.1 * 3, 0.1 * 2, 0.1]);
    // The loop's layers are one place in the code: a rule reports the stack of sigmoids there once.
    const findings = analyzeText('javascript', `import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({units: 64, inputShape: [10], activation: 'sigmoid'}));\nfor (let i = 0; i < 4; i++) model.add(tf.layers.dense({units: 64, activation: 'sigmoid'}));\nmodel.add(tf.layers.dense({units: 1}));\n`, defaultConfig()).findings;
    assert.deepEqual(findings.map((finding) => finding.code), ['DL201', 'DL201']);
  });

  it('reads model.add in a try block as running in order, as it did before loops were read', () => {
    const [model] = parseTfjs(
      `import * as tf from '@tensorflow/tfjs';
export function build() {
  const model = tf.sequential();
  try {
    model.add(tf.layers.dense({units: 8, inputShape: [4]}));
    for (let i = 0; i < 2; i++) model.add(tf.layers.dense({units: 8}));
  } catch (error) {
    console.error(error);
  }
  return model;
}
`,
      { language: 'javascript', jsx: true },
    ).models;
    assert.equal(model!.flowKnown, true);
    assert.equal(model!.parameterCount, (4 * 8 + 8) + 2 * (8 * 8 + 8));
  });

  it('leaves the order unknown for loops it cannot count or that may end early', () => {
    const models = parseTfjs(
      `import * as tf from '@tensorflow/tfjs';
export function a(n) {
  const model = tf.sequential();
  for (let i = 0; i < n; i++) model.add(tf.layers.dense({units: 8, inputShape: [4]}));
  return model;
}
export function b() {
  const model = tf.sequential();
  for (let i = 0; i < 3; i++) {
    if (i === 2) break;
    model.add(tf.layers.dense({units: 8, inputShape: [4]}));
  }
  return model;
}
export function c() {
  const model = tf.sequential();
  let i = 0;
  while (i < 3) { model.add(tf.layers.dense({units: 8, inputShape: [4]})); i++; }
  return model;
}
export function d() {
  const model = tf.sequential();
  for (let i = 0; i < 3; i++) { model.add(tf.layers.dense({units: 8, inputShape: [4]})); i++; }
  return model;
}
`,
      { language: 'javascript', jsx: true },
    ).models;
    assert.deepEqual(
      models.map((model) => [model.name, model.flowKnown, model.layers.length]),
      [
        ['a', false, 1],
        ['b', false, 1],
        ['c', false, 1],
        ['d', false, 1],
      ],
    );
  });

  it('does not claim which layer feeds which when model.add is conditional', () => {
    const [model] = parseTfjs(
      `import * as tf from '@tensorflow/tfjs';
export function build(kind) {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 8, inputShape: [4]}));
  if (kind === 'deep') {
    model.add(tf.layers.dense({units: 8}));
  } else {
    model.add(tf.layers.dense({units: 16}));
  }
  for (let i = 0; i < 3; i++) model.add(tf.layers.dense({units: 8, activation: 'relu'}));
  return model;
}
`,
      { language: 'javascript', jsx: true },
    ).models;
    assert.equal(model!.flowKnown, false);
    for (const node of model!.flow.filter((candidate) => candidate.op === 'layer')) {
      assert.equal(model!.flow[node.inputs[0]!]!.op, 'opaque');
    }
  });
});

describe('TF.js front end: one variable name for several models', () => {
  it('gives each function its own `model`: its layers and its compile call', () => {
    const text = `import * as tf from '@tensorflow/tfjs';

function buildClassifier() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [8] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}

function buildRegressor() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [8] }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}
`;
    const program = parseTfjs(text, { language: 'javascript', jsx: true });
    assert.deepEqual(program.models.map((model) => [model.name, model.layers.map((layer) => layer.out)]), [['buildClassifier', [32, 3]], ['buildRegressor', [32, 1]]]);
    assert.deepEqual(program.losses.map((loss) => [loss.kind, loss.model]), [['categorical_crossentropy', 'buildClassifier'], ['mse', 'buildRegressor']]);
    assert.deepEqual(program.optimizers.map((optimizer) => [optimizer.kind, optimizer.model]), [['adam', 'buildClassifier'], ['sgd', 'buildRegressor']]);
    // The classifier ends in softmax and its loss takes probabilities: nothing to report.
    assert.deepEqual(analyzeText('javascript', text, defaultConfig()).findings.map((finding) => finding.code), []);
  });

  it('reads each function\'s own tensors when two builders name them alike, and a name declared once at module level', () => {
    const models = modelsOf(`import * as tf from '@tensorflow/tfjs';
const HIDDEN = 32;
export function buildGenerator() {
  const input = tf.input({shape: [16]});
  const x = tf.layers.dense({units: HIDDEN, activation: 'relu'}).apply(input);
  const output = tf.layers.dense({units: 8, activation: 'tanh'}).apply(x);
  return tf.model({inputs: input, outputs: output});
}
export function buildCritic() {
  const input = tf.input({shape: [8]});
  const x = tf.layers.dense({units: 64, activation: 'relu'}).apply(input);
  const output = tf.layers.dense({units: 1}).apply(x);
  return tf.model({inputs: input, outputs: output});
}
`);
    // Before, both names were ambiguous file-wide and both models came out empty, with 0 parameters.
    assert.deepEqual(models.map((model) => [model.name, model.layers.map((layer) => [layer.in, layer.out]), model.parameterCount]), [
      ['buildGenerator', [[16, 32], [32, 8]], 16 * 32 + 32 + (32 * 8 + 8)],
      ['buildCritic', [[8, 64], [64, 1]], 8 * 64 + 64 + (64 + 1)],
    ]);
  });

  it('follows a tensor variable set again (let x = ...; x = layer.apply(x)), and not one set in a loop or a branch', () => {
    const [chained, looped, branched] = modelsOf(`import * as tf from '@tensorflow/tfjs';
export function chained() {
  const input = tf.input({shape: [16]});
  let h = tf.layers.dense({units: 32, useBias: false}).apply(input);
  h = tf.layers.batchNormalization().apply(h);
  h = tf.layers.activation({activation: 'relu'}).apply(h);
  const out = tf.layers.dense({units: 1, activation: 'sigmoid'}).apply(h);
  return tf.model({inputs: input, outputs: out});
}
export function looped() {
  const input = tf.input({shape: [16]});
  let h = input;
  for (let i = 0; i < 3; i++) h = tf.layers.dense({units: 16, activation: 'relu'}).apply(h);
  return tf.model({inputs: input, outputs: tf.layers.dense({units: 1}).apply(h)});
}
export function branched(deep) {
  const input = tf.input({shape: [16]});
  let h = tf.layers.dense({units: 8}).apply(input);
  if (deep) h = tf.layers.dense({units: 8, activation: 'relu'}).apply(h);
  return tf.model({inputs: input, outputs: tf.layers.dense({units: 1}).apply(h)});
}
`);
    const input = tf.input({ shape: [16] });
    let h = tf.layers.dense({ units: 32, useBias: false }).apply(input) as tf.SymbolicTensor;
    h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.activation({ activation: 'relu' }).apply(h) as tf.SymbolicTensor;
    const reference = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor });
    // Before, the sigmoid Dense read the first value of h: the batch norm and the ReLU were lost (and DL202 fired).
    assert.deepEqual(chained!.layers.map((layer) => layer.kind), ['linear', 'batchnorm', 'activation', 'linear']);
    assert.equal(chained!.parameterCount, trainable(reference.layers[1]!) + trainable(reference.layers[2]!) + trainable(reference.layers[4]!));
    assert.equal(chained!.parameterCount, 16 * 32 + 2 * 32 + 33);
    assert.equal(looped!.parameterCount, null);
    assert.equal(branched!.parameterCount, null);
  });

  it('sizes what a concatenation feeds, and leaves the size unknown when an output cannot be followed (checked with tfjs)', () => {
    const [wide, truncated] = modelsOf(`import * as tf from '@tensorflow/tfjs';
const a = tf.input({shape: [8]});
const b = tf.input({shape: [5]});
const merged = tf.layers.concatenate().apply([tf.layers.dense({units: 16}).apply(a), tf.layers.dense({units: 4}).apply(b)]);
const wide = tf.model({inputs: [a, b], outputs: tf.layers.dense({units: 1}).apply(merged)});
async function truncate() {
  const base = await tf.loadLayersModel('model.json');
  return tf.model({inputs: base.inputs, outputs: base.getLayer('conv_pw_13_relu').output});
}
`);
    const ra = tf.input({ shape: [8] });
    const rb = tf.input({ shape: [5] });
    const rmerged = tf.layers.concatenate().apply([tf.layers.dense({ units: 16 }).apply(ra) as tf.SymbolicTensor, tf.layers.dense({ units: 4 }).apply(rb) as tf.SymbolicTensor]);
    const reference = tf.model({ inputs: [ra, rb], outputs: tf.layers.dense({ units: 1 }).apply(rmerged) as tf.SymbolicTensor });
    assert.deepEqual(wide!.layers.map((layer) => layer.in), [8, 5, 20]);
    assert.equal(wide!.parameterCount, reference.countParams());
    // Before, a model whose output came from a loaded model had 0 parameters.
    assert.equal(truncated!.parameterCount, null);
  });

  it('follows the outputs and states of recurrent layers through array patterns and spreads (checked with tfjs)', () => {
    const [training, encoder, unfollowed] = modelsOf(`import * as tf from '@tensorflow/tfjs';
const encoderInputs = tf.input({shape: [null, 12]});
const [, stateH, stateC] = tf.layers.lstm({units: 16, returnState: true}).apply(encoderInputs);
const states = [stateH, stateC];
const decoderInputs = tf.input({shape: [null, 9]});
const [decoded] = tf.layers.lstm({units: 16, returnSequences: true, returnState: true}).apply([decoderInputs, ...states]);
const training = tf.model({inputs: [encoderInputs, decoderInputs], outputs: tf.layers.dense({units: 9, activation: 'softmax'}).apply(decoded)});
const encoder = tf.model({inputs: encoderInputs, outputs: states});
const unfollowed = tf.model({inputs: decoderInputs, outputs: tf.layers.dense({units: 2}).apply([decoderInputs, ...others][0])});
`);
    const referenceEncoderInputs = tf.input({ shape: [null, 12] });
    const [, h, c] = tf.layers.lstm({ units: 16, returnState: true }).apply(referenceEncoderInputs) as tf.SymbolicTensor[];
    const referenceDecoderInputs = tf.input({ shape: [null, 9] });
    const [decoded] = tf.layers.lstm({ units: 16, returnSequences: true, returnState: true }).apply([referenceDecoderInputs, h!, c!]) as tf.SymbolicTensor[];
    const reference = tf.model({ inputs: [referenceEncoderInputs, referenceDecoderInputs], outputs: tf.layers.dense({ units: 9 }).apply(decoded!) as tf.SymbolicTensor });
    // Before, both LSTMs were left out: the destructured names were not followed, and the spread was dropped.
    assert.deepEqual(training!.layers.map((layer) => [layer.kind, layer.in, layer.out]), [['lstm', 12, 16], ['lstm', 9, 16], ['linear', 16, 9]]);
    assert.equal(training!.parameterCount, reference.countParams());
    assert.equal(encoder!.parameterCount, tf.model({ inputs: referenceEncoderInputs, outputs: [h!, c!] }).countParams());
    assert.equal(encoder!.parameterCount, 4 * (16 * (12 + 16) + 16));
    assert.equal(unfollowed!.parameterCount, null);
  });

  it('ends a model at the next one assigned to its variable, and finds a module-level model from a function written above it', () => {
    const program = parseTfjs(
      `import * as tf from '@tensorflow/tfjs';

async function train() {
  await model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
}

let model = tf.sequential();
model.add(tf.layers.dense({ units: 4, inputShape: [2] }));
model = tf.sequential();
model.add(tf.layers.dense({ units: 6, inputShape: [2] }));
model.add(tf.layers.dense({ units: 1 }));
`,
      { language: 'javascript', jsx: true },
    );
    assert.deepEqual(program.models.map((model) => model.layers.map((layer) => layer.out)), [[4], [6, 1]]);
    assert.deepEqual(program.losses.map((loss) => loss.model), ['model']);
    assert.equal(program.losses.length, 1);
  });
});
