// Parameter counts of corpus models, each worked out by hand from the layer sizes in the file. A model of the
// corpus whose count is wrong is as much a bug as a finding on it: users read these numbers in hovers and reports.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, sourceKindOf } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';

const CORPUS = path.join(__dirname, '..', 'corpus');

/** File, model, and its trainable parameters (null where the file does not give every size). */
const COUNTS: [string, string, number | null][] = [
  // Embedding 15000·48; Bidirectional GRU(32) 2·3·(32·(48+32) + 2·32); Dense 6→16, 80→64, 64→5, 64→1.
  ['python/keras_multi_io.py', 'model', 15000 * 48 + 2 * 3 * (32 * (48 + 32) + 2 * 32) + (6 * 16 + 16) + (80 * 64 + 64) + (64 * 5 + 5) + (64 + 1)],
  // Dense 128→7·7·128 (no bias), BN(6272); ConvT 4·4·128·128, BN(128); ConvT 4·4·128·64, BN(64) (no biases);
  // Conv2D 7·7·64→1.
  ['python/keras_dcgan.py', 'generator', 128 * 6272 + 2 * 6272 + 16 * 128 * 128 + 2 * 128 + 16 * 128 * 64 + 2 * 64 + (49 * 64 + 1)],
  // Stem 3·3·3·32, BN(32); depthwise 3·3·32·2, BN(64); 1×1 64·64, BN(64); separable 9·64 + 64·128, BN(128), all
  // without biases; separable 9·128 + 128·256 + 256; Dense 256→5.
  ['python/keras_separable_cnn.py', 'build_model', 864 + 64 + 576 + 128 + 4096 + 128 + (576 + 8192) + 256 + (1152 + 32768 + 256) + (256 * 5 + 5)],
  // TextVectorization has no weights; Embedding 20000·64; Dense 64→64, 64→4.
  ['python/keras_text_vectorization.py', 'model', 20000 * 64 + (64 * 64 + 64) + (64 * 4 + 4)],
  // Dense 8→32; Embedding 50·8; the concatenation gives 32 + 8 = 40 features; Dense 40→16, 16→1.
  ['tfjs/wide-deep.ts', 'buildWideDeepModel', (8 * 32 + 32) + 50 * 8 + (40 * 16 + 16) + (16 + 1)],
  // A MobileNetV2 base from keras.applications: its weights are not in the file.
  ['python/keras_transfer_mobilenet.py', 'model', null],
];

describe('parameter counts of corpus models (worked out by hand)', function () {
  this.timeout(60_000);
  for (const [file, name, expected] of COUNTS) {
    it(`${file}: ${name}`, () => {
      const full = path.join(CORPUS, file);
      const analysis = analyzeText(sourceKindOf(full)!, fs.readFileSync(full, 'utf8'), defaultConfig(), { fileName: full });
      const model = analysis.program?.models.find((candidate) => candidate.name === name);
      assert.ok(model, `no model ${name} in ${file}`);
      assert.equal(model.parameterCount, expected);
    });
  }
});
