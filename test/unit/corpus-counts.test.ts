// Parameter counts of corpus models, each worked out by hand from the layer sizes in the file. A model of the
// corpus whose count is wrong is as much a bug as a finding on it: users read these numbers in hovers and reports.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, sourceKindOf } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';

const CORPUS = path.join(__dirname, '..', 'corpus');

function fire(cin: number, squeeze: number, expand: number): number {
  return cin * squeeze + squeeze + 2 * (squeeze * expand + expand) + 8 * squeeze * expand;
}

function unet(): number {
  const double = (cin: number, cout: number) => 9 * cin * cout + 2 * cout + 9 * cout * cout + 2 * cout;
  const up = (cin: number, cout: number) => cin * (cin / 2) * 4 + cin / 2 + double(cin, cout);
  const down = [[3, 64], [64, 128], [128, 256], [256, 512], [512, 1024]].reduce((sum, [cin, cout]) => sum + double(cin!, cout!), 0);
  return down + up(1024, 512) + up(512, 256) + up(256, 128) + up(128, 64) + (64 * 2 + 2);
}

function pointNet(): number {
  const norms = 2 * (64 + 128 + 1024 + 512 + 256);
  // Conv1d k→64→128→1024 and Linear 1024→512→256 without biases, each with BatchNorm; Linear 256→k² with its bias.
  const tnet = (k: number) => k * 64 + 64 * 128 + 128 * 1024 + 1024 * 512 + 512 * 256 + (256 * k * k + k * k) + norms;
  // The same shared MLP from 3 points' coordinates, then 256→40 classes.
  const trunk = 3 * 64 + 64 * 128 + 128 * 1024 + 1024 * 512 + 512 * 256 + (256 * 40 + 40) + norms;
  return tnet(3) + tnet(64) + trunk;
}

/**
 * A Keras CIFAR ResNet: a 3→32 stem, stages of two blocks of widths 32, 64 and 128, the first block of a later stage
 * striding with a 1×1 projection, then 128→10. Convolutions have no bias; each has a BatchNorm (two trained per channel).
 */
function kerasCifarResNet(): number {
  const convBn = (cin: number, cout: number, kernel: number) => cin * cout * kernel * kernel + 2 * cout;
  const block = (cin: number, cout: number) => convBn(cin, cout, 3) + convBn(cout, cout, 3) + (cin === cout ? 0 : convBn(cin, cout, 1));
  return convBn(3, 32, 3) + 2 * block(32, 32) + block(32, 64) + block(64, 64) + block(64, 128) + block(128, 128) + (128 * 10 + 10);
}

/** The TinyYolo of yolo_csp.py: every Conv is a convolution without bias and a BatchNorm; the heads have biases. */
function yoloTiny(): number {
  const conv = (cin: number, cout: number, kernel = 1) => cin * cout * kernel * kernel + 2 * cout;
  const bottleneck = (c: number) => conv(c, c) + conv(c, c, 3);
  const c3 = (cin: number, cout: number, n: number) => 2 * conv(cin, cout / 2) + conv(cout, cout) + n * bottleneck(cout / 2);
  const c2f = (cin: number, cout: number, n: number) => conv(cin, cout) + conv((2 + n) * (cout / 2), cout) + n * bottleneck(cout / 2);
  const sppf = (cin: number, cout: number) => conv(cin, cin / 2) + conv(2 * cin, cout);
  const detect = [128, 256, 512].reduce((sum, cin) => sum + cin * 255 + 255, 0);
  return (
    conv(3, 32, 6) + conv(32, 64, 3) + c3(64, 64, 1) + conv(64, 128, 3) + c2f(128, 128, 2) + conv(128, 256, 3) + c3(256, 256, 1) +
    conv(256, 512, 3) + sppf(512, 512) + c3(768, 256, 1) + c3(384, 128, 1) + detect
  );
}

/** The RegNet of regnet_anystage.py: convolutions without bias, each followed by a BatchNorm. */
function regNetTiny(): number {
  const convBnNoBias = (cin: number, cout: number, kernel: number, groups = 1) => (cin / groups) * cout * kernel * kernel + 2 * cout;
  const squeezeExcite = (channels: number, squeeze: number) => channels * squeeze + squeeze + squeeze * channels + channels;
  const block = (cin: number, cout: number, squeeze: number, project: boolean) =>
    (project ? convBnNoBias(cin, cout, 1) : 0) + convBnNoBias(cin, cout, 1) + convBnNoBias(cout, cout, 3, cout / 16) + squeezeExcite(cout, squeeze) + convBnNoBias(cout, cout, 1);
  return convBnNoBias(3, 32, 3) + block(32, 48, 8, true) + block(48, 96, 12, true) + block(96, 96, 24, false) + (96 * 100 + 100);
}

