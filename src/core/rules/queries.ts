// Questions rules ask of a model's IR. They follow the data-flow graph, never textual adjacency.
import {
  NORM_LAYER_KINDS,
  type ActivationFn,
  type FlowNode,
  type InitInfo,
  type Layer,
  type LayerKind,
  type Model,
  type Program,
  type Span,
} from '../ir/types';

/** Layers whose weights multiply the signal: the ones depth, init and shape rules count. */
export const DENSE_KINDS: ReadonlySet<LayerKind> = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'convtranspose']);

export function layerOf(model: Model, node: FlowNode | undefined): Layer | undefined {
  return node?.op === 'layer' && node.layer !== undefined ? model.layers[node.layer] : undefined;
}

const consumersOfFlow = new WeakMap<readonly FlowNode[], ReadonlyMap<number, readonly number[]>>();

/** Node id → ids of the nodes that read its output; worked out once per flow (several rules ask, and flows do not change). */
export function consumers(model: Model): ReadonlyMap<number, readonly number[]> {
  const known = consumersOfFlow.get(model.flow);
  if (known) return known;
  const result = new Map<number, number[]>();
  for (const node of model.flow) {
    for (const input of node.inputs) {
      const list = result.get(input);
      if (list) list.push(node.id);
      else result.set(input, [node.id]);
    }
  }
  consumersOfFlow.set(model.flow, result);
  return result;
}

/** Flow nodes that apply a dense (linear/conv) layer, in flow order (repeated blocks count each time). */
export function denseNodes(model: Model): FlowNode[] {
  return model.flow.filter((node) => {
    const layer = layerOf(model, node);
    return layer !== undefined && DENSE_KINDS.has(layer.kind);
  });
}

/**
 * The number of dense layers on the longest path data takes, counting repeats: parallel heads or branches are not
 * depth. The declared layers when flow is unknown.
 */
export function denseDepth(model: Model): number {
  if (!model.flowKnown) return model.layers.filter((layer) => DENSE_KINDS.has(layer.kind)).reduce((sum, layer) => sum + (layer.repeat ?? 1), 0);
  return densePath(model).length;
}

const densePaths = new WeakMap<readonly FlowNode[], readonly Layer[]>();

/** The dense layers on the longest path through the flow (by their count), in data-flow order; worked out once per flow. */
export function densePath(model: Model): readonly Layer[] {
  const known = densePaths.get(model.flow);
  if (known) return known;
  // Per node, by its position (a node's id is its position, and its inputs come before it): the dense layers on the
  // longest path ending there, and the input that path comes through.
  const { flow } = model;
  const length = new Int32Array(flow.length);
  const previous = new Int32Array(flow.length).fill(-1);
  let end = -1;
  flow.forEach((node, index) => {
    let best = 0;
    for (const input of node.inputs) {
      if (input < 0 || input >= index) continue;
      if (previous[index] === -1 || length[input]! > best) {
        previous[index] = input;
        best = length[input]!;
      }
    }
    const layer = layerOf(model, node);
    length[index] = best + (layer !== undefined && DENSE_KINDS.has(layer.kind) ? 1 : 0);
    if (end === -1 || length[index]! > length[end]!) end = index;
  });
  const path: Layer[] = [];
  for (let index = end; index >= 0; index = previous[index]!) {
    const layer = layerOf(model, flow[index]);
    if (layer !== undefined && DENSE_KINDS.has(layer.kind)) path.push(layer);
  }
  path.reverse();
  densePaths.set(model.flow, path);
  return path;
}

/** Normalization layers, or weights a weight norm or spectral norm reparametrizes (HiFi-GAN's discriminators). */
export function hasNormalization(model: Model): boolean {
  return (
    model.layers.some((layer) => NORM_LAYER_KINDS.has(layer.kind) || layer.weightNormalization !== undefined) ||
    model.flow.some((node) => node.op === 'opaque' && /norm/i.test(node.label ?? ''))
  );
}

/** Residual adds or concatenations (DenseNet, U-Net skips) shorten the gradient path. */
export function hasSkipConnections(model: Model): boolean {
  return model.flow.some((node) => (node.op === 'add' || node.op === 'concat') && node.inputs.length >= 2);
}

/** Submodules the IR cannot see into: any of them might normalise, add residuals or initialise. */
export function hasOpaqueSubmodules(model: Model): boolean {
  return model.layers.some((layer) => layer.kind === 'unknown');
}

export function hasDropout(model: Model): boolean {
  const dropsInside = (layer: Layer) => typeof layer.innerDropout === 'number' && layer.innerDropout > 0;
  return model.layers.some((layer) => layer.kind === 'dropout' || dropsInside(layer)) || model.flow.some((node) => node.op === 'dropout');
}

/** The activation a flow node applies, whether a functional call, an activation module or a fused Keras activation. */
export function nodeActivation(model: Model, node: FlowNode): { fn: ActivationFn; span: Span; fused: boolean } | undefined {
  if (node.op === 'activation' && node.activation) return { fn: node.activation, span: node.span, fused: false };
  const layer = layerOf(model, node);
  if (!layer?.activation) return undefined;
  if (layer.kind === 'activation') return { fn: layer.activation, span: layer.calleeSpan, fused: false };
  // Recurrent layers' own tanh/sigmoid are internal; only dense layers fuse a post-activation.
  if (DENSE_KINDS.has(layer.kind) && layer.activation !== 'linear') return { fn: layer.activation, span: layer.activationSpan ?? layer.calleeSpan, fused: true };
  return undefined;
}

