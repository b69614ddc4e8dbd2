// Hand-built IR models for the probe tests (the IR is the probe's only input).
import type { ActivationFn, Framework, InitDist, Layer, LayerKind, Model } from '../../../src/core/ir/types';

const SPAN = { start: 0, end: 0 };

export interface LayerOptions {
  name?: string;
  activation?: ActivationFn;
  init?: InitDist;
  biasInit?: InitDist;
  bias?: boolean;
  kernelSize?: number[];
  args?: Layer['args'];
  ctor?: string;
}

export function layer(index: number, kind: LayerKind, inSize: number | null, out: number | null, options: LayerOptions = {}): Layer {
  return {
    index,
    kind,
    ctor: options.ctor ?? kind,
    ...(options.name ? { name: options.name } : {}),
    span: { start: index * 10, end: index * 10 + 5 },
    calleeSpan: SPAN,
    args: options.args ?? [],
    ...(options.activation ? { activation: options.activation } : {}),
    in: inSize,
    out,
    bias: options.bias ?? (kind === 'linear' || kind.startsWith('conv') ? true : null),
    params: null,
    ...(options.kernelSize ? { kernelSize: options.kernelSize } : {}),
    ...(options.init ? { init: { name: 'test', dist: options.init, source: 'explicit' as const } } : {}),
    ...(options.biasInit ? { biasInit: { name: 'test', dist: options.biasInit, source: 'explicit' as const } } : {}),
  };
}

/** A model whose forward pass is its layers in order (flow unknown). */
export function chain(layers: Layer[], framework: Framework = 'pytorch', inputShape: number[] | null = null): Model {
  return {
    name: 'Net',
    framework,
    span: SPAN,
    nameSpan: SPAN,
    layers,
    flow: [],
    flowKnown: false,
    inputShape,
    parameterCount: null,
    initSpans: [],
    parameters: [],
  };
}

/** An MLP: `depth` linear layers of `width`, each followed by an activation layer except the last. */
export function mlp(depth: number, width: number, activation: ActivationFn, init?: InitDist, options: { inSize?: number; out?: number; framework?: Framework } = {}): Model {
  const layers: Layer[] = [];
  for (let i = 0; i < depth; i++) {
    const last = i === depth - 1;
    layers.push(layer(layers.length, 'linear', i === 0 ? (options.inSize ?? width) : width, last ? (options.out ?? width) : width, { name: `fc${i}`, ...(init ? { init } : {}) }));
    if (!last) layers.push(layer(layers.length, 'activation', null, null, { activation }));
  }
  return chain(layers, options.framework ?? 'pytorch');
}