/** A 3×3 convolution with bias from `cin` to `cout` channels, and the BatchNorm after it. */
function convBn(cin: number, cout: number): number {
  return 9 * cin * cout + cout + 2 * cout;
}

/** The thirteen convolutions of VGG-16 with batch norm, five stages of widths 64, 128, 256, 512, 512. */
function vgg16BnFeatures(): number {
  const widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
  return widths.reduce((sum, width, index) => sum + convBn(index === 0 ? 3 : widths[index - 1]!, width), 0);
}

/** torchvision's rounding of a channel count to a multiple of 8, within 10% of it, as the corpus file writes it. */
function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.trunc(value + divisor / 2) - (Math.trunc(value + divisor / 2) % divisor));
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

function mobileNetV3Small(): number {
  const se = (channels: number) => {
    const squeezed = makeDivisible(Math.floor(channels / 4));
    return channels * squeezed + squeezed + squeezed * channels + channels;
  };
  // An expanding 1×1 (when the width changes), a depthwise k×k, squeeze-and-excitation, a projecting 1×1; each conv
  // without bias and with BatchNorm.
  const block = (cin: number, expanded: number, cout: number, k: number, useSe: boolean) =>
    (expanded !== cin ? cin * expanded + 2 * expanded : 0) + (k * k * expanded + 2 * expanded) + (useSe ? se(expanded) : 0) + (expanded * cout + 2 * cout);
  const blocks = block(16, 16, 16, 3, true) + block(16, 72, 24, 3, false) + block(24, 88, 24, 3, false) + block(24, 96, 40, 5, true);
  return 27 * 16 + 2 * 16 + blocks + (40 * 1024 + 1024) + (1024 * 1000 + 1000);
}

/** A weight-normed convolution: its weight (out, in / groups, kernel), bias, and one magnitude per output channel. */
function weightNormedConv(cin: number, cout: number, kernel: number, groups = 1): number {
  return cout * (cin / groups) * kernel + 2 * cout;
}

function periodDiscriminator(): number {
  const widths = [1, 32, 128, 512, 1024, 1024];
  const convs = widths.slice(1).reduce((sum, width, index) => sum + weightNormedConv(widths[index]!, width, 5), 0);
  return convs + weightNormedConv(1024, 1, 3);
}

function scaleDiscriminator(): number {
  const layers: [number, number, number, number][] = [[1, 128, 15, 1], [128, 128, 41, 4], [128, 256, 41, 16], [256, 512, 41, 16], [512, 1024, 41, 16], [1024, 1024, 41, 16], [1024, 1024, 5, 1]];
  return layers.reduce((sum, [cin, cout, kernel, groups]) => sum + weightNormedConv(cin, cout, kernel, groups), 0) + weightNormedConv(1024, 1, 3);
}

function ssd300(classes: number): number {
  const conv = (cin: number, cout: number, kernel: number) => kernel * kernel * cin * cout + cout;
  const widths = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
  const base = widths.reduce((sum, width, index) => sum + conv(index === 0 ? 3 : widths[index - 1]!, width, 3), 0) + conv(512, 1024, 3) + conv(1024, 1024, 1);
  const extras = [[1024, 256, 512], [512, 128, 256], [256, 128, 256], [256, 128, 256]].reduce((sum, [cin, squeeze, cout]) => sum + conv(cin!, squeeze!, 1) + conv(squeeze!, cout!, 3), 0);
  const sources = [512, 1024, 512, 256, 256, 256];
  const boxes = [4, 6, 6, 6, 4, 4];
  const heads = (outputs: number) => sources.reduce((sum, channels, index) => sum + conv(channels, boxes[index]! * outputs, 3), 0);
  // L2Norm keeps one scale per conv4_3 channel.
  return base + 512 + extras + heads(4) + heads(classes);
}