/** Nodes that pass the signal through without changing what a rule cares about (dropout, identity casts). */
function isPassThrough(model: Model, node: FlowNode): boolean {
  if (node.op === 'dropout') return true;
  const layer = layerOf(model, node);
  return layer?.kind === 'dropout';
}

/**
 * The activation applied to a node's output before any other layer: follows a single consumer through dropout.
 * Returns undefined when the output branches, reaches another layer first, or ends.
 */
export function activationAfter(model: Model, nodeId: number, readers = consumers(model)): { node: FlowNode; fn: ActivationFn; span: Span } | undefined {
  let current = nodeId;
  for (let steps = 0; steps < 8; steps++) {
    const next = readers.get(current) ?? [];
    if (next.length !== 1) return undefined;
    const node = model.flow[next[0]!]!;
    const activation = nodeActivation(model, node);
    if (activation && !activation.fused) return { node, fn: activation.fn, span: activation.span };
    if (!isPassThrough(model, node)) return undefined;
    current = node.id;
  }
  return undefined;
}

/** Whether a node's output multiplies another signal (`x * torch.sigmoid(g)`, a squeeze-and-excitation scale): a gate. */
export function isGate(model: Model, nodeId: number, readers = consumers(model)): boolean {
  return (readers.get(nodeId) ?? []).some((reader) => model.flow[reader]!.op === 'mul');
}

/** Follows a node's output through activations and dropout to the next node that is neither. */
export function nextSubstantive(model: Model, nodeId: number, readers = consumers(model)): FlowNode[] {
  const result: FlowNode[] = [];
  const stack = [nodeId];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const next of readers.get(id) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      const node = model.flow[next]!;
      const activation = nodeActivation(model, node);
      if ((activation && !activation.fused) || isPassThrough(model, node)) stack.push(next);
      else result.push(node);
    }
  }
  return result;
}

interface ModelUses {
  /** By model name, the models of the file that hold a model of that name as a layer. */
  holders: ReadonlyMap<string, readonly Model[]>;
  /** Models the file trains, evaluates or builds a loss or optimizer on. */
  trained: ReadonlySet<string>;
}

const usesOfProgram = new WeakMap<Program, ModelUses>();

/** Worked out once per program: asked per model, a scan of the whole program would make a rule quadratic. */
function modelUses(program: Program): ModelUses {
  const known = usesOfProgram.get(program);
  if (known) return known;
  const holders = new Map<string, Model[]>();
  for (const model of program.models) {
    for (const layer of model.layers) {
      if (layer.ref === undefined) continue;
      const list = holders.get(layer.ref) ?? [];
      if (list[list.length - 1] !== model) list.push(model);
      holders.set(layer.ref, list);
    }
  }
  const trained = new Set<string>();
  for (const loop of program.loops) for (const name of loop.models) trained.add(name);
  for (const facts of [program.losses, program.optimizers, program.modeCalls]) for (const fact of facts) if (fact.model !== undefined) trained.add(fact.model);
  const uses = { holders, trained };
  usesOfProgram.set(program, uses);
  return uses;
}

/** Whether another model of the file holds this one as a layer. */
export function isSubmodule(program: Program, model: Model): boolean {
  const holders = modelUses(program).holders.get(model.name) ?? [];
  return holders.some((holder) => holder !== model);
}

/** Whether the file trains, evaluates or builds a loss or optimizer on this model: its output is a prediction. */
export function isTrainedInFile(program: Program, model: Model): boolean {
  return modelUses(program).trained.has(model.name);
}

/** Var(W)·fan_in, the factor by which a layer scales its input's variance before the activation. */
export function varianceGain(init: InitInfo | undefined, layer: Layer): number | null {
  if (!init) return null;
  const dist = init.dist;
  const fanIn = layer.in;
  const fanOut = layer.out;
  const kernel = layer.kernelSize ? layer.kernelSize.reduce((a, b) => a * b, 1) : 1;
  switch (dist.family) {
    case 'variance_scaling': {
      if (dist.mode === 'fan_in') return dist.scale;
      if (fanIn === null || fanOut === null) return null;
      const inFan = fanIn * kernel;
      const outFan = fanOut * kernel;
      return dist.mode === 'fan_out' ? (dist.scale * inFan) / outFan : (2 * dist.scale * inFan) / (inFan + outFan);
    }
    case 'normal':
      return fanIn === null ? null : dist.std * dist.std * fanIn * kernel;
    case 'uniform':
      return fanIn === null ? null : (((dist.high - dist.low) ** 2) / 12) * fanIn * kernel;
    default:
      return null;
  }
}

/** Writes a small positive number readably: 1/6, 0.5, 6e-7. */
export function formatFactor(value: number): string {
  const inverse = 1 / value;
  if (value < 1 && inverse <= 100_000 && Math.abs(inverse - Math.round(inverse)) < 1e-6 * inverse) return `1/${Math.round(inverse)}`;
  if (value >= 0.01) return value.toFixed(value >= 1 ? 2 : 3).replace(/0+$/, '').replace(/\.$/, '');
  return value.toExponential(0);
}

export function isInsideSpan(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function frameworkName(model: Model): string {
  return model.framework === 'pytorch' ? 'PyTorch' : model.framework === 'keras' ? 'Keras' : 'TF.js';
}