/** MobileNetV2 at width 1.0 from the paper's (t, c, n, s) table: bias-free convolutions, each with BatchNorm. */
function mobileNetV2(): number {
  const convBn = (cin: number, cout: number, kernel: number, groups = 1) => kernel * kernel * (cin / groups) * cout + 2 * cout;
  let total = convBn(3, 32, 3);
  let cin = 32;
  for (const [t, c, n] of [[1, 16, 1], [6, 24, 2], [6, 32, 3], [6, 64, 4], [6, 96, 3], [6, 160, 3], [6, 320, 1]] as const) {
    for (let i = 0; i < n; i++) {
      const hidden = cin * t;
      // Expand (not when t is 1), depthwise 3×3, project.
      total += (t === 1 ? 0 : convBn(cin, hidden, 1)) + convBn(hidden, hidden, 3, hidden) + convBn(hidden, c, 1);
      cin = c;
    }
  }
  return total + convBn(320, 1280, 1) + (1280 * 1000 + 1000);
}

/** ConvNeXt-T: a 4×4 stem, LayerNorm2d (a subclass of nn.LayerNorm) before each 2×2 downsample, 3-3-9-3 blocks. */
function convNeXtTiny(): number {
  const dims = [96, 192, 384, 768];
  const depths = [3, 3, 9, 3];
  // Depthwise 7×7, LayerNorm, 4× inverted bottleneck, layer-scale gamma.
  const block = (d: number) => 49 * d + d + 2 * d + (d * 4 * d + 4 * d) + (4 * d * d + d) + d;
  let total = 16 * 3 * 96 + 96 + 2 * 96;
  for (let i = 0; i < 3; i++) total += 2 * dims[i]! + 4 * dims[i]! * dims[i + 1]! + dims[i + 1]!;
  for (let i = 0; i < 4; i++) total += depths[i]! * block(dims[i]!);
  return total + 2 * 768 + (768 * 1000 + 1000);
}

/** A pre-norm transformer block of nn.MultiheadAttention and a 4× GELU MLP, as CLIP's. */
function residualAttentionBlock(d: number): number {
  return 3 * d * d + 3 * d + (d * d + d) + 2 * d + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * d;
}

function resNeXt29(): number {
  const bottleneck = (cin: number, planes: number, stride: number) => {
    const width = Math.trunc(planes * (16 / 64)) * 8;
    const shortcut = stride !== 1 || cin !== planes * 4 ? cin * planes * 4 + 2 * planes * 4 : 0;
    return cin * width + 2 * width + 9 * (width / 8) * width + 2 * width + width * planes * 4 + 2 * planes * 4 + shortcut;
  };
  let total = 27 * 64 + 2 * 64;
  let cin = 64;
  for (const [planes, stride] of [[64, 1], [128, 2], [256, 2]] as const) {
    for (const s of [stride, 1, 1]) {
      total += bottleneck(cin, planes, s);
      cin = planes * 4;
    }
  }
  return total + (1024 * 10 + 10);
}

/** ResNeXt-50 32×4d: bottlenecks whose first block per stage is handed the stage's 1×1 projection shortcut. */
function resNeXt50(): number {
  const bottleneck = (cin: number, planes: number) => {
    const width = Math.trunc(planes * (4 / 64)) * 32;
    return cin * width + 2 * width + 9 * (width / 32) * width + 2 * width + width * planes * 4 + 2 * planes * 4;
  };
  let total = 49 * 3 * 64 + 2 * 64;
  let cin = 64;
  for (const [planes, blocks] of [[64, 3], [128, 4], [256, 6], [512, 3]] as const) {
    total += bottleneck(cin, planes) + (cin * planes * 4 + 2 * planes * 4);
    cin = planes * 4;
    total += (blocks - 1) * bottleneck(cin, planes);
  }
  return total + (2048 * 1000 + 1000);
}

function hrnetModule(): number {
  const channels = [32, 64, 128];
  const convBn = (cin: number, cout: number, kernel: number) => kernel * kernel * cin * cout + 2 * cout;
  // Two BasicBlocks of two bias-free 3×3 convs with BatchNorm per branch.
  let total = channels.reduce((sum, c) => sum + 2 * 2 * convBn(c, c, 3), 0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if (j > i) total += convBn(channels[j]!, channels[i]!, 1);
      for (let k = 0; k < i - j; k++) total += convBn(channels[j]!, k === i - j - 1 ? channels[i]! : channels[j]!, 3);
    }
  }
  return total;
}

function regNetY(): number {
  let total = 3 * 3 * 3 * 32 + 2 * 32;
  let wIn = 32;
  for (const [depth, width, groupWidth] of [[1, 24, 8], [1, 56, 8], [4, 152, 8], [7, 368, 8]] as const) {
    for (let i = 0; i < depth; i++) {
      const stride = i === 0 ? 2 : 1;
      const squeeze = Math.round(0.25 * wIn);
      // 1×1, grouped 3×3 (each filter sees groupWidth channels), squeeze-and-excitation, 1×1; BatchNorm after each conv.
      total += wIn * width + 2 * width + 9 * groupWidth * width + 2 * width + (width * squeeze + squeeze + squeeze * width + width) + width * width + 2 * width;
      if (wIn !== width || stride !== 1) total += wIn * width + 2 * width;
      wIn = width;
    }
  }
  return total + wIn * 1000 + 1000;
}

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
  // SqueezeNet 1.1: the stem 3·3·3·64, eight Fire modules (squeeze 1×1, then expand 1×1 and 3×3) and a 1×1 classifier.
  ['python/squeezenet.py', 'SqueezeNet', 3 * 3 * 3 * 64 + 64 + [[64, 16, 64], [128, 16, 64], [128, 32, 128], [256, 32, 128], [256, 48, 192], [384, 48, 192], [384, 64, 256], [512, 64, 256]].reduce((sum, [cin, squeeze, expand]) => sum + fire(cin!, squeeze!, expand!), 0) + (512 * 1000 + 1000)],
  // U-Net: double 3×3 convs without bias, each with BatchNorm; transposed 2×2 convs up; a 1×1 head to 2 classes.
  ['python/unet.py', 'UNet', unet()],
  // PointNet: its feature transform is TNet(k=64), which the class builds with k=3 by default.
  ['python/pointnet.py', 'PointNetCls', pointNet()],
  // nanoGPT, 6 layers of 384 without biases, the head tied to the token embedding.
  ['python/lead-nanogpt.py', 'GPT', 65 * 384 + 256 * 384 + 6 * (2 * 384 + 384 * 3 * 384 + 384 * 384 + 384 * 4 * 384 + 4 * 384 * 384) + 384],
  // Eight equalized-learning-rate layers of 512: weights drawn as randn(512, 512).div_(lr_mul), and biases.
  ['python/custom_weights.py', 'MappingNetwork', 8 * (512 * 512 + 512)],
  // A ModuleList from a generator: four blocks of LayerNorm(256) and Linear(256, 256).
  ['python/checkpoint_compile_lbfgs.py', 'Encoder', 4 * (2 * 256 + 256 * 256 + 256)],
  // GPT-2 small, 124 M: token and position embeddings, 12 blocks of two LayerNorms, a fused qkv Conv1D (768→2304),
  // the output projection and a 4× MLP, the final LayerNorm; the head is tied to the token embedding.
  ['python/gpt2_conv1d_block.py', 'GPT2LMHeadModel', 50257 * 768 + 1024 * 768 + 12 * (4 * 768 + (768 * 2304 + 2304) + (768 * 768 + 768) + (768 * 3072 + 3072) + (3072 * 768 + 768)) + 2 * 768],
  // Above a function left half-typed at the end of the file: Conv 3→32 and 32→64, Dense 4096→256→10.
  ['python/trailing_syntax_error.py', 'CifarNet', (27 * 32 + 32) + (9 * 32 * 64 + 64) + (4096 * 256 + 256) + (256 * 10 + 10)],
  // A notebook: Conv 1→32 and 32→64 with BatchNorm, then Linear 7·7·64→128→10.
  ['notebooks/fashion_cnn_pytorch.ipynb', 'FashionCNN', 9 * 32 + 2 * 32 + 9 * 32 * 64 + 2 * 64 + (3136 * 128 + 128) + (128 * 10 + 10)],
  // AlexNet as torchvision builds it: its published 61,100,840.
  ['python/alexnet.py', 'AlexNet', (11 * 11 * 3 * 64 + 64) + (5 * 5 * 64 * 192 + 192) + (9 * 192 * 384 + 384) + (9 * 384 * 256 + 256) + (9 * 256 * 256 + 256) + (9216 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)],
  // RegNetY-200MF-like: each block read with its own widths; only blocks that change width or stride project.
  ['python/regnety_se.py', 'RegNetY', regNetY()],
  // A Keras Sequential that adds six hidden layers of 256 in a loop, after 128 inputs, then 10 logits.
  ['python/kt_he_normal_sequential.py', 'model', 128 * 256 + 256 + 5 * (256 * 256 + 256) + (256 * 10 + 10)],
  // WaveNet: two stacks of ten gated blocks from one generator with two for clauses; each block a dilated conv
  // 64→2·64 of kernel 2, a 1×1 residual and a 1×1 skip projection; a 1×1 input conv and a two-conv head.
  ['python/wavenet_gated.py', 'WaveNet', (256 * 64 + 64) + 20 * ((64 * 128 * 2 + 128) + (64 * 64 + 64) + (64 * 128 + 128)) + (128 * 128 + 128) + (128 * 256 + 256)],
  // An einsum transformer whose head size comes from a tuple assignment (self.heads, self.head_dim = ...): three
  // blocks of LayerNorm, qkv and output weights and a GLU feed-forward, with token and position embeddings.
  ['python/einsum_attention.py', 'EinsumLM', 1000 * 128 + 256 * 128 + 3 * (256 + (3 * 128 * 4 * 32 + 4 * 32 * 128) + 256 + (2 * 128 * 512 + 512 * 128)) + 256],
  // NeRF: eight 256-wide layers from a list that starts as a literal and grows (the fifth takes the 63-wide encoding
  // again), then sigma, a 256 feature layer, a 283→128 view layer and rgb.
  ['python/nerf_mlp.py', 'NeRF', (63 * 256 + 256) + 6 * (256 * 256 + 256) + (319 * 256 + 256) + (256 + 1) + (256 * 256 + 256) + (283 * 128 + 128) + (128 * 3 + 3)],
  // A plain CNN whose layer list grows through `+=` and `.extend` of a helper's [conv, BatchNorm, ReLU] list: a 3→32
  // stem, then for each of 64, 128, 256 a strided conv from the last width and a conv at that width.
  ['python/fp2_simclr_layer_lists.py', 'ConvEncoder', (27 * 32 + 64) + [[32, 64], [64, 128], [128, 256]].reduce((sum, [cin, w]) => sum + (9 * cin! * w! + 2 * w!) + (9 * w! * w! + 2 * w!), 0)],
  // VGG-16-BN from a make_layers helper that fills lists in nested loops (torchvision's 138,365,992), then the
  // 25088→4096→4096→1000 classifier.
  ['python/vgg16_bn.py', 'VGG16BN', vgg16BnFeatures() + (25088 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)],
  // FCN-16s: the same convolutions from a vgg_stage helper per stage, a 3×3 fc6 to 1024 and a 1×1 fc7, 1×1 scores
  // for 21 classes from fc7 and pool4, and bias-free transposed convolutions of kernel 4 and 32.
  ['python/fcn16s.py', 'FCN16s', vgg16BnFeatures() + (9 * 512 * 1024 + 1024) + (1024 * 1024 + 1024) + (1024 * 21 + 21) + (512 * 21 + 21) + 21 * 21 * 16 + 21 * 21 * 32 * 32],
  // MobileNetV3-Small's blocks, whose squeeze widths come from the file's make_divisible helper.
  ['python/mobilenetv3.py', 'MobileNetV3Small', mobileNetV3Small()],
  // SSD300 whose VGG base, extra layers and box heads helpers build in loops (ssd.pytorch's 26,285,486).
  ['python/ssd300_vgg.py', 'SSD300', ssd300(21)],
  // Q-networks and policies a plain agent class holds: 8 → 128 → 128 → 4 in Keras, 4 → 32 → 32 → 1 in TF.js.
  ['python/keras_dqn_agent.py', 'model', (8 * 128 + 128) + (128 * 128 + 128) + (128 * 4 + 4)],
  ['tfjs/agent-class.js', 'net', (4 * 32 + 32) + (32 * 32 + 32) + (32 + 1)],
  // Stages whose first block alone strides and widens, told by `if not blocks`: stem 3→16 with BN, two 16→16 blocks,
  // a 16→32 strided block with its 1×1 downsample, a 32→32 block, then 32→10.
  ['python/stage_first_block.py', 'TinyResNet', (27 * 16 + 32) + 2 * (2 * (9 * 16 * 16 + 32)) + (9 * 16 * 32 + 64 + 9 * 32 * 32 + 64 + 16 * 32 + 64) + 2 * (9 * 32 * 32 + 64) + (32 * 10 + 10)],
  // Ghost modules: half the channels from a 1×1 convolution, half from a depthwise 3×3 on them, each with BN. Stem
  // 3→16; blocks 16→16→16 (identity shortcut) and 16→48→24 (1×1 shortcut); then 24→10.
  ['python/ghost_module.py', 'TinyGhostNet', (27 * 16 + 32) + 2 * ((16 * 8 + 16) + (9 * 8 + 16)) + ((16 * 24 + 48) + (9 * 24 + 48) + (48 * 12 + 24) + (9 * 12 + 24) + (16 * 24 + 48)) + (24 * 10 + 10)],
  // RepVGG blocks filled by a helper with add_module: a 3×3 and a 1×1 conv-BN branch, plus a BN identity branch
  // where the shape allows. 3→16 and 16→32 strided, 32→32 with identity, then 32→10.
  ['python/repvgg_block.py', 'TinyRepVGG', (27 * 16 + 32 + 3 * 16 + 32) + (9 * 16 * 32 + 64 + 16 * 32 + 64) + (64 + 9 * 32 * 32 + 64 + 32 * 32 + 64) + (32 * 10 + 10)],
  // RegNet stages of Sequential subclasses built with `super().__init__(*layers)`: stem 3→32; a 32→48 block (groups
  // of 16, SE to 8) with its projection; 48→96 (SE to 12) with projection, 96→96 (SE to 24); then 96→100.
  ['python/regnet_anystage.py', 'TinyRegNet', regNetTiny()],
  // YOLOv5/v8 blocks whose bottlenecks a generator spreads into a Sequential (see yoloTiny).
  ['python/yolo_csp.py', 'TinyYolo', yoloTiny()],
  // A LLaMA-style decoder of width 256: bias-free attention 4·256², SwiGLU 3·256·704 (2/3 of 1024, to a multiple of
  // 64), two RMSNorm gains of 256 per block, four blocks, embedding and output 1000·256 each, a final norm.
  ['python/llama_block.py', 'Transformer', 2 * 1000 * 256 + 4 * (4 * 256 * 256 + 3 * 256 * 704 + 2 * 256) + 256],
  // Keras CIFAR ResNets whose blocks project the shortcut only when `x.shape[-1] != filters` or they stride.
  ['python/fpk2_resnet_stages.py', 'build_resnet', kerasCifarResNet()],
  ['python/fpk3_resnet_functional.py', 'build_resnet', kerasCifarResNet()],
  // A timm-style ViT whose blocks get `partial(nn.LayerNorm, eps=1e-6)` as their norm layer: a 4×4 patch embedding
  // 3→64, class token and 65 positions, two blocks (qkv 64→192 with bias, projection, MLP 64→256→64, two norms).
  ['python/timm_vit_block.py', 'TinyViT', (48 * 64 + 64) + 64 + 65 * 64 + 2 * (2 * 128 + (64 * 192 + 192) + (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64)) + 128 + (64 * 10 + 10)],
  // The same TCN shape given its widths as `list(num_channels)`: a weight-normed 1→25 block with a 1×1 downsample,
  // two 25→25 blocks, kernel 7, then 25→10.
  ['python/fp3_tcn.py', 'TCNClassifier', (7 * 25 + 50) + (7 * 25 * 25 + 50) + 50 + 2 * 2 * (7 * 25 * 25 + 50) + (25 * 10 + 10)],
  // A softmax-gated mixture of four 64→128→64 experts, a LayerNorm and a 64→10 head; an autoencoder whose decoder
  // reuses the encoder's 784→64 weight and adds a bias of its own.
  ['python/moe_distill.py', 'MoE', (64 * 4 + 4) + 4 * ((64 * 128 + 128) + (128 * 64 + 64)) + 2 * 64 + (64 * 10 + 10)],
  ['python/moe_distill.py', 'TiedAutoencoder', 784 * 64 + 64 + 784],
  // MobileNetV2 whose stem and blocks fill a list from helper calls (torchvision's 3,504,872).
  ['python/mobilenet_v2.py', 'MobileNetV2', mobileNetV2()],
  // A TCN whose causal convolutions a helper makes and weight-norms (a magnitude per output channel): a 1→25 block
  // with a 1×1 downsample, seven 25→25 blocks, kernel 7, then 25→10.
  ['python/tcn.py', 'TCN', (7 * 25 + 50) + (7 * 25 * 25 + 50) + 50 + 7 * 2 * (7 * 25 * 25 + 50) + (25 * 10 + 10)],
  // A stem grown with `layers += conv_bn_act(...)`, a helper that fills a list and appends to it: two conv-BN pairs,
  // a fused block 48→192→48 and an MBConv 48→192 (depthwise, squeeze to 12) →64, then 64→10.
  ['python/fp3_efficientnetv2.py', 'TinyStem', (27 * 24 + 48) + (9 * 24 * 48 + 96) + (9 * 48 * 192 + 384 + 192 * 48 + 96) + (48 * 192 + 384 + 9 * 192 + 384 + (192 * 12 + 12 + 12 * 192 + 192) + 192 * 64 + 128) + (64 * 10 + 10)],
  // ESRGAN's RRDBNet: four RRDBs of three dense blocks (five 3×3 convs, 64 features, growth 32), log2(4) = 2
  // upsampling convs to 256 channels before each pixel shuffle, and the first, body, HR and last convs.
  ['python/esrgan_rrdb.py', 'RRDBNet', 4 * 3 * [64, 96, 128, 160].reduce((sum, cin) => sum + 9 * cin * 32 + 32, 9 * 192 * 64 + 64) + (27 * 64 + 64) + 2 * (9 * 64 * 64 + 64) + 2 * (9 * 64 * 256 + 256) + (9 * 64 * 3 + 3)],
  // Blocks built with a value the file does not give (a drop-path rate from torch.linspace, a dilation from a
  // generator's loop) that their sizes do not depend on.
  ['python/convnext.py', 'ConvNeXt', convNeXtTiny()],
  // The same network as the official code writes it, with `DropPath(rate) if rate > 0 else nn.Identity()`.
  ['python/convnext_tiny.py', 'ConvNeXt', convNeXtTiny()],
  ['python/fp3_wavenet.py', 'WaveNet', (256 * 32 + 32) + 20 * (2 * (32 * 32 * 2 + 32) + (32 * 32 + 32) + (32 * 64 + 64)) + (64 * 64 + 64) + (64 * 256 + 256)],
  // CLIP: a 49,408-token text transformer of width 256 and a ViT of width 384 on 197 tokens, four blocks each, both
  // projected to 256, and the logit scale.
  ['python/clip_dual_encoder.py', 'CLIP', (49408 * 256 + 77 * 256 + 4 * residualAttentionBlock(256) + 2 * 256 + 256 * 256) + (3 * 384 * 256 + 384 + 197 * 384 + 2 * 384 + 4 * residualAttentionBlock(384) + 2 * 384 + 384 * 256) + 1],
  // DeiT-Ti distilled: a 16×16 patch embedding to 192, class and distillation tokens, 198 positions, twelve blocks,
  // and two heads (timm's 5,910,800).
  ['python/deit_tiny_distilled.py', 'DistilledViT', (3 * 256 * 192 + 192) + 2 * 192 + 198 * 192 + 12 * residualAttentionBlock(192) + 2 * 192 + 2 * (192 * 1000 + 1000)],
  // Stages a method builds: ResNeXt-29 8×16d's _make_layer, which sets self.in_planes for the next stage, and
  // HRNet's fuse layers, whose inner loops run once or twice.
  ['python/resnext_cifar.py', 'ResNeXt29', resNeXt29()],
  // The downsample module _make_layer builds and hands to the first block is counted once (torchvision's 25,028,904).
  ['python/resnext50_32x4d.py', 'ResNeXt', resNeXt50()],
  ['python/hrnet_fusion.py', 'HighResolutionModule', hrnetModule()],
  // HiFi-GAN's discriminators, with the weight norm a flag chooses over spectral norm.
  ['python/hifigan_discriminators.py', 'PeriodDiscriminator', periodDiscriminator()],
  ['python/hifigan_discriminators.py', 'ScaleDiscriminator', scaleDiscriminator()],
  ['python/hifigan_discriminators.py', 'MultiPeriodDiscriminator', 5 * periodDiscriminator()],
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
