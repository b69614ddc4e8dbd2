// PyTorch models: nn.Module subclasses (layers from __init__, data flow from forward) and nn.Sequential literals.
import type { SyntaxNode } from '@lezer/common';
import { TORCH_FUNCTIONAL_ACTIVATIONS, torchLayerFacts, torchLayerSpec, torchWeightShape, type TorchLayerSpec } from '../../ir/torch-layers';
import {
  isUnknown,
  UNKNOWN,
  type Arg,
  type ConstValue,
  type CustomParameter,
  type FlowNode,
  type InitInfo,
  type Layer,
  type LayerKind,
  type Model,
  type Span,
} from '../../ir/types';
import { isTorchModuleBase, type ClassInfo, type FileContext } from './context';
import { FlowInterpreter, itemOf, MAX_UNROLL, tensorsOf, type FlowTensor, type FlowValue } from './flow-interpreter';
import { bindTargets, forParts, loopCount, loopValues, readsTargets } from './loops';
import { readInitCall, readInitWrites, returnedParameter, type InitWrite, type LocalFunctions } from './init-calls';
import { MapScope, truthy, updatedConstant, type ConstScope } from './names';
import { assignedNames, assignmentParts, bodyOf, callArgs, childNamed, childrenOf, comprehensionLength, conditionalParts, meaningfulChildren, memberProperty, parameterList, spanOf, statementsOf, unpackedValues, type CallArgs, type Source } from './syntax';

/** What an attribute of the module holds. */
export type Entry =
  /** `once`: one application of a layer whose repeat count the list's order already spells out (see unrollAdded). */
  | { type: 'layer'; layer: Layer; once?: true }
  | { type: 'sequential'; items: Entry[]; known: boolean }
  | { type: 'list'; items: Entry[]; known: boolean }
  | { type: 'dict'; items: Map<string, Entry> }
  | { type: 'param'; param: CustomParameter };

/** Names inits that branches choose between per layer by all of them: `normal_(std=0.01) or kaiming_uniform_()`. */
function nameAlternatives(inits: readonly TypedInit[]): void {
  const names = new Map<string, Set<string>>();
  const key = (init: TypedInit) => (typeof init.part === 'object' ? `parameter ${init.part.parameter}` : init.part);
  for (const init of inits) {
    const set = names.get(key(init)) ?? new Set<string>();
    set.add(init.info.name);
    names.set(key(init), set);
  }
  for (const init of inits) init.info = { ...init.info, name: [...names.get(key(init))!].join(' or ') };
}

/** Tensor constructors whose arguments are the tensor's size. */
const TENSOR_CREATORS: Record<string, CustomParameter['creator']> = {
  randn: 'randn',
  rand: 'rand',
  empty: 'empty',
  zeros: 'zeros',
  ones: 'ones',
  full: 'full',
  Tensor: 'empty',
  FloatTensor: 'empty',
};
/** Expressions that may be a tensor, where a plain name or number is a scale (`1e-5 * torch.ones(d)`). */
const TENSOR_EXPRESSIONS: ReadonlySet<string> = new Set(['CallExpression', 'BinaryExpression', 'ParenthesizedExpression']);
/** Tensor methods that scale, fill, or keep the values and size of a new tensor. */
const SCALING_METHODS: ReadonlySet<string> = new Set(['mul', 'mul_', 'div', 'div_']);
const FILLING_METHODS: ReadonlySet<string> = new Set(['normal_', 'uniform_', 'fill_', 'zero_', 'copy_']);
const KEEPING_METHODS: ReadonlySet<string> = new Set(['to', 'float', 'double', 'half', 'bfloat16', 'cuda', 'cpu', 'clone', 'detach', 'contiguous', 'requires_grad_']);

/**
 * Places a layer a factory function of the file built where the function is called: it is reported there, and its
 * arguments live in the factory, so fixes do not edit them.
 */
function atCallSite(layer: Layer, call: SyntaxNode, helper: string): void {
  layer.helper = helper;
  layer.span = spanOf(call);
  layer.calleeSpan = spanOf(call.firstChild!);
  // A class of the file is sized from the arguments it was built with (see resolveParameterCounts); other layers'
  // arguments are written in the helper, not at this call.
  if (layer.ref === undefined) layer.args = [];
  delete layer.argsSpan;
}

/** Loops of up to this many iterations that add several modules to a list each time are unrolled. */
const MAX_UNROLLED = 64;

/**
 * Unrolls what a loop of `times` iterations added to each list, when every layer it added is repeated `times`:
 * `layers += [Dropout, Linear, BatchNorm, ReLU]` applies the four in turn, `times` over, and `blocks.append(
 * nn.Sequential(Linear, ReLU))` applies each block whole, where following each layer's repeat count would put
 * every Linear straight after the one before. The layers keep their repeat counts; each entry is one application.
 */
function unrollAdded(lists: ReadonlyMap<Entry, number>, times: number, repeat: number): void {
  for (const [list, before] of lists) {
    if (list.type !== 'list' || repeat !== 1) continue;
    const added = list.items.slice(before);
    if (added.length === 0 || (added.length === 1 && added[0]!.type === 'layer')) continue;
    const layers = added.flatMap(layersOf);
    if (layers.length === 0 || !layers.every((layer) => layer.repeat === times) || added.some((entry) => entry.type === 'layer' && entry.once)) continue;
    const once = added.map(appliedOnce);
    list.items.splice(before, added.length, ...Array.from({ length: times }, () => once).flat());
  }
}

/** `a - b`, unknown when either is. */
function minus(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

/** The parameters of a layer's weight: all of them but its bias; null when unknown. */
function weightSize(layer: Layer): number | null {
  const bias = layer.bias === false ? 0 : layer.bias === true && layer.out !== null ? layer.out : null;
  return minus(layer.params, bias);
}

/** A layer's evaluated arguments by parameter name, the positional ones named as the constructor names them. */
function namedValues(spec: TorchLayerSpec, args: readonly Arg[]): Record<string, ConstValue> {
  const values: Record<string, ConstValue> = {};
  let position = 0;
  for (const arg of args) {
    if (arg.name !== undefined) values[arg.name] = arg.value;
    else {
      const param = spec.positional[position++];
      if (param) values[param] = arg.value;
    }
  }
  return values;
}

/** The same entry with each layer in it marked as one application (see Entry): it is unrolled by whoever holds it. */
function appliedOnce(entry: Entry): Entry {
  switch (entry.type) {
    case 'layer':
      return { type: 'layer', layer: entry.layer, once: true };
    case 'sequential':
    case 'list':
      return { ...entry, items: entry.items.map(appliedOnce) };
    case 'dict':
      return { type: 'dict', items: new Map([...entry.items].map(([key, item]) => [key, appliedOnce(item)])) };
    default:
      return entry;
  }
}

/** A type-based init from `apply(fn)` or a `for m in self.modules()` loop. */
export interface TypedInit {
  types: Set<string>;
  /** A layer's weight or bias, or the custom parameter of that attribute name in a module class of this file. */
  part: 'weight' | 'bias' | { parameter: string };
  info: InitInfo;
}

/** What the type-based inits reach: layers by their constructor, and a module class's own parameters by its name. */
export interface InitTargets {
  name: string;
  layers: readonly Layer[];
  parameters: readonly CustomParameter[];
}

/** Ranges shorter than this are keyed by `from * RANGE_KEY_LENGTH + length`, exact below 2^31 offsets. */
const RANGE_KEY_LENGTH = 2 ** 22;
const MAX_NESTING = 200;
const MAX_INLINE_DEPTH = 4;

/** Whether a name is a class by Python's convention (capitalised, not an ALL_CAPS constant): what modules are. */
function namesModuleClass(name: string): boolean {
  return /^[A-Z]/.test(name) && !/^[A-Z0-9_]+$/.test(name);
}

function lastSegment(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

/** Whether `name` is the last segment of a dotted name, told without cutting a new string out of it. */
function isLastSegment(qualified: string, name: string): boolean {
  const at = qualified.length - name.length;
  return qualified.endsWith(name) && (at === 0 || qualified.charCodeAt(at - 1) === 46);
}

/** Arguments a `partial` may bind to a layer class without changing the layer's parameters. */
const SIZE_NEUTRAL_ARGUMENTS: ReadonlySet<string> = new Set(['eps', 'momentum', 'inplace', 'approximate', 'negative_slope', 'track_running_stats']);

/** Layers whose `weight` torchWeightShape describes; weight norm's magnitudes on any other are not counted. */
const WEIGHT_NORMED_KINDS: ReadonlySet<LayerKind> = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'convtranspose', 'embedding']);

/**
 * The value a submodule's parameter takes, when rebuilt with its arguments, for a module the calling model built and
 * counts (see Arg.module): held by the submodule, its weights are not the submodule's to count again.
 */
export const PASSED_MODULE: ConstValue = Object.freeze({ passedModule: true });

/**
 * The torch.nn layer class an expression names: `nn.GELU`, or `partial(nn.LayerNorm, eps=1e-6)` when the bound
 * arguments cannot change the layer's size (timm's norm layers).
 */
export function layerClassNamed(ctx: FileContext, node: SyntaxNode): string | undefined {
  const { names, source } = ctx;
  let target: SyntaxNode | null = node;
  if (node.name === 'CallExpression' && /(^|\.)partial$/.test(names.qualifiedOf(node.firstChild) ?? '')) {
    const args = callArgs(source, node);
    if (args.splat || args.positional.length !== 1 || [...args.keywords.keys()].some((key) => !SIZE_NEUTRAL_ARGUMENTS.has(key))) return undefined;
    target = args.positional[0]!;
  }
  if (target.name !== 'MemberExpression' && target.name !== 'VariableName') return undefined;
  const qualified = names.qualifiedOf(target);
  return qualified?.startsWith('torch.nn.') && torchLayerSpec(lastSegment(qualified)) ? qualified : undefined;
}

/** The values a submodule's parameter takes for a layer class passed to it, one per class, told apart by identity. */
const LAYER_CLASS_VALUES = new Map<string, ConstValue>();

/** The value that stands for a torch.nn layer class handed to a submodule rebuilt with its arguments. */
export function layerClassValue(qualified: string): ConstValue {
  let value = LAYER_CLASS_VALUES.get(qualified);
  if (!value) LAYER_CLASS_VALUES.set(qualified, (value = Object.freeze({ layerClass: qualified })));
  return value;
}

/** The layer class a value stands for, when it is one of layerClassValue's. */
function passedLayerClass(value: ConstValue): string | undefined {
  const qualified = typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value) ? value['layerClass'] : undefined;
  return typeof qualified === 'string' && LAYER_CLASS_VALUES.get(qualified) === value ? qualified : undefined;
}

/** What a local names when it is one of two reparametrizations that count differently, and which is not known. */
const UNSETTLED_REPARAMETRIZATION = 'torch.nn.utils.<weight_norm or spectral_norm>';

/**
 * Functions that return the module they are given with its weight reparametrized: how its size changes, and the
 * normalization of the weight it applies (see Layer.weightNormalization).
 */
const REPARAMETRIZATIONS: Record<string, { size: 'same' | 'weight_norm'; normalization?: 'weight_norm' | 'spectral_norm' }> = {
  'torch.nn.utils.spectral_norm': { size: 'same', normalization: 'spectral_norm' },
  'torch.nn.utils.parametrizations.spectral_norm': { size: 'same', normalization: 'spectral_norm' },
  'torch.nn.utils.parametrizations.orthogonal': { size: 'same' },
  'torch.nn.utils.weight_norm': { size: 'weight_norm', normalization: 'weight_norm' },
  'torch.nn.utils.parametrizations.weight_norm': { size: 'weight_norm', normalization: 'weight_norm' },
};

/** Builds Layer objects and entries from constructor calls; shared by classes and Sequential literals. */
export class LayerFactory {
  readonly layers: Layer[] = [];
  readonly parameters: CustomParameter[] = [];

  /** The parameters each ParameterList or ParameterDict holds, by the container's name. */
  readonly containedParameters = new Map<string, CustomParameter[]>();

  /** Names of the top-level functions looked up, defined or not: what the layers read outside their class. */
  readonly functionsRead = new Set<string>();

  /**
   * Names in `__init__` bound to a torch.nn layer class or weight reparametrization, qualified: parameters by their
   * default (timm's `act_layer=nn.GELU`) and locals (`norm_layer = partial(nn.LayerNorm, eps=1e-6)`, HiFi-GAN's
   * `norm_f = weight_norm if not use_spectral_norm else spectral_norm`).
   */
  readonly layerClassDefaults = new Map<string, string>();
  /** The module a class being built holds at `self.<path>`, when a class builds with this factory. */
  attribute: ((path: string) => Entry | undefined) | undefined;
  /** The classes of the file a class being built reads (see TorchClassBuilder.classesRead). */
  classesRead: Set<string> | undefined;
  /** What a call of a method of the class being built returns (see TorchClassBuilder.methodEntry). */
  method: ((call: SyntaxNode, methodName: string, name: string, scope: MapScope, repeat: number) => Entry | undefined) | undefined;
  /** What a call of a function of the file returns when its body builds modules with statements (see TorchClassBuilder.helperEntry). */
  helper: ((call: SyntaxNode, fn: SyntaxNode, name: string, scope: MapScope, repeat: number) => Entry | undefined) | undefined;

  private depth = 0;

  constructor(readonly ctx: FileContext) {}

  /** A top-level function by name; the lookup is noted, as a reused class model depends on what it found. */
  topLevelFunction(name: string): SyntaxNode | undefined {
    this.functionsRead.add(name);
    return this.ctx.topLevelFunction(name);
  }

  /** A module-level function whose body only returns a call or a list of modules, with its parameter list. */
  private factoryFunction(name: string): { params: SyntaxNode | null; result: SyntaxNode } | undefined {
    const definition = this.topLevelFunction(name);
    if (!definition) return undefined;
    const body = bodyOf(definition);
    const statements = body ? statementsOf(body) : [];
    if (statements.length !== 1 || statements[0]!.name !== 'ReturnStatement') return undefined;
    const result = meaningfulChildren(statements[0]!).find((child) => child.name !== 'return');
    const returnsModules = result?.name === 'CallExpression' || result?.name === 'ArrayExpression' || result?.name === 'TupleExpression';
    return result && returnsModules ? { params: childNamed(definition, 'ParamList'), result } : undefined;
  }

  /** A scope binding a function's parameters to a call's evaluated arguments (defaults otherwise). */
  private bindCall(call: SyntaxNode, params: SyntaxNode | null, caller: ConstScope): MapScope {
    return this.ctx.bindArguments(params, callArgs(this.ctx.source, call), caller).scope;
  }

  /** The file's functions as the init reader follows them, with every lookup noted. */
  private readonly localFunctions: LocalFunctions = {
    lookup: (name) => this.topLevelFunction(name),
    bind: (call, fn, caller) => this.bindCall(call, childNamed(fn, 'ParamList'), caller),
  };

  /** The inits a call statement makes, following the file's own helper functions; undefined when it makes none. */
  initWrites(call: SyntaxNode, scope: ConstScope): InitWrite[] | undefined {
    return readInitWrites(this.ctx.source, this.ctx.names, this.localFunctions, call, scope);
  }

  /** The entry an expression constructs, or undefined when it is not a module. */
  entry(node: SyntaxNode | null | undefined, name: string, scope: MapScope, locals?: Map<string, Entry>, repeat = 1): Entry | undefined {
    if (!node || this.nesting > MAX_NESTING) return undefined;
    this.nesting++;
    try {
      return this.entryOf(node, name, scope, locals, repeat);
    } finally {
      this.nesting--;
    }
  }

  private nesting = 0;

  private entryOf(node: SyntaxNode, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry | undefined {
    const { source, names } = this.ctx;
    if (node.name === 'ParenthesizedExpression') return this.entry(meaningfulChildren(node)[0], name, scope, locals, repeat);
    if (node.name === 'VariableName') {
      const local = locals?.get(source.of(node));
      if (local || scope.lookup(source.of(node)) !== PASSED_MODULE) return local;
      const layer = this.unknownLayer(node, name, undefined, scope, repeat);
      layer.params = 0;
      return { type: 'layer', layer };
    }
    // `nn.Sequential(self.conv1, self.relu, self.conv2)` (TCN): the modules already assigned, shared.
    if (node.name === 'MemberExpression' && this.attribute) {
      const dotted = source.dotted(node);
      const held = dotted?.startsWith('self.') ? this.attribute(dotted.slice('self.'.length)) : undefined;
      if (held) return held;
    }
    if (node.name === 'ConditionalExpression') {
      // `nn.BatchNorm2d(c) if use_bn else nn.Identity()`, with a test the constants settle: the branch it takes.
      const { taken, test, otherwise } = conditionalParts(node);
      const settled = test ? truthy(this.ctx.evaluate(test, scope)) : undefined;
      if (settled !== undefined) {
        const chosen = settled ? taken : otherwise;
        return chosen?.name === 'None' ? undefined : this.entry(chosen, name, scope, locals, repeat);
      }
      // `norm(dim) if use_norm else nn.Identity()` holds a module; `nn.Parameter(...) if bias else None` does not.
      const branches = childrenOf(node).filter((child) => child.name === 'CallExpression');
      const holdsModule = branches.some((branch) => {
        const last = lastSegment(this.ctx.names.qualifiedOf(branch.firstChild) ?? '');
        return namesModuleClass(last) && last !== 'Parameter';
      });
      if (!holdsModule) return undefined;
      const layer = this.unknownLayer(node, name, undefined, scope, repeat);
      // `DropPath(rate) if rate > 0 else nn.Identity()`: which one is not known, but neither holds weights.
      if (taken && otherwise && [taken, otherwise].every((branch) => this.isWeightless(branch, scope))) layer.params = 0;
      return { type: 'layer', layer };
    }
    if (node.name !== 'CallExpression') return undefined;
    const callee = node.firstChild;
    const dotted = source.dotted(callee);
    // `act_layer()` builds what the parameter defaults to, as every size here is read with the defaults.
    const qualified = (dotted !== undefined && this.layerClassDefaults.get(dotted)) || (names.qualify(dotted) ?? '');
    const last = lastSegment(qualified);
    const args = callArgs(source, node);
    if (qualified === 'copy.deepcopy') {
      // MoCo's key encoder, an EMA teacher: `copy.deepcopy(self.encoder)` holds weights of its own.
      const original = args.positional.length === 1 && !args.splat ? args.positional[0]! : undefined;
      const dotted = original?.name === 'MemberExpression' ? source.dotted(original) : undefined;
      const from = original?.name === 'VariableName' ? source.of(original) : dotted?.startsWith('self.') ? dotted.slice('self.'.length) : undefined;
      if (from === undefined) return undefined;
      const held = original!.name === 'VariableName' ? locals?.get(from) : this.attribute?.(from);
      return held ? this.copied(held, from, name) : undefined;
    }
    if (qualified === 'torch.nn.Sequential') {
      const items: Entry[] = [];
      const known = !args.splat;
      const first = args.positional[0];
      // `nn.Sequential(*layers)` with a list built in __init__.
      const spread = args.splat && args.positional.length === 0 ? this.spreadList(args, locals) : undefined;
      if (args.positional.length === 1 && first && names.qualifiedOf(first.firstChild)?.endsWith('OrderedDict')) {
        for (const pair of this.orderedDictPairs(first)) items.push(this.member(pair.value, `${name}.${pair.key}`, scope, locals, repeat));
      } else if (spread) {
        return { type: 'sequential', items: spread.items, known: spread.known };
      } else {
        // Positional modules and `*lists` in order: `nn.Sequential(stem, *[Block(d) for _ in range(8)], head)`.
        let index = 0;
        for (let child = args.list?.firstChild ?? null; child; child = child.nextSibling) {
          if (child.name === '*') {
            const splatted = child.nextSibling;
            if (!splatted) break;
            const list = this.listEntry(splatted, `${name}.${index}`, scope, locals, repeat);
            // A list the IR cannot read (`*make_stage(cfg)`) holds modules of unknown size.
            if (list.type === 'list' && list.known) items.push(...list.items);
            else items.push({ type: 'layer', layer: this.unknownLayer(splatted, `${name}.${index}`, undefined, scope, repeat) });
            index++;
            child = splatted;
            continue;
          }
          if (!args.positional.some((arg) => arg.from === child!.from && arg.to === child!.to)) continue;
          items.push(this.member(child, `${name}.${index++}`, scope, locals, repeat));
        }
      }
      return { type: 'sequential', items, known };
    }
    if (qualified === 'torch.nn.ModuleList') {
      const first = args.positional[0];
      if (!first) return { type: 'list', items: [], known: !args.splat };
      // `nn.ModuleList(Block(d) for _ in range(n))`: a generator argument, read as the list comprehension it equals.
      if (args.list && childrenOf(args.list).some((child) => child.name === 'for')) return this.comprehension(args.list, name, scope, locals, repeat);
      const list = this.listEntry(first, name, scope, locals, repeat);
      // A list the IR cannot read holds modules of unknown size, not none.
      if (list.type === 'list' && list.items.length === 0 && !list.known) return { type: 'layer', layer: this.unknownLayer(first, name, undefined, scope, repeat) };
      return list;
    }
    if (qualified === 'torch.nn.TransformerEncoder' || qualified === 'torch.nn.TransformerDecoder') {
      // Holds `num_layers` copies of the layer it is given (that layer itself is no submodule), then an optional norm.
      const layerNode = args.keywords.get(qualified.endsWith('Encoder') ? 'encoder_layer' : 'decoder_layer')?.value ?? args.positional[0];
      const countNode = args.keywords.get('num_layers')?.value ?? args.positional[1];
      const normNode = args.keywords.get('norm')?.value ?? args.positional[2];
      const count = countNode ? this.ctx.evaluate(countNode, scope) : UNKNOWN;
      const inner = layerNode ? this.entry(layerNode, `${name}.layers[*]`, scope, locals, repeat) : undefined;
      const norm = normNode && normNode.name !== 'None' ? this.member(normNode, `${name}.norm`, scope, locals, repeat) : undefined;
      if (inner?.type !== 'layer' || typeof count !== 'number' || !Number.isInteger(count) || count < 0 || args.splat) {
        return { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat, args) };
      }
      inner.layer.name = `${name}.layers[*]`;
      if (count * repeat !== 1) inner.layer.repeat = count * repeat;
      return norm ? { type: 'sequential', items: [inner, norm], known: true } : inner;
    }
    if (qualified === 'torch.nn.ParameterList' || qualified === 'torch.nn.ParameterDict') {
      // Parameters the IR cannot read, or a container repeated by an outer loop, keep the size unknown.
      const held = repeat === 1 && !args.splat ? this.parameterContainer(args.positional[0], qualified.endsWith('Dict'), name, scope) : undefined;
      return held ?? { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat, args) };
    }
    if (qualified === 'torch.nn.ModuleDict') {
      const items = new Map<string, Entry>();
      const first = args.positional[0];
      if (first?.name === 'DictionaryComprehensionExpression') {
        // `nn.ModuleDict({name: nn.Linear(8, 10) for name in heads})`: the value, once per iteration.
        const children = childrenOf(first);
        const value = children[children.findIndex((child) => child.name === ':') + 1];
        const count = comprehensionLength(children, (iterable) => loopCount(this.ctx.source, iterable, scope));
        const item = value ? this.member(value, `${name}[*]`, scope, locals, count === null ? 1 : repeat * count) : undefined;
        if (item?.type === 'layer') item.layer.repeat = count === null ? null : repeat * count;
        else if (item) return { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat, args) };
        return { type: 'dict', items: item ? new Map([['*', item]]) : items };
      }
      const literal = first?.name === 'DictionaryExpression' && !childrenOf(first).some((child) => child.name === '**');
      if (first && !literal && !(first.name === 'CallExpression' && source.dotted(first.firstChild) === 'dict' && !args.splat)) {
        // A mapping built elsewhere holds modules of unknown size.
        return { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat, args) };
      }
      for (const pair of first ? this.dictPairs(first) : []) items.set(pair.key, this.member(pair.value, `${name}.${pair.key}`, scope, locals, repeat));
      return { type: 'dict', items };
    }
    if (qualified === UNSETTLED_REPARAMETRIZATION && args.positional[0] && !args.splat) {
      // Weight norm or spectral norm, by a flag not known here: the layer, with its size unknown.
      const built = this.entry(args.positional[0], name, scope, locals, repeat);
      if (built?.type === 'layer') {
        built.layer.params = null;
        built.layer.weightNormalization = null;
      }
      return built;
    }
    const reparametrized = REPARAMETRIZATIONS[qualified];
    if (reparametrized && args.positional[0] && !args.splat) {
      // `spectral_norm(nn.Conv2d(...))` is that layer, with its weight rewritten: it counts as the layer, except that
      // weight norm splits the weight into a direction and one magnitude per output.
      const built = this.entry(args.positional[0], name, scope, locals, repeat);
      if (built?.type === 'layer' && reparametrized.size === 'weight_norm') {
        const magnitudes = this.weightNormMagnitudes(built.layer, args, scope);
        built.layer.params = built.layer.params === null || magnitudes === null ? null : built.layer.params + magnitudes;
      }
      if (built?.type === 'layer' && reparametrized.normalization) built.layer.weightNormalization = reparametrized.normalization;
      return built;
    }
    if (qualified === 'torch.nn.Parameter' || qualified === 'torch.nn.parameter.Parameter') {
      return { type: 'param', param: this.customParameter(node, name, scope) };
    }
    if (qualified.startsWith('torch.nn.') && qualified.indexOf('.', 'torch.nn.'.length) < 0) {
      const spec = torchLayerSpec(last);
      if (spec) return { type: 'layer', layer: this.layer(node, spec.className, name, scope, repeat, args) };
      return { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat, args) };
    }
    const local = dotted && this.ctx.classes.get(dotted);
    // ConvNeXt's `class LayerNorm2d(nn.LayerNorm)` with a forward of its own: built as the layer it derives from.
    const inherited = local ? this.inheritedTorchLayer(local, 0) : undefined;
    if (inherited) return { type: 'layer', layer: this.layer(node, inherited, name, scope, repeat, args) };
    if (local) {
      const layer = this.unknownLayer(node, name, local.name, scope, repeat, args);
      for (const value of [...args.positional, ...[...args.keywords.values()].map((keyword) => keyword.value)]) {
        const arg = layer.args.find((candidate) => candidate.valueSpan.start === value.from);
        if (!arg) continue;
        // `block(self.inplanes, planes, stride, downsample)`: a module this model built, handed to the block.
        if (value.name === 'VariableName' && locals?.get(source.of(value))) arg.module = true;
        // `Block(dim, norm_layer=nn.BatchNorm1d)`: the block builds that class where it calls `norm_layer(dim)`.
        const layerClass = layerClassNamed(this.ctx, value) ?? (value.name === 'VariableName' ? this.layerClassDefaults.get(source.of(value)) : undefined);
        if (layerClass !== undefined) arg.layerClass = layerClass;
      }
      return { type: 'layer', layer };
    }
    const factory = dotted ? this.factoryFunction(dotted) : undefined;
    if (factory?.result.name === 'CallExpression' && this.depth < 4) {
      // torchvision's `conv3x3(in, out, stride)`: a module-level function that returns one constructor call.
      this.depth++;
      try {
        const built = this.entry(factory.result, name, this.bindCall(node, factory.params, scope), undefined, repeat);
        if (built?.type === 'layer') atCallSite(built.layer, node, dotted!);
        return built;
      } finally {
        this.depth--;
      }
    }
    const wrapped = dotted && !dotted.includes('.') && this.depth < 4 ? this.wrappedModule(node, dotted, name, scope, locals, repeat) : undefined;
    if (wrapped) return wrapped;
    const helped = dotted && !dotted.includes('.') ? this.builtByHelper(node, dotted, name, scope, repeat) : undefined;
    if (helped) return helped;
    const returned = dotted?.startsWith('self.') && dotted.indexOf('.', 5) < 0 ? this.builtByMethod(node, dotted, name, scope, repeat) : undefined;
    if (returned) return returned;
    // External modules (timm's DropPath, a project's Mlp) are classes by convention: capitalised.
    if (namesModuleClass(last)) {
      const layer = this.unknownLayer(node, name, undefined, scope, repeat, args);
      // einops' Rearrange and Reduce layers move or pool values and hold no weights.
      if (/^einops\.layers\.torch\.(Rearrange|Reduce)$/.test(qualified)) layer.params = 0;
      return { type: 'layer', layer };
    }
    // `wrap(nn.Conv1d(...))` with a callable the IR cannot follow: what it returns holds that module, of a size unknown.
    if (args.positional.some((arg) => this.constructsTorchModule(arg))) return { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat, args) };
    return undefined;
  }

  /**
   * The torch.nn layer class a class of the file builds as, when neither it nor a base of the file between defines
   * `__init__`: its constructor and weights are that layer's. The classes read are noted, as the model depends on them.
   */
  private inheritedTorchLayer(info: ClassInfo, depth: number): string | undefined {
    this.classesRead?.add(info.name);
    if (depth > 8 || info.methods.has('__init__')) return undefined;
    for (const base of info.bases) {
      const local = this.ctx.classes.get(base);
      if (local && local !== info) return this.inheritedTorchLayer(local, depth + 1);
      if (base.startsWith('torch.nn.') && base.indexOf('.', 'torch.nn.'.length) < 0 && torchLayerSpec(lastSegment(base))) return lastSegment(base);
    }
    return undefined;
  }

  /**
   * Whether an expression is no module or one without weights: `None`, a torch.nn module that holds none with these
   * arguments (`nn.Identity()`, `nn.Dropout(p)`), or a class of the file whose `__init__` calls nothing but its base's.
   */
  private isWeightless(node: SyntaxNode, scope: MapScope): boolean {
    if (node.name === 'None') return true;
    if (node.name !== 'CallExpression') return false;
    const dotted = this.ctx.source.dotted(node.firstChild);
    const local = dotted ? this.ctx.classes.get(dotted) : undefined;
    if (local) {
      this.classesRead?.add(local.name);
      // Only a plain module's base `__init__` makes nothing: a layer class's (`nn.Linear`) or a file class's may.
      const init = local.methods.get('__init__');
      return init !== undefined && local.bases.every((base) => base === 'torch.nn.Module') && this.ctx.nodesIn(init).calls.every((call) => /^super(\(.*\)\.__init__)?$/.test(this.ctx.source.of(call.firstChild!).replace(/\s+/g, '')));
    }
    const qualified = this.ctx.names.qualify(dotted) ?? '';
    const spec = qualified.startsWith('torch.nn.') ? torchLayerSpec(lastSegment(qualified)) : undefined;
    return spec !== undefined && torchLayerFacts(spec, namedValues(spec, this.args(node, scope))).params === 0;
  }

  /** Whether an expression is a call that constructs a torch.nn module (`nn.Conv2d(...)`). */
  /** The local list a call spreads (`*layers`), when the code built it in this scope. */
  spreadList(args: CallArgs, locals: ReadonlyMap<string, Entry> | undefined): (Entry & { type: 'list' }) | undefined {
    const star = args.list ? childNamed(args.list, '*') : null;
    const spread = star?.nextSibling;
    const list = spread?.name === 'VariableName' ? locals?.get(this.ctx.source.of(spread)) : undefined;
    return list?.type === 'list' ? list : undefined;
  }

  constructsTorchModule(node: SyntaxNode): boolean {
    if (node.name !== 'CallExpression') return false;
    const qualified = this.ctx.names.qualifiedOf(node.firstChild) ?? '';
    return qualified.startsWith('torch.nn.') && namesModuleClass(lastSegment(qualified));
  }

  /**
   * A copy of a module the class holds, named `name` in place of `from`: each layer again, with weights of its own.
   * Undefined for a parameter, which is not a module.
   */
  private copied(entry: Entry, from: string, name: string): Entry | undefined {
    const renamed = (layerName: string | undefined) =>
      layerName === undefined ? name : layerName === from || layerName.startsWith(`${from}.`) || layerName.startsWith(`${from}[`) ? name + layerName.slice(from.length) : `${name}.${layerName}`;
    const copy = (item: Entry): Entry | undefined => {
      switch (item.type) {
        case 'layer': {
          const layer: Layer = { ...item.layer, index: this.layers.length, name: renamed(item.layer.name) };
          // A weight tied into the original from outside it is a tensor of the copy's own after the copy.
          delete layer.sharedParams;
          this.layers.push(layer);
          return { ...item, layer };
        }
        case 'sequential':
        case 'list': {
          const items = item.items.map(copy);
          return items.every((element) => element !== undefined) ? { ...item, items: items as Entry[] } : undefined;
        }
        case 'dict': {
          const items = new Map<string, Entry>();
          for (const [key, value] of item.items) {
            const copied = copy(value);
            if (!copied) return undefined;
            items.set(key, copied);
          }
          return { type: 'dict', items };
        }
        case 'param':
          return undefined;
      }
    };
    return copy(entry);
  }

  /**
   * An element of a Sequential, ModuleList or ModuleDict: a module by contract, so one the IR cannot read is kept as
   * a layer of unknown kind and size, not dropped (which would leave the container's size short of the truth).
   */
  member(node: SyntaxNode, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry {
    return this.entry(node, name, scope, locals, repeat) ?? { type: 'layer', layer: this.unknownLayer(node, name, undefined, scope, repeat) };
  }

  /**
   * CleanRL's `layer_init(nn.Linear(64, 64), std=0.01)`: a module-level function that initialises the module (or
   * parameter) it is passed and returns it. That is the argument, built where it is written, with the function's inits.
   */
  private wrappedModule(call: SyntaxNode, helper: string, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry | undefined {
    const fn = this.topLevelFunction(helper);
    const returned = fn ? returnedParameter(this.ctx.source, fn) : undefined;
    if (!fn || returned === undefined) return undefined;
    const position = parameterList(this.ctx.source, childNamed(fn, 'ParamList')).findIndex((param) => param.name === returned);
    const args = callArgs(this.ctx.source, call);
    const argument = args.keywords.get(returned)?.value ?? (args.splat ? undefined : args.positional[position]);
    if (!argument) return undefined;
    this.depth++;
    try {
      const built = this.entry(argument, name, scope, locals, repeat);
      if (built?.type !== 'layer' && built?.type !== 'param') return built;
      for (const write of this.initWrites(call, scope) ?? []) {
        if (write.target.from !== argument.from || write.target.to !== argument.to) continue;
        if (built.type === 'param') {
          if (write.part !== undefined) continue;
          built.param.initialized = true;
          built.param.init = write.info;
        } else if (write.part === 'weight') built.layer.init = write.info;
        else if (write.part === 'bias' && built.layer.bias !== false) built.layer.biasInit = write.info;
      }
      return built;
    } finally {
      this.depth--;
    }
  }

  /**
   * SSD's `make_trunk(cfg)`: a function of the file whose body builds modules with statements (a list filled in a
   * loop, a local returned), read by the class being built. Its layers are placed at the call, as they are built
   * with the arguments of each call.
   */
  private builtByHelper(call: SyntaxNode, helper: string, name: string, scope: MapScope, repeat: number): Entry | undefined {
    const fn = this.helper && this.depth < 4 ? this.topLevelFunction(helper) : undefined;
    return fn ? this.builtAtCall(call, helper, () => this.helper!(call, fn, name, scope, repeat)) : undefined;
  }

  /** torchvision's `self._make_layer(block, 64, layers[0])`: a method of the class being built, read as a helper is. */
  private builtByMethod(call: SyntaxNode, dotted: string, name: string, scope: MapScope, repeat: number): Entry | undefined {
    if (!this.method || this.depth >= 4) return undefined;
    return this.builtAtCall(call, dotted, () => this.method!(call, dotted.slice('self.'.length), name, scope, repeat));
  }

  /** What `build` reads of a helper's or method's body, one level deeper, with its layers placed at the call. */
  private builtAtCall(call: SyntaxNode, helper: string, build: () => Entry | undefined): Entry | undefined {
    this.depth++;
    try {
      const built = build();
      for (const layer of built ? layersOf(built) : []) atCallSite(layer, call, helper);
      return built;
    } finally {
      this.depth--;
    }
  }

  /** The list an expression of the file holds: its items read as modules. */
  listOf(node: SyntaxNode, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry & { type: 'list' } {
    const list = this.listEntry(node, name, scope, locals, repeat);
    return list.type === 'list' ? list : { type: 'list', items: [list], known: true };
  }

  private listEntry(node: SyntaxNode, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry {
    const { source } = this.ctx;
    if (node.name === 'ArrayExpression' || node.name === 'TupleExpression') {
      const items = meaningfulChildren(node).map((element, index) => this.member(element, `${name}.${index}`, scope, locals, repeat));
      return { type: 'list', items, known: true };
    }
    // A generator spread into a call (`*(Bottleneck(c) for _ in range(n))`) gives its items as a list comprehension does.
    if (node.name === 'ArrayComprehensionExpression' || node.name === 'ComprehensionExpression' || node.name === 'ArgList') return this.comprehension(node, name, scope, locals, repeat);
    const dotted = node.name === 'CallExpression' ? source.dotted(node.firstChild) : undefined;
    const factory = dotted ? this.factoryFunction(dotted) : undefined;
    if (factory && (factory.result.name === 'ArrayExpression' || factory.result.name === 'TupleExpression') && this.depth < 4) {
      // `*block(64, 128)` with `def block(cin, cout): return [nn.Linear(cin, cout), nn.ReLU()]` (the PyTorch GAN examples).
      this.depth++;
      try {
        const list = this.listEntry(factory.result, name, this.bindCall(node, factory.params, scope), undefined, repeat);
        for (const item of list.type === 'list' ? list.items : []) if (item.type === 'layer') atCallSite(item.layer, node, dotted!);
        return list;
      } finally {
        this.depth--;
      }
    }
    if (node.name === 'VariableName') {
      const local = locals?.get(source.of(node));
      if (local) return local;
    }
    // `*make_layers(cfg)`: a Sequential splatted gives its modules, one module gives itself.
    const helped = dotted && !dotted.includes('.') ? this.builtByHelper(node, dotted, name, scope, repeat) : undefined;
    if (helped?.type === 'list' || helped?.type === 'sequential') return { type: 'list', items: helped.items, known: helped.known };
    if (helped?.type === 'layer') return { type: 'list', items: [helped], known: true };
    return { type: 'list', items: [], known: false };
  }

  /** `[element for _ in range(n)]`, or the same between a call's parentheses: the element, repeated. */
  private comprehension(node: SyntaxNode, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry {
    const children = childrenOf(node);
    const forIndex = children.findIndex((child) => child.name === 'for');
    const element = meaningfulChildren(node)[0];
    if (!element || forIndex < 0 || element.from > children[forIndex]!.from) return { type: 'list', items: [], known: false };
    const unrolled = this.unrolledComprehension(children, forIndex, element, name, scope, locals, repeat);
    if (unrolled) return unrolled;
    const count = comprehensionLength(children, (iterable) => loopCount(this.ctx.source, iterable, scope));
    const item = this.member(element, `${name}[*]`, scope, locals, count === null ? 1 : repeat * count);
    if (item.type === 'layer') item.layer.repeat = count === null ? null : repeat * count;
    // `[nn.Sequential(Linear, ReLU) for _ in range(4)]`: four blocks, each applied whole.
    if (item.type !== 'layer' && count !== null && count > 1 && count <= MAX_UNROLLED && repeat === 1) {
      const once = appliedOnce(item);
      return { type: 'list', items: Array.from({ length: count }, () => once), known: true };
    }
    return { type: 'list', items: [item], known: count !== null };
  }

  /**
   * `[ResBlock(ch, dilation=2 ** i) for i in range(10)]`: an element that reads the loop's target is built once per
   * value, each with its own, when the one `for` clause runs over known values and no `if` clause filters them.
   */
  private unrolledComprehension(children: SyntaxNode[], forIndex: number, element: SyntaxNode, name: string, scope: MapScope, locals: Map<string, Entry> | undefined, repeat: number): Entry | undefined {
    const { source } = this.ctx;
    if (repeat !== 1 || children.some((child, index) => (child.name === 'for' && index !== forIndex) || child.name === 'if')) return undefined;
    const inIndex = children.findIndex((child) => child.name === 'in');
    const targets = children.slice(forIndex + 1, inIndex).filter((child) => child.name !== ',');
    if (!readsTargets(source, element, targets)) return undefined;
    const values = inIndex > forIndex ? loopValues(source, children[inIndex + 1], scope) : null;
    if (!values || values.length > MAX_UNROLLED) return undefined;
    const items = values.map((value, index) => {
      const iteration = new MapScope(scope);
      bindTargets(source, iteration, targets, value);
      return this.member(element, `${name}.${index}`, iteration, locals, 1);
    });
    return { type: 'list', items, known: true };
  }

  /**
   * The parameters a ParameterList or ParameterDict is built with: a list or tuple of `nn.Parameter(...)` calls, a
   * comprehension of one whose count is known and whose element does not read the loop's variable, or a dict of
   * them. Undefined when any element is something else.
   */
  private parameterContainer(first: SyntaxNode | undefined, isDict: boolean, name: string, scope: MapScope): Entry | undefined {
    const { source, names } = this.ctx;
    const isParameter = (element: SyntaxNode | undefined): element is SyntaxNode => {
      const qualified = element?.name === 'CallExpression' ? names.qualifiedOf(element.firstChild) : undefined;
      return qualified === 'torch.nn.Parameter' || qualified === 'torch.nn.parameter.Parameter';
    };
    // Every element is checked before any parameter is made: one the IR cannot read leaves none counted.
    const parameter = (element: SyntaxNode, at: string): Entry => ({ type: 'param', param: this.customParameter(element, at, scope) });
    if (!first) return isDict ? { type: 'dict', items: new Map() } : { type: 'list', items: [], known: true };
    if (isDict) {
      const literal = first.name === 'DictionaryExpression' && !childrenOf(first).some((child) => child.name === '**');
      const pairs = literal || (first.name === 'CallExpression' && source.dotted(first.firstChild) === 'dict') ? this.dictPairs(first) : [];
      if ((!literal && pairs.length === 0) || !pairs.every((pair) => isParameter(pair.value))) return undefined;
      const items = new Map(pairs.map((pair) => [pair.key, parameter(pair.value, `${name}.${pair.key}`)]));
      this.containedParameters.set(name, [...items.values()].flatMap((item) => (item.type === 'param' ? [item.param] : [])));
      return { type: 'dict', items };
    }
    let elements: (SyntaxNode | undefined)[];
    if (first.name === 'ArrayExpression' || first.name === 'TupleExpression') {
      elements = meaningfulChildren(first).filter((child) => child.name !== ',');
    } else if (first.name === 'ArrayComprehensionExpression') {
      const children = childrenOf(first);
      const forIndex = children.findIndex((child) => child.name === 'for');
      const inIndex = children.findIndex((child) => child.name === 'in');
      const element = meaningfulChildren(first)[0];
      const count = comprehensionLength(children, (iterable) => loopCount(source, iterable, scope));
      if (!element || forIndex < 0 || inIndex < forIndex || count === null || count > MAX_UNROLLED || readsTargets(source, element, children.slice(forIndex + 1, inIndex))) return undefined;
      elements = Array.from({ length: count }, () => element);
    } else {
      return undefined;
    }
    if (!elements.every(isParameter)) return undefined;
    const items = elements.map((element, index) => parameter(element!, `${name}.${index}`));
    this.containedParameters.set(name, items.flatMap((item) => (item.type === 'param' ? [item.param] : [])));
    return { type: 'list', items, known: true };
  }

  private orderedDictPairs(call: SyntaxNode): { key: string; value: SyntaxNode }[] {
    const list = callArgs(this.ctx.source, call).positional[0];
    if (!list || (list.name !== 'ArrayExpression' && list.name !== 'TupleExpression')) return [];
    return meaningfulChildren(list).flatMap((pair) => {
      const [key, value] = pair.name === 'TupleExpression' || pair.name === 'ParenthesizedExpression' ? meaningfulChildren(pair) : [];
      const keyValue = key ? this.ctx.evaluate(key, this.ctx.moduleScope) : undefined;
      return typeof keyValue === 'string' && value ? [{ key: keyValue, value }] : [];
    });
  }

  private dictPairs(node: SyntaxNode): { key: string; value: SyntaxNode }[] {
    const { source } = this.ctx;
    if (node.name === 'DictionaryExpression') {
      const items = meaningfulChildren(node);
      const pairs: { key: string; value: SyntaxNode }[] = [];
      for (let index = 0; index + 1 < items.length; index += 2) {
        // A key the evaluator cannot read still names a module: by its text.
        const key = this.ctx.evaluate(items[index], this.ctx.moduleScope);
        pairs.push({ key: typeof key === 'string' ? key : source.of(items[index]!), value: items[index + 1]! });
      }
      return pairs;
    }
    if (node.name === 'CallExpression' && source.dotted(node.firstChild) === 'dict') {
      return [...callArgs(source, node).keywords].map(([key, { value }]) => ({ key, value }));
    }
    return [];
  }

  /** The arguments of a call as written, evaluated; `parsed` saves splitting them again. */
  args(call: SyntaxNode, scope: MapScope, parsed: CallArgs = callArgs(this.ctx.source, call)): Arg[] {
    const { source } = this.ctx;
    const result: Arg[] = [];
    for (const node of parsed.positional) {
      // Spans are values no one changes: a positional argument's span and its value's can be the same object.
      const span = spanOf(node);
      result.push({ value: this.ctx.evaluate(node, scope), span, valueSpan: span, text: source.of(node) });
    }
    let sorted = true;
    for (const [name, { name: nameNode, value }] of parsed.keywords) {
      const start = nameNode.from;
      if (result.length > 0 && result[result.length - 1]!.span.start > start) sorted = false;
      result.push({ name, value: this.ctx.evaluate(value, scope), span: { start, end: value.to }, valueSpan: spanOf(value), text: source.of(value) });
    }
    // Keywords follow the positional arguments in all but broken code.
    return sorted ? result : result.sort((a, b) => a.span.start - b.span.start);
  }

  /**
   * The magnitudes `weight_norm` adds to a layer: the weight's size along `dim` (0 by default: outputs, but inputs for
   * a ConvTranspose, whose weight is (in, out/groups, k...)), or one for the whole weight with dim=None.
   */
  private weightNormMagnitudes(layer: Layer, args: CallArgs, scope: MapScope): number | null {
    const nameNode = args.keywords.get('name')?.value ?? args.positional[1];
    if (nameNode !== undefined && this.ctx.evaluate(nameNode, scope) !== 'weight') return null;
    const dimNode = args.keywords.get('dim')?.value ?? args.positional[2];
    const dim = dimNode === undefined ? 0 : this.ctx.evaluate(dimNode, scope);
    if (dim === null) return 1;
    if (dim === 0 && WEIGHT_NORMED_KINDS.has(layer.kind)) return layer.kind === 'convtranspose' || layer.kind === 'embedding' ? layer.in : layer.out;
    const spec = torchLayerSpec(lastSegment(layer.ctor));
    const shape = spec && spec.kind === layer.kind ? torchWeightShape(spec, namedValues(spec, layer.args)) : undefined;
    if (!shape || typeof dim !== 'number' || !Number.isInteger(dim) || dim < -shape.length || dim >= shape.length) return null;
    return shape[dim < 0 ? dim + shape.length : dim] ?? null;
  }

  private argsSpan(call: SyntaxNode): Span | undefined {
    const list = call.lastChild;
    return list?.name === 'ArgList' ? { start: list.from + 1, end: Math.max(list.from + 1, list.to - 1) } : undefined;
  }

  layer(call: SyntaxNode, className: string, name: string, scope: MapScope, repeat = 1, parsed?: CallArgs): Layer {
    const spec = torchLayerSpec(className)!;
    const args = this.args(call, scope, parsed);
    const facts = torchLayerFacts(spec, namedValues(spec, args));
    const argsSpan = this.argsSpan(call);
    const callee = call.firstChild!;
    const layer: Layer = {
      index: this.layers.length,
      kind: spec.kind,
      ctor: this.ctx.source.of(callee),
      name,
      span: spanOf(call),
      calleeSpan: spanOf(callee),
      args,
      in: facts.in,
      out: facts.out,
      bias: facts.bias,
      params: facts.params,
    };
    // Set one by one, not spread from temporary objects: every layer of the file is made here.
    if (argsSpan) layer.argsSpan = argsSpan;
    if (spec.activation) layer.activation = spec.activation;
    if (facts.rate !== undefined) layer.rate = facts.rate;
    if (facts.innerDropout !== undefined) layer.innerDropout = facts.innerDropout;
    if (facts.kernelSize !== undefined) layer.kernelSize = facts.kernelSize;
    if (facts.init) layer.init = facts.init;
    if (facts.biasInit) layer.biasInit = facts.biasInit;
    if (repeat !== 1) layer.repeat = repeat === 0 ? null : repeat;
    this.layers.push(layer);
    return layer;
  }

  unknownLayer(node: SyntaxNode, name: string, ref: string | undefined, scope: MapScope, repeat = 1, parsed?: CallArgs): Layer {
    const callee = node.name === 'CallExpression' ? node.firstChild! : node;
    const args = node.name === 'CallExpression' ? this.args(node, scope, parsed) : [];
    const argsSpan = node.name === 'CallExpression' ? this.argsSpan(node) : undefined;
    const layer: Layer = {
      index: this.layers.length,
      kind: 'unknown',
      ctor: this.ctx.source.of(callee),
      name,
      span: spanOf(node),
      calleeSpan: spanOf(callee),
      args,
      ...(argsSpan ? { argsSpan } : {}),
      in: null,
      out: null,
      bias: null,
      params: null,
      ...(ref ? { ref } : {}),
      ...(repeat !== 1 ? { repeat: repeat === 0 ? null : repeat } : {}),
    };
    this.layers.push(layer);
    return layer;
  }

  /** How a tensor expression is created: `torch.randn(d, d) * 0.02`, `torch.empty(n)`, `torch.zeros(...)`. */
  tensorCreation(tensor: SyntaxNode | undefined, scope: MapScope): Pick<CustomParameter, 'creator' | 'scaled' | 'shape'> {
    const { source, names } = this.ctx;
    let scaled = false;
    let node = tensor;
    // `torch.randn(d, d) * 0.02`, `1e-5 * torch.ones(d)` (layer scale) and `torch.randn(d) / math.sqrt(d)` scale the
    // draw.
    while (node && (node.name === 'BinaryExpression' || node.name === 'ParenthesizedExpression')) {
      if (node.name === 'BinaryExpression') {
        const [left, operatorNode, right] = childrenOf(node);
        const operator = operatorNode ? source.of(operatorNode) : '';
        if (operator === '*' || operator === '/') scaled = true;
        node = operator === '*' && left && right && !TENSOR_EXPRESSIONS.has(left.name) ? right : left;
      } else node = meaningfulChildren(node)[0];
    }
    if (node?.name !== 'CallExpression') return { creator: 'other', scaled, shape: null };
    // Methods on the created tensor: `torch.randn(o, i).div_(lr_mul)` scales it, `.normal_(0, 0.02)` fills it.
    let filled = false;
    while (node.firstChild?.name === 'MemberExpression' && node.firstChild.firstChild?.name === 'CallExpression') {
      const method = memberProperty(source, node.firstChild) ?? '';
      if (SCALING_METHODS.has(method)) scaled = true;
      else if (FILLING_METHODS.has(method)) filled = true;
      else if (!KEEPING_METHODS.has(method)) return { creator: 'other', scaled, shape: null };
      node = node.firstChild.firstChild;
    }
    const made = lastSegment(names.qualifiedOf(node.firstChild) ?? '');
    const creator = TENSOR_CREATORS[made];
    // `torch.tensor(0.07)` (a temperature), `torch.eye(16)`: values given, so no draw to judge, but a known size.
    if (made === 'tensor' || made === 'eye') return { creator: 'other', scaled, shape: this.givenShape(made, callArgs(source, node).positional, scope) };
    if (!creator) return { creator: 'other', scaled, shape: null };
    // `torch.full(size, value)` takes the size first; the others take it as one tuple or as separate sizes.
    const positional = callArgs(source, node).positional;
    const dims = (creator === 'full' ? positional.slice(0, 1) : positional).map((arg) => this.ctx.evaluate(arg, scope));
    const flat = dims.length === 1 && Array.isArray(dims[0]) ? (dims[0] as ConstValue[]) : dims;
    return { creator: filled ? 'other' : creator, scaled, shape: flat.map((dim) => (typeof dim === 'number' && Number.isInteger(dim) && dim >= 0 ? dim : null)) };
  }

  /** The shape of `torch.tensor(data)` (nested lists of numbers, or a number) or of `torch.eye(n[, m])`. */
  private givenShape(made: string, positional: readonly SyntaxNode[], scope: MapScope): (number | null)[] | null {
    const values = positional.map((arg) => this.ctx.evaluate(arg, scope));
    if (made === 'eye') {
      const [rows, columns = rows] = values;
      return typeof rows === 'number' && typeof columns === 'number' ? [rows, columns] : null;
    }
    const shape: number[] = [];
    for (let data = values[0]; ; data = data[0]!) {
      if (typeof data === 'number') return shape;
      if (!Array.isArray(data) || data.length === 0) return null;
      shape.push(data.length);
    }
  }

  customParameter(call: SyntaxNode, name: string, scope: MapScope): CustomParameter {
    const args = callArgs(this.ctx.source, call);
    const { creator, scaled, shape } = this.tensorCreation(args.positional[0], scope);
    const parameter: CustomParameter = { name, span: spanOf(call), creator, scaled, initialized: creator !== 'empty', usedAsWeight: null, shape };
    this.parameters.push(parameter);
    const trainable = args.keywords.get('requires_grad')?.value ?? args.positional[1];
    if (trainable && this.ctx.evaluate(trainable, scope) === false) parameter.frozen = true;
    return parameter;
  }
}

/** Sets the inits of the layers whose constructor one of the type-based inits names, and of the class's parameters. */
export function applyTypedInits(targets: InitTargets, inits: readonly TypedInit[]): void {
  for (const typed of inits) {
    const part = typed.part;
    if (typeof part !== 'object' || !typed.types.has(targets.name)) continue;
    for (const parameter of targets.parameters) {
      if (parameter.name !== part.parameter) continue;
      parameter.initialized = true;
      parameter.init = typed.info;
    }
  }
  // Layers outside the loop over inits: each layer's class name is cut from its constructor once, and the inits
  // still reach each layer in their order, so the last one that matches wins.
  const layerInits = inits.filter((typed) => typeof typed.part !== 'object');
  if (layerInits.length === 0) return;
  for (const layer of targets.layers) {
    const className = lastSegment(layer.ctor);
    for (const typed of layerInits) {
      if (!typed.types.has(className)) continue;
      if (typed.part === 'weight') layer.init = typed.info;
      else if (layer.bias !== false) layer.biasInit = typed.info;
    }
  }
}

/** The calls written as statements anywhere in a body, where init calls are. */
function statementCalls(body: SyntaxNode): SyntaxNode[] {
  const calls: SyntaxNode[] = [];
  const cursor = body.cursor();
  // A cursor goes on past the node it starts at: the body's end bounds the walk.
  do {
    const call = cursor.name === 'ExpressionStatement' ? cursor.node.firstChild : null;
    if (call?.name === 'CallExpression') calls.push(call);
  } while (cursor.next() && cursor.from < body.to);
  return calls;
}

/** Every layer an entry holds, in order. */
function layersOf(entry: Entry): Layer[] {
  switch (entry.type) {
    case 'layer':
      return [entry.layer];
    case 'sequential':
    case 'list':
      return entry.items.flatMap(layersOf);
    case 'dict':
      return [...entry.items.values()].flatMap(layersOf);
    default:
      return [];
  }
}

/** A custom parameter read as it is, or transposed: `shape` is the shape it has where it is used. */
interface ParamValue {
  t: 'param';
  param: CustomParameter;
  shape: (number | null)[] | null;
}

type Value = FlowValue<FlowTensor, Entry, ParamValue>;

const UNKNOWN_VALUE: Value = { t: 'unknown' };

/** `w.T` reverses every axis. */
function reversedParam(value: ParamValue): ParamValue {
  return value.shape ? { ...value, shape: [...value.shape].reverse() } : value;
}

/** `w.t()`, `w.mT`, `w.transpose(a, b)`: two axes (negative from the end) swapped; an unknown axis loses the shape. */
function swappedParam(value: ParamValue, a: ConstValue, b: ConstValue): ParamValue {
  const shape = value.shape;
  if (!shape || shape.length < 2) return value;
  const at = (axis: ConstValue) => (typeof axis === 'number' && Number.isInteger(axis) ? (axis < 0 ? shape.length + axis : axis) : -1);
  const [i, j] = [at(a), at(b)];
  if (i < 0 || j < 0 || i >= shape.length || j >= shape.length) return { ...value, shape: null };
  const swapped = [...shape];
  [swapped[i], swapped[j]] = [shape[j]!, shape[i]!];
  return { ...value, shape: swapped };
}

/** The size of an axis (negative from the end) when the shape shows it. */
function axisSize(shape: (number | null)[] | null, axis: number): number | null {
  const size = shape?.[axis < 0 ? shape.length + axis : axis];
  return typeof size === 'number' ? size : null;
}

/** The fan-in of a weight in a matrix product: the axis the product sums over, by the side the weight is on. */
function matmulFanIn(weight: ParamValue, side: 'left' | 'right'): number | null {
  const rank = weight.shape?.length ?? 0;
  return axisSize(weight.shape, side === 'right' && rank >= 2 ? -2 : -1);
}

/** The product of sizes, null when one is unknown. */
function sizeProduct(sizes: (number | null)[]): number | null {
  return sizes.every((size): size is number => size !== null) ? sizes.reduce((a, b) => a * b, 1) : null;
}

/**
 * The fan-in of an einsum operand: the product of the axes the equation sums over. Undefined when it sums over none
 * of them (a broadcast scale, not a weight) or when its axes cannot be told apart (`...`).
 */
function einsumFanIn(equation: string, operand: number, shape: (number | null)[] | null): number | null | undefined {
  const [inputs = '', explicit] = equation.replace(/\s+/g, '').split('->');
  const terms = inputs.split(',');
  const term = terms[operand];
  if (term === undefined || !/^[a-zA-Z]*$/.test(term)) return undefined;
  // Without `->` the output keeps the letters written once.
  const letters = terms.join('');
  const output = explicit ?? [...letters].filter((letter) => letters.indexOf(letter) === letters.lastIndexOf(letter)).join('');
  const summed = [...term].flatMap((letter, axis) => (output.includes(letter) ? [] : [axis]));
  if (summed.length === 0) return undefined;
  return shape && shape.length === term.length ? sizeProduct(summed.map((axis) => axisSize(shape, axis))) : null;
}

/** The recurrent layers and attention modules whose call gives a tuple: the output, then states or weights. */
function returnsTuple(layer: Layer): boolean {
  return layer.kind === 'rnn' || layer.kind === 'lstm' || layer.kind === 'gru' || isLastSegment(layer.ctor, 'MultiheadAttention');
}

/** Layers whose `out` is the size of their output's last axis, the features the next layer reads. */
const FEATURES_LAST: ReadonlySet<Layer['kind']> = new Set(['linear', 'embedding', 'rnn', 'lstm', 'gru', 'attention']);

/** What the return statements of a helper function being read give, for the attribute `name` it builds. */
interface HelperReturn {
  name: string;
  entry: Entry | undefined;
  returns: number;
  uncertain: boolean;
}

/** Builds one nn.Module subclass into a Model. */
export class TorchClassBuilder extends FlowInterpreter<FlowTensor, Entry, ParamValue> {
  readonly factory: LayerFactory;
  private readonly attrs = new Map<string, Entry>();
  private readonly typedInits: TypedInit[] = [];
  private readonly initSpans: Span[] = [];
  /** The constants `__init__` sees, or those of a helper function while one is read (see helperEntry). */
  private scope: MapScope;
  /** The helper function being read, and what its return statements give. */
  private helperReturn: HelperReturn | undefined;
  private readonly visitedMethods = new Set<string>();
  /** Attributes `__init__` set from values that are no layer the IR reads, by name, with the value. */
  private readonly unresolvedAttributes = new Map<string, SyntaxNode>();
  /** The children an `nn.Sequential` subclass gives `super().__init__`, which its forward applies in order. */
  private sequentialBody: (Entry & { type: 'sequential' }) | undefined;
  /** Modules assigned in `__init__` and then replaced or deleted: no longer the model's, unless held elsewhere too. */
  private readonly replaced: Entry[] = [];
  /**
   * Custom parameters forward() uses as weights, by the node of the product they are in (a product scaled right
   * after is dropped), and those it reads rows of, as an embedding table.
   */
  private readonly weightUses = { products: new Map<number, { param: CustomParameter; fanIn: number | null }[]>(), lookups: new Set<CustomParameter>() };

  /**
   * `constructorArguments`: by parameter name, for a submodule built otherwise than with the defaults. Only such a
   * model's size is read (see resolveParameterCounts), so its data flow is left out.
   */
  constructor(
    ctx: FileContext,
    private readonly info: ClassInfo,
    private readonly constructorArguments?: ReadonlyMap<string, ConstValue>,
  ) {
    super(ctx);
    this.factory = new LayerFactory(ctx);
    this.factory.attribute = (path) => this.resolvePath(path) ?? this.classAttribute(path);
    this.factory.helper = (call, fn, name, scope, repeat) => this.helperEntry(call, fn, name, scope, repeat);
    this.factory.method = (call, methodName, name, scope, repeat) => this.methodEntry(call, methodName, name, scope, repeat);
    this.factory.classesRead = this.classesRead;
    this.scope = ctx.scope();
  }

  build(): Model {
    // Calls of the file's functions are evaluated during the build, and the model depends on what they read.
    const outer = this.ctx.functionReads;
    this.ctx.functionReads = this.factory.functionsRead;
    try {
      return this.buildModel();
    } finally {
      this.ctx.functionReads = outer;
    }
  }

  private buildModel(): Model {
    const init = this.info.methods.get('__init__');
    // Without an `__init__` of its own the class builds what its base of this file builds.
    const inheritedBase = init ? undefined : this.layeredBases()[0];
    if (inheritedBase) this.inheritedLayer(inheritedBase, childNamed(this.info.node, 'ArgList') ?? this.info.node, undefined);
    // Class constants (`expansion = 4`), the bases' first, as `self.expansion` reads them.
    for (const owner of [...this.info.bases.filter((base) => base !== this.info.name).reverse(), this.info.name]) {
      for (const attribute of this.ctx.classConstants.get(owner) ?? []) this.scope.set(`self.${attribute}`, this.ctx.moduleScope.lookup(`${owner}.${attribute}`)!);
    }
    if (init) {
      this.bindParams(init, this.scope, true, this.factory.layerClassDefaults);
      for (const [name, value] of this.constructorArguments ?? []) {
        const layerClass = passedLayerClass(value);
        this.scope.set(name, layerClass === undefined ? value : UNKNOWN);
        if (layerClass === undefined) this.factory.layerClassDefaults.delete(name);
        else this.factory.layerClassDefaults.set(name, layerClass);
      }
      const body = bodyOf(init);
      if (body) this.walkInit(statementsOf(body), new Map(), 1, 0);
    }
    // Only the size of a class read again with other arguments is used: its forward() is not followed.
    if (this.constructorArguments) this.attributesCalledInMethods();
    else this.buildFlow();
    this.settleContainedInits();
    const nameNode = childNamed(this.info.node, 'VariableName')!;
    // Layers are listed in data-flow order, and each Layer.index is its position in that list.
    const layers = this.orderedLayers();
    const position = new Map(layers.map((layer, index) => [layer.index, index]));
    for (const node of this.flow) if (node.layer !== undefined) node.layer = position.get(node.layer)!;
    layers.forEach((layer, index) => {
      layer.index = index;
    });
    return {
      name: this.info.name,
      framework: 'pytorch',
      span: spanOf(this.info.node),
      nameSpan: spanOf(nameNode),
      layers,
      flow: this.flow,
      flowKnown: this.flowKnown,
      inputShape: inputShapeOf(layers),
      parameterCount: null,
      initSpans: this.initSpans,
      parameters: this.heldParameters(),
      ...this.insertion(init),
    };
  }

  private get initTargets(): InitTargets {
    return { name: this.info.name, layers: this.factory.layers, parameters: this.factory.parameters };
  }

  /** Type-based inits found in this class, so a parent's `apply` can reach its submodules. */
  get typeInits(): readonly TypedInit[] {
    return this.typedInits;
  }

  /** How many modules were added under names built at run time, which are numbered to keep them apart. */
  private dynamicNames = 0;

  /** Base classes of this file whose methods the build read: the model depends on their text too. */
  readonly classesRead = new Set<string>();

  /**
   * A method of the class, or one it inherits from a base class of this file: Hugging Face's `post_init()` and
   * `_init_weights` live in the pretrained base.
   */
  private method(name: string): SyntaxNode | undefined {
    const seen = new Set<string>([this.info.name]);
    const visit = (info: ClassInfo): SyntaxNode | undefined => {
      const own = info.methods.get(name);
      if (own) return own;
      for (const base of info.bases) {
        const local = this.ctx.classes.get(base);
        if (!local || seen.has(base)) continue;
        seen.add(base);
        this.classesRead.add(base);
        const found = visit(local);
        if (found) return found;
      }
      return undefined;
    };
    return visit(this.info);
  }

  /**
   * Parameters a ParameterList or ParameterDict holds are often initialised through it (`for w in self.experts:
   * nn.init.kaiming_uniform_(w)`, `self.experts[i]`), which the init reader does not follow. Those of a container
   * the class reads again outside forward are taken as initialised: DL105 reports only what it is sure of.
   */
  private settleContainedInits(): void {
    if (this.factory.containedParameters.size === 0) return;
    const start = this.info.node.from;
    const text = this.ctx.source.of(this.info.node);
    const forward = this.info.methods.get('forward');
    const outside = forward ? text.slice(0, forward.from - start) + text.slice(forward.to - start) : text;
    for (const [name, parameters] of this.factory.containedParameters) {
      if (parameters.every((parameter) => parameter.initialized)) continue;
      const mentions = outside.match(new RegExp(`(?<![\\w.])self\\.${name.replace(/[.[\]]/g, '\\$&')}(?!\\w)`, 'g'))?.length ?? 0;
      // One mention is the assignment that builds it.
      if (mentions > 1) for (const parameter of parameters) parameter.initialized = true;
    }
  }

  /** Modules held by the class itself (`default_act = nn.SiLU()` in YOLOv5's Conv), read once each: they are shared. */
  private readonly classModules = new Map<string, Entry | undefined>();

  /** A module a class body of this class or its bases of this file assigns to `name`, as `self.name` reads it. */
  private classAttribute(name: string): Entry | undefined {
    if (name.includes('.') || name.includes('[')) return undefined;
    if (this.classModules.has(name)) return this.classModules.get(name);
    let entry: Entry | undefined;
    for (const owner of [this.info.name, ...this.info.bases]) {
      const body = this.ctx.classes.get(owner) ? bodyOf(this.ctx.classes.get(owner)!.node) : null;
      const value = body ? classLevelValue(this.ctx.source, body, name) : undefined;
      if (!value) continue;
      if (this.factory.constructsTorchModule(value)) entry = this.factory.entry(value, name, this.scope, new Map(), 1);
      break;
    }
    this.classModules.set(name, entry);
    return entry;
  }

  /** Base classes of this file that are modules with an `__init__` of their own: they may build layers. */
  private layeredBases(): string[] {
    return this.info.bases.filter((base) => base !== this.info.name && isTorchModelClass(this.ctx, base) && this.ctx.classes.get(base)?.methods.has('__init__'));
  }

  /** What a base class of this file builds, as one layer of that class: its size is read from the class (see resolveParameterCounts). */
  private inheritedLayer(base: string, node: SyntaxNode, parsed: CallArgs | undefined): void {
    this.factory.unknownLayer(node, base, base, this.scope, 1, parsed);
  }

  /** The top-level functions the build looked up, defined or not. */
  get functionsRead(): ReadonlySet<string> {
    return this.factory.functionsRead;
  }

  private bindParams(fn: SyntaxNode, scope: MapScope, isMethod: boolean, classDefaults?: Map<string, string>): string[] {
    const names: string[] = [];
    for (const { name, defaultValue } of parameterList(this.ctx.source, childNamed(fn, 'ParamList'))) {
      names.push(name);
      scope.set(name, defaultValue ? this.ctx.evaluate(defaultValue, this.ctx.moduleScope) : UNKNOWN);
      const layerClass = classDefaults && defaultValue ? layerClassNamed(this.ctx, defaultValue) : undefined;
      if (layerClass) classDefaults!.set(name, layerClass);
    }
    return isMethod ? names.slice(1) : names;
  }

  /**
   * The weight reparametrization an expression names: `weight_norm`, or one of two chosen by a test the constants
   * settle. Two that count alike either way are that count; otherwise which one is not known.
   */
  private reparametrizationOf(node: SyntaxNode): string | undefined {
    if (node.name === 'ParenthesizedExpression') {
      const inner = meaningfulChildren(node)[0];
      return inner ? this.reparametrizationOf(inner) : undefined;
    }
    if (node.name === 'VariableName' || node.name === 'MemberExpression') {
      const qualified = this.ctx.names.qualifiedOf(node);
      return qualified !== undefined && REPARAMETRIZATIONS[qualified] ? qualified : undefined;
    }
    if (node.name !== 'ConditionalExpression') return undefined;
    const { taken, test, otherwise } = conditionalParts(node);
    if (!taken || !test || !otherwise) return undefined;
    const settled = truthy(this.ctx.evaluate(test, this.scope));
    if (settled !== undefined) return this.reparametrizationOf(settled ? taken : otherwise);
    const [first, second] = [this.reparametrizationOf(taken), this.reparametrizationOf(otherwise)];
    if (first === undefined || second === undefined) return undefined;
    const [firstSize, secondSize] = [REPARAMETRIZATIONS[first]?.size, REPARAMETRIZATIONS[second]?.size];
    // A nested choice not settled either is unsettled (its entry has no size).
    return firstSize !== undefined && firstSize === secondSize ? first : UNSETTLED_REPARAMETRIZATION;
  }

  // ---- __init__ ----

  /** `self.<path>` of each expression read so far, by its range: the path depends on the text alone. */
  private readonly selfPaths = new Map<number, string | null>();

  private selfPath(node: SyntaxNode | null | undefined): string | undefined {
    if (!node) return undefined;
    // Most expressions do not start with `self`: a first character that is ASCII, not `s` and not whitespace
    // tells so without slicing the text and running the regex.
    const first = this.ctx.text.charCodeAt(node.from);
    if (first !== 115 && first > 32 && first < 128) return undefined;
    const length = node.to - node.from;
    const key = length < RANGE_KEY_LENGTH ? node.from * RANGE_KEY_LENGTH + length : -1;
    const known = key >= 0 ? this.selfPaths.get(key) : undefined;
    if (known !== undefined) return known ?? undefined;
    const match = /^self\.([\w.[\]'"-]+)$/.exec(this.ctx.source.of(node).replace(/\s+/g, ''));
    const path = match ? (match[1]!.includes('[') ? match[1]!.replace(/\[(-?\d+)\]/g, '.$1').replace(/\[['"](\w+)['"]\]/g, '.$1') : match[1]!) : undefined;
    if (key >= 0) this.selfPaths.set(key, path ?? null);
    return path;
  }

  private walkInit(statements: SyntaxNode[], locals: Map<string, Entry>, repeat: number, depth: number): void {
    if (depth > 8) return;
    const { source } = this.ctx;
    for (const statement of statements) {
      switch (statement.name) {
        case 'AssignStatement': {
          const parts = assignmentParts(statement);
          if (!parts || !parts.value) break;
          for (const { target, value, constant } of this.unpacked(parts.targets, parts.value)) {
            const path = this.selfPath(target);
            const evaluated = () => (repeat === 1 ? (value ? this.ctx.evaluate(value, this.scope) : constant) : UNKNOWN);
            if (path !== undefined && !path.includes('.')) {
              const entry = value ? this.factory.entry(value, path, this.scope, locals, repeat) : undefined;
              // `self.fc = nn.Linear(64, num_classes)` again: PyTorch keeps only the module assigned last.
              if (this.attrs.get(path) !== entry) this.dropAttribute(path);
              if (entry) {
                if (entry.type === 'param') entry.param.name = path;
                this.attrs.set(path, entry);
              } else if (value) {
                this.unresolvedAttributes.set(path, value);
              }
              this.scope.set(`self.${path}`, evaluated());
              if (value) this.readParameterInit(value, path);
            } else if (path !== undefined && path.endsWith('.requires_grad')) {
              // `self.embed.weight.requires_grad = False`: a tensor no gradient trains.
              if (value && this.ctx.evaluate(value, this.scope) === false) this.freeze(path.slice(0, -'.requires_grad'.length));
            } else if (path !== undefined) {
              // `self.fc.weight = nn.Parameter(...)` or `self.fc.weight.data = ...` replace a layer's weights;
              // `self.classifier[-1] = nn.Linear(...)` or `self.backbone.head = ...` a module inside another.
              if (value && /\.(weight|bias)(\.data)?$/.test(path)) this.assignedWeight(path, value, locals);
              else if (value) this.assignedInside(path, value, locals, repeat);
            } else if (target.name === 'VariableName') {
              const name = source.of(target);
              const entry = value ? this.factory.entry(value, name, this.scope, locals, repeat) : undefined;
              const layerClass = entry || !value ? undefined : (layerClassNamed(this.ctx, value) ?? this.reparametrizationOf(value));
              if (layerClass) this.factory.layerClassDefaults.set(name, layerClass);
              if (entry) locals.set(name, entry);
              else if (value && this.holdsModules(value)) {
                // `layers = [nn.Linear(4, 16)]`, later appended to and handed to ModuleList or Sequential.
                locals.set(name, this.factory.listOf(value, name, this.scope, locals, repeat));
              } else if (value?.name === 'ArrayExpression' && meaningfulChildren(value).length === 0) {
                locals.set(name, { type: 'list', items: [], known: true });
              }
              this.scope.set(name, evaluated());
            }
          }
          break;
        }
        case 'UpdateStatement': {
          // `channels *= 2` changes what the layers after it are built with; in a loop walked once, to unknown.
          const update = updatedConstant(source, statement, this.scope);
          if (update) this.scope.set(update.name, repeat === 1 ? update.value : UNKNOWN);
          // `layers += [nn.Linear(...), nn.ReLU()]`
          const parts = assignmentParts(statement);
          const target = parts?.targets[0];
          if (!parts?.value || !target || target.name !== 'VariableName') break;
          const list = locals.get(source.of(target));
          if (list?.type === 'list') this.addToList(list, parts.value, true, source.of(target), locals, repeat, source.of(target));
          break;
        }
        case 'ExpressionStatement': {
          const call = statement.firstChild;
          if (call?.name === 'CallExpression') this.initCall(call, locals, repeat, depth);
          break;
        }
        case 'DeleteStatement':
          // `del self.fc` (a backbone's classifier, dropped): the module is no longer the model's.
          for (const target of meaningfulChildren(statement)) {
            const path = this.selfPath(target);
            if (path !== undefined && !path.includes('.')) this.dropAttribute(path);
          }
          break;
        case 'ForStatement': {
          const { variable, iterable, body, targets } = forParts(source, statement);
          if (!body) break;
          const iterated = iterable && iterable.name === 'CallExpression' ? this.ctx.source.dotted(iterable.firstChild) : undefined;
          if (variable && iterated && /^self\.(modules|children|named_modules|named_children)$/.test(iterated)) {
            const before = this.typedInits.length;
            this.typedInitBody(statementsOf(body), variable, undefined);
            // Applied now, in source order, so a later direct init call still wins.
            applyTypedInits(this.initTargets, this.typedInits.slice(before));
            break;
          }
          if (variable && iterated && /^self\.(named_)?parameters$/.test(iterated)) {
            this.parameterLoopInits(body, variable);
            this.parameterLoopFreezes(body, variable, '');
            break;
          }
          const frozenModule = variable && iterated ? /^self\.(.+)\.(?:named_)?parameters$/.exec(iterated)?.[1] : undefined;
          if (frozenModule !== undefined) {
            // `for p in self.backbone.parameters(): p.requires_grad = False`.
            this.parameterLoopFreezes(body, variable!, frozenModule);
            break;
          }
          const iteratedPath = this.selfPath(iterable);
          const iteratedEntry = iteratedPath !== undefined ? this.resolvePath(iteratedPath) : undefined;
          if (variable && iteratedEntry && (iteratedEntry.type === 'list' || iteratedEntry.type === 'sequential')) {
            // `for layer in self.layers: nn.init.kaiming_normal_(layer.weight)` initialises every member.
            this.loopVariableInits(body, variable, layersOf(iteratedEntry));
            break;
          }
          const listed = iterable && (iterable.name === 'ArrayExpression' || iterable.name === 'TupleExpression') ? meaningfulChildren(iterable).map((item) => this.selfPath(item)) : [];
          if (variable && listed.length > 0 && listed.every((path) => path !== undefined)) {
            // `for m in [self.conv1, self.conv2]: nn.init.kaiming_normal_(m.weight)` (ESRGAN) initialises each one.
            const entries = listed.map((path) => this.resolvePath(path!));
            if (entries.every((entry) => entry !== undefined)) {
              const layers = entries.flatMap((entry) => layersOf(entry!));
              this.listedLoopInits(body, variable, listed as string[]);
              // `m.weight.data *= 0.1` after the init (ESRGAN) scales it by a factor not followed here.
              if (new RegExp(`\\b${variable}\\.weight(\\.data)?\\s*(\\*=|/=|\\.mul_\\(|\\.div_\\()`).test(source.of(body))) {
                for (const layer of layers) if (layer.init?.source === 'explicit') layer.init = { ...layer.init, name: `${layer.init.name}, then scaled`, dist: { family: 'unknown' } };
              }
              break;
            }
          }
          const count = loopCount(source, iterable, this.scope);
          // `for _ in range(1, blocks)` with one block: the body does not run (an `else:` would, so it is walked as before).
          if (count === 0 && !childrenOf(statement).some((child) => child.name === 'else')) break;
          if (count !== null && count >= 1 && count <= MAX_UNROLLED && (this.carriesState(body, locals) || readsTargets(source, body, targets))) {
            // `filters = out_filters` at the end of the body, `nn.Conv2d(c, c, 3)` for each c: each iteration builds
            // with other sizes, so each is walked; a single one too, with its value of the target (HRNet's
            // `for k in range(i - j)`).
            const values = loopValues(source, iterable, this.scope)!;
            for (let iteration = 0; iteration < count; iteration++) {
              bindTargets(source, this.scope, targets, values[iteration]!);
              this.walkInit(statementsOf(body), locals, repeat, depth + 1);
            }
            break;
          }
          const lists = new Map<Entry, number>();
          for (const entry of [...locals.values(), ...this.attrs.values()]) if (entry.type === 'list') lists.set(entry, entry.items.length);
          this.walkInit(statementsOf(body), locals, count === null ? 0 : repeat * count, depth + 1);
          if (count !== null && count > 1 && count <= MAX_UNROLLED) unrollAdded(lists, count, repeat);
          break;
        }
        case 'IfStatement':
          this.walkBranches(statement, locals, repeat, depth);
          break;
        case 'WithStatement':
        case 'TryStatement':
          for (const body of statement.getChildren('Body')) this.walkInit(statementsOf(body), locals, repeat, depth + 1);
          break;
        case 'WhileStatement':
          // How often a while loop runs is not known: what it builds is there an unknown number of times.
          for (const body of statement.getChildren('Body')) this.walkInit(statementsOf(body), locals, 0, depth + 1);
          break;
        case 'ReturnStatement': {
          const frame = this.helperReturn;
          if (!frame) break;
          const value = meaningfulChildren(statement).find((child) => child.name !== 'return');
          frame.returns++;
          // A return in a loop or a branch may not be the one that runs.
          if (depth > 0) frame.uncertain = true;
          // `return layers`, `return nn.Sequential(*layers)`, or a list built where it is returned.
          const listed = value && (value.name === 'ArrayExpression' || value.name === 'TupleExpression' || value.name === 'ArrayComprehensionExpression');
          frame.entry = !value ? undefined : listed ? this.factory.listOf(value, frame.name, this.scope, locals, repeat) : this.factory.entry(value, frame.name, this.scope, locals, repeat);
          return;
        }
        default:
          break;
      }
    }
  }

  /**
   * What a call of a function of the file returns, read by walking its body as `__init__` is walked, in a scope of
   * the call's arguments. A helper that returns in several places, or in a loop or a branch, or returns what the IR
   * cannot read, gives one layer of unknown size in place of the modules it built; one that builds no module, no entry.
   */
  private helperEntry(call: SyntaxNode, fn: SyntaxNode, name: string, caller: MapScope, repeat: number, isMethod = false): Entry | undefined {
    const body = bodyOf(fn);
    if (!body) return undefined;
    const { layers, parameters } = this.factory;
    const before = { layers: layers.length, parameters: parameters.length };
    const outer = { scope: this.scope, frame: this.helperReturn };
    const frame: HelperReturn = { name, entry: undefined, returns: 0, uncertain: false };
    const { scope } = this.ctx.bindArguments(childNamed(fn, 'ParamList'), callArgs(this.ctx.source, call), caller, isMethod ? { parent: this.scope } : undefined);
    this.scope = scope;
    this.helperReturn = frame;
    try {
      this.walkInit(statementsOf(body), new Map(), repeat, 0);
    } finally {
      this.scope = outer.scope;
      this.helperReturn = outer.frame;
    }
    // What a method sets on `self` (ResNet's `self.inplanes = planes * block.expansion`) the next call reads.
    if (isMethod) for (const [key, value] of scope.values) if (key.startsWith('self.')) outer.scope.set(key, value);
    const returned = frame.entry;
    if (returned && frame.returns === 1 && !frame.uncertain) {
      // Named as the attribute that holds them, not as the helper's locals: `trunk.0`, not `layers.0`.
      for (const layer of layersOf(returned)) layer.name = layer.name === undefined ? name : name + layer.name.replace(/^[^.[]*/, '');
      if (returned.type === 'param') returned.param.name = name;
      return returned;
    }
    if (!returned && layers.length === before.layers && parameters.length === before.parameters) return undefined;
    layers.length = before.layers;
    parameters.length = before.parameters;
    return { type: 'layer', layer: this.factory.unknownLayer(call, name, undefined, caller, repeat) };
  }

  /** What the init calls of a loop's body write, each target as text (see writtenText); the calls are init spans. */
  private loopInitWrites(body: SyntaxNode): { target: string; info: InitInfo }[] {
    const found: { target: string; info: InitInfo }[] = [];
    for (const call of statementCalls(body)) {
      const writes = this.factory.initWrites(call, this.scope);
      if (!writes) continue;
      this.initSpans.push(spanOf(call));
      for (const write of writes) found.push({ target: this.writtenText(write), info: write.info });
    }
    return found;
  }

  /** What `self._make_layer(64, 3)` returns: the method of the class (or a base of the file), read as a helper is. */
  private methodEntry(call: SyntaxNode, methodName: string, name: string, caller: MapScope, repeat: number): Entry | undefined {
    const fn = this.method(methodName);
    return fn ? this.helperEntry(call, fn, name, caller, repeat, true) : undefined;
  }

  private loopVariableInits(body: SyntaxNode, variable: string, layers: Layer[]): void {
    for (const { target, info } of this.loopInitWrites(body)) {
      for (const layer of layers) {
        if (target === `${variable}.weight`) layer.init = info;
        else if (target === `${variable}.bias`) layer.biasInit = info;
      }
    }
  }

  /**
   * `for w in (self.w_dep, self.w_head): nn.init.xavier_uniform_(w)`: what the loop variable's init writes (the
   * tensor itself, or a module's weight or bias) it writes for each module or parameter listed.
   */
  private listedLoopInits(body: SyntaxNode, variable: string, paths: readonly string[]): void {
    for (const { target, info } of this.loopInitWrites(body)) {
      if (target !== variable && !target.startsWith(`${variable}.`)) continue;
      for (const path of paths) this.applyDirectInit(path + target.slice(variable.length), info);
    }
  }

  /**
   * `for p in self.backbone.parameters(): p.requires_grad = False` freezes every parameter of `self.<path>` (of the
   * whole model so far for the empty path). Freezing under a branch of the body (`if "bn" in name:`) leaves some of
   * them trainable, which ones is not known.
   */
  private parameterLoopFreezes(body: SyntaxNode, variable: string, path: string): void {
    const text = this.ctx.source.of(body);
    const freezing = new RegExp(`(?<![\\w.])${variable}\\.(requires_grad\\s*=\\s*False|requires_grad_\\(\\s*False\\s*\\))`);
    if (!freezing.test(text)) return;
    const direct = statementsOf(body).some((statement) => statement.name !== 'IfStatement' && freezing.test(this.ctx.source.of(statement)));
    if (direct) {
      this.freeze(path);
      return;
    }
    const held = path === '' ? undefined : this.resolvePath(path);
    for (const layer of path === '' ? this.factory.layers : held ? layersOf(held) : []) layer.params = null;
  }

  /** Parts of a layer already frozen (see freeze), so a second freeze does not take them off twice. */
  private readonly frozenParts = new Map<Layer, Set<'weight' | 'bias' | 'all'>>();

  /**
   * Freezes `self.<path>`: a module, a layer's weight or bias, a custom parameter, or for the empty path everything
   * the model holds so far. Frozen weights are no longer counted as trained ones but as non-trainable, as Keras counts
   * a layer built with `trainable=False`. Inside a submodule of this file, what is frozen is not known here.
   */
  private freeze(path: string): void {
    if (path === '') {
      for (const layer of this.factory.layers) this.freezeLayer(layer, 'all');
      for (const parameter of this.factory.parameters) parameter.frozen = true;
      return;
    }
    const match = /^(.*)\.(weight|bias)$/.exec(path);
    const entry = this.resolvePath(match ? match[1]! : path);
    if (entry?.type === 'param') {
      if (!match) entry.param.frozen = true;
      return;
    }
    if (entry) {
      for (const layer of layersOf(entry)) this.freezeLayer(layer, match ? (match[2] as 'weight' | 'bias') : 'all');
      return;
    }
    const holder = this.holderOf(path);
    if (holder) holder.params = null;
  }

  private freezeLayer(layer: Layer, part: 'weight' | 'bias' | 'all'): void {
    const frozen = this.frozenParts.get(layer) ?? new Set();
    if (frozen.has('all') || frozen.has(part)) return;
    this.frozenParts.set(layer, frozen.add(part));
    if (part === 'all') layer.frozen = true;
    // A submodule of this file is sized later, from its class (see resolveParameterCounts); a part of it, not known.
    if (layer.ref !== undefined && layer.params === null) return;
    const weight = weightSize(layer);
    const size = part === 'all' ? layer.params : part === 'weight' ? weight : minus(layer.params, weight);
    layer.params = minus(layer.params, size);
    layer.nonTrainable = layer.nonTrainable === undefined ? size : layer.nonTrainable === null || size === null ? null : layer.nonTrainable + size;
  }

  /** `for p in self.parameters(): nn.init.xavier_uniform_(p)` writes every parameter the module owns. */
  private parameterLoopInits(body: SyntaxNode, variable: string): void {
    for (const call of statementCalls(body)) {
      const writes = this.factory.initWrites(call, this.scope);
      const write = writes?.find((candidate) => this.writtenText(candidate) === variable);
      if (!write) continue;
      this.initSpans.push(spanOf(call));
      for (const parameter of this.factory.parameters) {
        parameter.initialized = true;
        parameter.init = write.info;
      }
    }
  }

  /** What a write initialises, as text without spaces or `.data`: `m.weight` for `init(m.weight.data)` or `layer_init(m)`. */
  private writtenText(write: InitWrite): string {
    const target = this.ctx.source.of(write.target).replace(/\s+/g, '').replace(/\.data$/, '');
    return write.part ? `${target}.${write.part}` : target;
  }

  /**
   * Whether a loop body sets a plain variable other than a list of modules (`filters = out_filters`, `ch *= 2`): then
   * what one iteration builds depends on the one before.
   */
  private carriesState(body: SyntaxNode, locals: ReadonlyMap<string, Entry>): boolean {
    return assignedNames(this.ctx.source, body).some((name) => locals.get(name)?.type !== 'list');
  }

  /**
   * Walks the branch of an `if` that runs: the first whose condition is known true (`if w_in != w_out or stride !=
   * 1` with the sizes known), skipping those known false. From the first condition that is not known on, each branch
   * may or may not run, so what they build is there an unknown number of times (repeat 0).
   */
  private walkBranches(statement: SyntaxNode, locals: Map<string, Entry>, repeat: number, depth: number): void {
    const items = childrenOf(statement);
    let uncertain = false;
    for (let index = 0; index < items.length; index++) {
      const keyword = items[index]!.name;
      if (keyword !== 'if' && keyword !== 'elif' && keyword !== 'else') continue;
      const body = items.slice(index + 1).find((item) => item.name === 'Body');
      if (!body) continue;
      const test = keyword === 'else' ? true : truthy(this.ctx.evaluate(items[index + 1], this.scope));
      if (test === false && !uncertain) continue;
      if (test === true && !uncertain) {
        this.walkInit(statementsOf(body), locals, repeat, depth + 1);
        return;
      }
      uncertain = true;
      this.walkInit(statementsOf(body), locals, 0, depth + 1);
    }
  }

  /**
   * Each target of an assignment with what it gets: `self.a, self.b = 7, nn.Linear(9, 9)` pairs them in order, and
   * `a, b = sizes` takes the items of a known value. A target without its own expression has only a constant.
   */
  private unpacked(targets: readonly SyntaxNode[], first: SyntaxNode): { target: SyntaxNode; value?: SyntaxNode; constant: ConstValue }[] {
    const values = unpackedValues(targets, first);
    if (values.every((value) => value !== undefined)) return targets.map((target, index) => ({ target, value: values[index]!, constant: UNKNOWN }));
    // `a, b = pair`: a constant pair still gives each its item.
    const whole = first.nextSibling?.name !== ',' ? this.ctx.evaluate(first, this.scope) : UNKNOWN;
    return targets.map((target, index) => ({ target, constant: Array.isArray(whole) && whole.length === targets.length ? whole[index]! : UNKNOWN }));
  }

  /** Whether a list literal or comprehension is made of module constructions (`[nn.Linear(4, 16), Block(8)]`). */
  private holdsModules(value: SyntaxNode): boolean {
    if (value.name !== 'ArrayExpression' && value.name !== 'ArrayComprehensionExpression') return false;
    const items = value.name === 'ArrayExpression' ? meaningfulChildren(value) : meaningfulChildren(value).slice(0, 1);
    return items.length > 0 && items.every((item) => item.name === 'CallExpression' && this.buildsModule(this.ctx.source.dotted(item.firstChild) ?? ''));
  }

  /** Whether a call of this callee makes a module: a module class, or a function of the file that constructs torch.nn modules. */
  private buildsModule(callee: string): boolean {
    if (namesModuleClass(lastSegment(callee))) return true;
    const fn = callee.includes('.') ? undefined : this.factory.topLevelFunction(callee);
    return fn !== undefined && this.ctx.nodesIn(fn).calls.some((call) => this.factory.constructsTorchModule(call));
  }

  private initCall(call: SyntaxNode, locals: Map<string, Entry>, repeat: number, depth: number): void {
    const { source } = this.ctx;
    const callee = call.firstChild;
    const dotted = source.dotted(callee);
    const args = callArgs(source, call);
    if (dotted?.startsWith('self') && dotted.endsWith('.requires_grad_')) {
      // `self.backbone.requires_grad_(False)` freezes what it is called on; `self.requires_grad_(False)` the model so far.
      const flag = args.keywords.get('requires_grad')?.value ?? args.positional[0];
      if (flag && this.ctx.evaluate(flag, this.scope) === false) this.freeze(dotted.slice('self.'.length, -'.requires_grad_'.length));
      return;
    }
    if (dotted === 'self.apply') {
      this.applyFunction(args.positional[0]);
      this.initSpans.push(spanOf(call));
      return;
    }
    // `self.register_parameter("scale", nn.Parameter(...))` is `self.scale = nn.Parameter(...)`.
    if (dotted === 'self.register_parameter' || dotted === 'self.register_buffer') {
      const key = this.ctx.evaluate(args.positional[0], this.scope);
      const value = args.positional[1];
      const entry = dotted === 'self.register_parameter' && typeof key === 'string' && value ? this.factory.entry(value, key, this.scope, locals, repeat) : undefined;
      if (entry?.type === 'param' && typeof key === 'string') {
        entry.param.name = key;
        this.attrs.set(key, entry);
      } else if (dotted === 'self.register_parameter' && value && value.name !== 'None') {
        // A parameter the IR cannot read still has weights: the model's size is unknown.
        this.factory.unknownLayer(value, typeof key === 'string' ? key : source.of(args.positional[0] ?? call), undefined, this.scope, repeat);
      }
      return;
    }
    // `self.add_module(name, m)`, `setattr(self, name, m)`, `self.features.add_module(name, m)` on a container, and
    // `result = nn.Sequential()` then `result.add_module("conv", m)`: a local container filled before it is held.
    const owner = dotted === 'setattr' ? (source.of(args.positional[0] ?? call) === 'self' ? 'self' : undefined) : /^(\w+(?:\.\w+)*)\.(add_module|register_module)$/.exec(dotted ?? '')?.[1];
    const onSelf = owner === 'self' || owner?.startsWith('self.');
    const local = owner !== undefined && !onSelf ? locals.get(owner) : undefined;
    if (onSelf || (local && local.type !== 'layer' && local.type !== 'param')) {
      const [keyNode, moduleNode] = dotted === 'setattr' ? args.positional.slice(1) : args.positional;
      const key = this.ctx.evaluate(keyNode, this.scope);
      const path = owner === 'self' ? undefined : onSelf ? owner!.slice('self.'.length) : owner!;
      const container = path === undefined ? undefined : (local ?? this.resolvePath(path));
      // A name built at run time (`"conv%d" % i`) still adds a module: it gets a name of its own here.
      const name = typeof key === 'string' ? key : `${keyNode ? source.of(keyNode) : '?'}#${this.dynamicNames++}`;
      const built = this.factory.entry(moduleNode, path === undefined ? name : `${path}.${name}`, this.scope, locals, repeat);
      // What a local container is given but cannot be read still holds weights of unknown size: its size is then
      // unknown, not short.
      const entry = built ?? (local ? { type: 'layer' as const, layer: this.factory.unknownLayer(moduleNode ?? call, `${path}.${name}`, undefined, this.scope, repeat) } : undefined);
      if (!entry) return;
      if (owner === 'self') this.attrs.set(name, entry);
      else if (container?.type === 'sequential' || container?.type === 'list') container.items.push(entry);
      else if (container?.type === 'dict') container.items.set(name, entry);
      return;
    }
    // `super().__init__(16)`, `Base.__init__(self, 16)`: the layers a base class of this file builds are this model's too.
    const calleeText = callee ? source.of(callee).replace(/\s+/g, '') : '';
    const bases = /^super\([^)]*\)\.__init__$/.test(calleeText) ? this.layeredBases().slice(0, 1) : this.layeredBases().filter((base) => calleeText === `${base}.__init__`);
    if (bases.length === 1 && calleeText.endsWith('__init__')) {
      const passed = callArgs(source, call);
      // `Base.__init__(self, ...)` passes self first; super() does not.
      const parsed = calleeText.startsWith('super') ? passed : { ...passed, positional: passed.positional.slice(1) };
      this.inheritedLayer(bases[0]!, call, parsed);
      return;
    }
    if (/^super\([^)]*\)\.__init__$/.test(calleeText) && this.isSequentialSubclass) {
      // torchvision's `class ConvBNReLU(nn.Sequential)`: the modules given to super().__init__ are its children,
      // applied in order.
      const passed = callArgs(source, call);
      // `super().__init__()` and then `self.add_module(...)`: the children are those added.
      if (passed.positional.length === 0 && !passed.splat) return;
      // torchvision's Conv2dNormActivation: `super().__init__(*layers)` with a list the code filled.
      const spread = passed.splat && passed.positional.length === 0 && passed.keywords.size === 0 ? this.factory.spreadList(passed, locals) : undefined;
      if (spread) {
        spread.items.forEach((item, index) => {
          for (const layer of layersOf(item)) if (layer.name !== undefined) layer.name = layer.name.replace(/^[^.[]*\.\d+/, String(index));
          this.attrs.set(String(index), item);
        });
        this.sequentialBody = { type: 'sequential', items: spread.items, known: spread.known };
        return;
      }
      const items = passed.positional.map((node, index) => this.factory.member(node, String(index), this.scope, locals, repeat));
      items.forEach((item, index) => this.attrs.set(String(index), item));
      this.sequentialBody = { type: 'sequential', items, known: !passed.splat };
      if (passed.splat) this.factory.unknownLayer(call, 'super().__init__', undefined, this.scope, repeat);
      return;
    }
    if (dotted?.startsWith('self.') && dotted.split('.').length === 2) {
      const method = this.method(dotted.slice(5));
      if (method && !this.visitedMethods.has(dotted)) {
        this.visitedMethods.add(dotted);
        const body = bodyOf(method);
        if (body) this.walkInit(statementsOf(body), locals, repeat, depth + 1);
        return;
      }
    }
    // `self.blocks.append(Block())`, `layers.append(nn.Linear(...))`, `layers.extend([...])`
    if (callee?.name === 'MemberExpression') {
      const method = callee.lastChild ? source.of(callee.lastChild) : '';
      if (method === 'append' || method === 'extend') {
        const owner = callee.firstChild;
        const path = this.selfPath(owner);
        const list = path !== undefined ? this.attrs.get(path) : owner?.name === 'VariableName' ? locals.get(source.of(owner)) : undefined;
        // `layers.extend(Block(d) for _ in range(1, blocks))`: a generator argument gives its items.
        const generator = method === 'extend' && args.list && childrenOf(args.list).some((child) => child.name === 'for') ? args.list : undefined;
        const added = generator ?? args.positional[0];
        if (list && (list.type === 'list' || list.type === 'sequential') && added) {
          this.addToList(list, added, method === 'extend', path ?? 'list', locals, repeat, path !== undefined ? `self.${path}` : source.of(owner!));
          return;
        }
      }
    }
    const writes = this.factory.initWrites(call, this.scope);
    if (!writes) return;
    this.initSpans.push(spanOf(call));
    for (const write of writes) {
      const path = this.selfPath(write.target);
      if (path !== undefined) this.applyDirectInit(write.part ? `${path}.${write.part}` : path, write.info);
      else this.applyLocalInit(this.writtenText(write), write.info, locals);
    }
  }

  /** `conv = nn.Conv2d(...)` then `nn.init.xavier_uniform_(conv.weight)`: the init of the layer a local holds. */
  private applyLocalInit(written: string, info: InitInfo, locals: ReadonlyMap<string, Entry>): void {
    const match = /^(\w+)\.(weight|bias)$/.exec(written);
    const entry = match ? locals.get(match[1]!) : undefined;
    if (entry?.type !== 'layer') return;
    if (match![2] === 'weight') entry.layer.init = info;
    else if (entry.layer.bias !== false) entry.layer.biasInit = info;
  }

  /**
   * `layers.append(m)` adds one module; `layers.extend(ms)` and `layers += ms` add each module of an iterable: a list
   * literal, a comprehension, another list, or what a helper of this file returns. What cannot be read leaves the
   * list's contents unknown rather than short.
   */
  private addToList(
    list: Entry & { type: 'list' | 'sequential' },
    added: SyntaxNode,
    spread: boolean,
    owner: string,
    locals: Map<string, Entry>,
    repeat: number,
    scopeName: string | undefined,
  ): void {
    const name = `${owner}.${list.items.length}`;
    const once = Math.max(repeat, 1);
    const module = !spread || added.name === 'CallExpression' ? this.factory.entry(added, name, this.scope, locals, once) : undefined;
    // `layers += block(8, 16)` with a helper that returns a list adds each of its modules.
    const read = module?.type === 'list' && spread ? module : module ? { items: [module], known: true } : spread ? this.factory.listOf(added, name, this.scope, locals, once) : { items: [], known: false };
    // What could not be read still holds modules of unknown size, so the model's size is unknown too.
    const unread: Entry[] = !read.known && read.items.length === 0 ? [{ type: 'layer', layer: this.factory.unknownLayer(added, name, undefined, this.scope, once) }] : [];
    for (const item of [...read.items, ...unread]) {
      if (repeat !== 1 && item.type === 'layer') item.layer.repeat = repeat === 0 ? null : repeat;
      list.items.push(item);
    }
    if (!read.known || repeat === 0) list.known = false;
    // `if layers:` and `len(self.heads)` after an append see the modules added so far, not the list as first assigned.
    if (scopeName !== undefined) this.scope.set(scopeName, list.known && repeat === 1 ? list.items.map(() => UNKNOWN) : UNKNOWN);
  }

  /**
   * A module assigned into another (`self.classifier[-1] = nn.Linear(256, 10)`, `self.features.pool = ...`): it
   * takes the place of the item of that index or name in a container of this class. Inside a module whose layers the
   * IR reads only later (a class of this file) or not at all, what it replaces is not known, nor then the size.
   */
  private assignedInside(path: string, value: SyntaxNode, locals: Map<string, Entry>, repeat: number): void {
    const cut = path.lastIndexOf('.');
    const owner = this.resolvePath(path.slice(0, cut));
    const key = path.slice(cut + 1);
    const entry = this.factory.entry(value, path, this.scope, locals, repeat);
    if (owner?.type === 'sequential' || owner?.type === 'list') {
      const index = Number(key);
      const at = Number.isInteger(index) ? (index < 0 ? owner.items.length + index : index) : -1;
      if (at >= 0 && at < owner.items.length) {
        this.replaced.push(owner.items[at]!);
        if (entry) owner.items[at] = entry;
        else owner.known = false;
      } else if (entry && !Number.isInteger(index)) owner.items.push(entry);
      else owner.known = false;
      return;
    }
    if (owner?.type === 'dict') {
      const previous = owner.items.get(key);
      if (previous) this.replaced.push(previous);
      if (entry) owner.items.set(key, entry);
      return;
    }
    // A module replaced inside a submodule: how many parameters it takes away is not known here.
    const holder = this.holderOf(path);
    if (holder) holder.sharedParams = null;
  }

  /** An attribute assigned again or deleted: what it held is no longer the model's unless held elsewhere too. */
  private dropAttribute(path: string): void {
    const previous = this.attrs.get(path);
    if (!previous) return;
    this.replaced.push(previous);
    this.attrs.delete(path);
  }

  /** Whether the class derives `nn.Sequential` itself, whose forward applies its children in order. */
  private get isSequentialSubclass(): boolean {
    return this.info.bases.includes('torch.nn.Sequential');
  }

  /** The layer of the longest prefix of a path that is one: the submodule that holds what the path names. */
  private holderOf(path: string): Layer | undefined {
    const parts = path.split('.');
    for (let length = parts.length - 1; length > 0; length--) {
      const holder = this.resolvePath(parts.slice(0, length).join('.'));
      if (holder?.type === 'layer') return holder.layer;
    }
    return undefined;
  }

  /** An init of `self.<written>`: a layer's weight or bias, or a custom parameter. */
  private applyDirectInit(written: string, info: InitInfo): void {
    const path = written.replace(/\.data$/, '');
    const match = /^(.*)\.(weight|bias)$/.exec(path);
    const owner = match ? match[1]! : path;
    const part = match ? match[2]! : undefined;
    const entry = this.resolvePath(owner);
    if (entry?.type === 'param') {
      entry.param.initialized = true;
      entry.param.init = info;
      return;
    }
    if (entry?.type !== 'layer' || part === undefined) return;
    if (part === 'weight') entry.layer.init = info;
    else entry.layer.biasInit = info;
  }

  private assignedWeight(path: string, value: SyntaxNode, locals: ReadonlyMap<string, Entry>): void {
    const match = /^(.*)\.(weight|bias)(\.data)?$/.exec(path);
    if (!match) return;
    const entry = this.resolvePath(match[1]!);
    const tiedTo = match[2] === 'weight' && !match[3] ? this.weightOwner(value, locals) : undefined;
    if (tiedTo !== undefined) {
      // Another module's weight tensor: one tensor trained by both, counted once, where it is read.
      const { path: tiedPath, entry: tied } = tiedTo;
      if (entry?.type === 'layer') {
        if (tied?.type === 'layer' && tied.layer === entry.layer) return;
        entry.layer.params = minus(entry.layer.params, weightSize(entry.layer));
        entry.layer.tiedWeight = tied?.type === 'layer' ? (tied.layer.name ?? tied.layer.ctor) : tiedPath;
      } else {
        this.sharedWithin(match[1]!, tied?.type === 'layer' ? weightSize(tied.layer) : null);
      }
      return;
    }
    if (entry?.type !== 'layer') return;
    const isParameter = value.name === 'CallExpression' && this.ctx.names.qualifiedOf(value.firstChild)?.endsWith('Parameter');
    const tensor = isParameter ? callArgs(this.ctx.source, value).positional[0] : value;
    const { creator, scaled } = this.factory.tensorCreation(tensor, this.scope);
    let info: InitInfo | undefined;
    if (creator === 'randn' && !scaled) info = { name: 'randn', dist: { family: 'normal', mean: 0, std: 1 }, source: 'explicit', span: spanOf(value) };
    else if (creator === 'zeros' || creator === 'ones') {
      info = { name: creator, dist: { family: 'constant', value: creator === 'zeros' ? 0 : 1 }, source: 'explicit', span: spanOf(value) };
    }
    if (!info) return;
    if (match[2] === 'weight') entry.layer.init = info;
    else entry.layer.biasInit = info;
  }

  /**
   * The module whose weight tensor an expression is: `self.embed.weight`, or `emb.weight` with `emb` a module local
   * to `__init__` (held in a ModuleDict, say).
   */
  private weightOwner(value: SyntaxNode, locals: ReadonlyMap<string, Entry>): { path: string; entry: Entry | undefined } | undefined {
    const path = /^(.*)\.weight$/.exec(this.selfPath(value) ?? '')?.[1];
    if (path !== undefined) return { path, entry: this.resolvePath(path) };
    const local = /^(\w+)\.weight$/.exec(value.name === 'MemberExpression' ? this.ctx.source.of(value) : '')?.[1];
    const entry = local === undefined ? undefined : locals.get(local);
    return entry?.type === 'layer' ? { path: local!, entry } : undefined;
  }

  /**
   * A weight deep inside a submodule (`self.head.decoder.weight`) that is another module's tensor: the submodule that
   * holds it counts that many parameters fewer, once its own size is read.
   */
  private sharedWithin(path: string, size: number | null): void {
    const layer = this.holderOf(path);
    if (!layer) return;
    if (layer.ref === undefined || layer.params !== null) layer.params = minus(layer.params, size);
    else if (layer.sharedParams === undefined) layer.sharedParams = size;
    else layer.sharedParams = layer.sharedParams === null || size === null ? null : layer.sharedParams + size;
  }

  /** `nn.Parameter(torch.empty(...).normal_(std=0.02))`: an init chained on creation. */
  private readParameterInit(value: SyntaxNode, path: string): void {
    const entry = this.attrs.get(path);
    if (entry?.type !== 'param') return;
    const text = this.ctx.source.of(value);
    if (!/\.(normal_|uniform_|fill_|zero_|trunc_normal_)\(/.test(text)) return;
    const tensor = value.name === 'CallExpression' ? callArgs(this.ctx.source, value).positional[0] : undefined;
    const chained = tensor?.name === 'CallExpression' ? readInitCall(this.ctx.source, this.ctx.names, tensor, this.scope) : undefined;
    entry.param.initialized = true;
    entry.param.init = chained?.info ?? { name: 'chained init', dist: { family: 'unknown' }, source: 'explicit', span: spanOf(value) };
  }

  resolvePath(path: string): Entry | undefined {
    const parts = path.split('.');
    let entry = this.attrs.get(parts[0]!);
    for (let at = 1; at < parts.length; at++) {
      const part = parts[at]!;
      if (!entry) return undefined;
      if (entry.type === 'dict') entry = entry.items.get(part);
      else if (entry.type === 'sequential' || entry.type === 'list') {
        const index = Number(part);
        // `self.net[-1]` counts from the end, when the last item is one module and not a repeated one.
        const last = entry.items[entry.items.length - 1];
        const fromEnd = index < 0 && !(last?.type === 'layer' && (last.layer.repeat ?? 1) !== 1) ? entry.items[entry.items.length + index] : undefined;
        entry = !Number.isInteger(index) ? undefined : index < 0 ? fromEnd : entry.items.length === 1 && entry.type === 'list' ? entry.items[0] : entry.items[index];
      } else return undefined;
    }
    return entry;
  }

  private applyFunction(node: SyntaxNode | undefined): void {
    if (!node) return;
    const { source } = this.ctx;
    const dotted = source.dotted(node);
    let fn: SyntaxNode | undefined;
    if (dotted?.startsWith('self.')) fn = this.method(dotted.slice(5));
    else if (dotted) fn = this.factory.topLevelFunction(dotted);
    if (!fn) return;
    const params = this.bindParams(fn, this.ctx.scope(), dotted?.startsWith('self.') ?? false);
    const moduleParam = params[0];
    const body = bodyOf(fn);
    if (!moduleParam || !body) return;
    const before = this.typedInits.length;
    this.typedInitBody(statementsOf(body), moduleParam, undefined);
    applyTypedInits(this.initTargets, this.typedInits.slice(before));
  }

  /** Reads `if isinstance(m, (nn.Linear, nn.Conv2d)): nn.init.X(m.weight)` branches. */
  private typedInitBody(statements: SyntaxNode[], variable: string, types: Set<string> | undefined, uncertain = false): void {
    for (const statement of statements) {
      if (statement.name === 'IfStatement') {
        const items = childrenOf(statement);
        const conditions = items.flatMap((item, index) => (item.name === 'if' || item.name === 'elif' ? [items[index + 1]!] : []));
        // `if m is final_conv: ... else: ...` inside a type test picks some of those layers, which are not known: what
        // its branches write is an init of unknown kind. A guard (`if m.bias is not None`) only skips layers without it.
        const picks = types !== undefined && conditions.some((condition) => !this.isinstanceTypes(condition, variable) && !this.isGuard(condition, variable));
        const first = this.typedInits.length;
        for (let index = 0; index < items.length; index++) {
          const item = items[index]!;
          if (item.name !== 'if' && item.name !== 'elif' && item.name !== 'else') continue;
          const condition = item.name === 'else' ? undefined : items[index + 1];
          const body = items.slice(index + 1).find((candidate) => candidate.name === 'Body');
          if (!body) continue;
          if (picks) {
            this.typedInitBody(statementsOf(body), variable, types, true);
            continue;
          }
          const branchTypes = condition ? (this.isinstanceTypes(condition, variable) ?? types) : undefined;
          this.typedInitBody(statementsOf(body), variable, branchTypes, uncertain);
        }
        if (picks) nameAlternatives(this.typedInits.slice(first));
        continue;
      }
      if (statement.name === 'ExpressionStatement' && statement.firstChild?.name === 'CallExpression' && types) {
        const call = statement.firstChild;
        let applies = false;
        for (const write of this.factory.initWrites(call, this.scope) ?? []) {
          const target = this.writtenText(write);
          // `m.pos_embed` under `isinstance(m, VisionTransformer)` is a parameter of that class.
          const attribute = target.startsWith(`${variable}.`) ? target.slice(variable.length + 1) : '';
          const part = attribute === 'weight' || attribute === 'bias' ? attribute : /^\w+$/.test(attribute) ? { parameter: attribute } : undefined;
          if (!part) continue;
          this.typedInits.push({ types, part, info: uncertain ? { ...write.info, dist: { family: 'unknown' } } : write.info });
          applies = true;
        }
        if (applies) this.initSpans.push(spanOf(call));
      }
    }
  }

  /** `m.bias is not None`, `hasattr(m, "weight")`: a test that only leaves out layers without the attribute. */
  private isGuard(condition: SyntaxNode, variable: string): boolean {
    const text = this.ctx.source.of(condition).replace(/\s+/g, ' ');
    return text.startsWith(`${variable}.`) ? / is not None$/.test(text) && /^\w+\.\w+ is not None$/.test(text) : text.startsWith(`hasattr(${variable},`);
  }

  private isinstanceTypes(condition: SyntaxNode, variable: string): Set<string> | undefined {
    const { source } = this.ctx;
    if (condition.name !== 'CallExpression' || source.dotted(condition.firstChild) !== 'isinstance') return undefined;
    const [subject, types] = callArgs(source, condition).positional;
    if (!subject || source.of(subject) !== variable || !types) return undefined;
    const nodes = types.name === 'TupleExpression' || types.name === 'ParenthesizedExpression' ? meaningfulChildren(types) : [types];
    return new Set(nodes.map((node) => lastSegment(this.ctx.names.qualifiedOf(node) ?? source.of(node))));
  }

  // ---- forward ----

  private buildFlow(): void {
    const forward = this.info.methods.get('forward');
    if (!forward && this.isSequentialSubclass) {
      // Its children in the order they were given or added (`self.add_module("norm1", ...)`).
      const children = [...this.attrs.values()].filter((entry) => entry.type !== 'param');
      const body = this.sequentialBody ?? { type: 'sequential' as const, items: children, known: true };
      const input = this.node('input', [], spanOf(this.info.node));
      const out = this.applyEntry(body, [{ t: 'tensor', id: input }], spanOf(this.info.node));
      this.node('output', this.tensorIds(out), spanOf(this.info.node));
      return;
    }
    if (!forward) {
      // A module without forward whose only child is a Sequential behaves as that chain.
      const sequential = [...this.attrs.values()].filter((entry) => entry.type === 'sequential');
      if (sequential.length === 1 && this.attrs.size === 1) {
        const input = this.node('input', [], spanOf(this.info.node));
        const out = this.applyEntry(sequential[0]!, [{ t: 'tensor', id: input }], spanOf(this.info.node));
        this.node('output', this.tensorIds(out), spanOf(this.info.node));
      } else {
        this.flowKnown = false;
      }
      return;
    }
    const env = new Map<string, Value>();
    const scope = this.ctx.scope(this.scope);
    for (const param of this.bindParams(forward, scope, true)) {
      env.set(param, { t: 'tensor', id: this.node('input', [], spanOf(childNamed(forward, 'ParamList')!)) });
    }
    const body = bodyOf(forward);
    const returned: Value[] = [];
    if (body) this.exec(statementsOf(body), env, returned, 0);
    const ids = returned.flatMap((value) => this.tensorIds(value));
    this.node('output', [...new Set(ids)], spanOf(forward));
    this.markWeights();
  }

  /** Sets `usedAsWeight` and `fanIn` of the custom parameters from their uses in forward(). */
  private markWeights(): void {
    const { products, lookups } = this.weightUses;
    for (const uses of products.values()) {
      for (const { param, fanIn } of uses) {
        // A frozen parameter is a fixed projection (random features), not a weight training scales.
        if (param.frozen || lookups.has(param)) continue;
        param.fanIn = param.usedAsWeight === true && param.fanIn !== fanIn ? null : fanIn;
        param.usedAsWeight = true;
      }
    }
    // A table forward() reads rows of is an embedding, whatever else it is multiplied with (tied output weights).
    for (const param of lookups) param.usedAsWeight = false;
  }

  /** A custom parameter named by `self.<path>`. */
  private selfParam(node: SyntaxNode | null | undefined): ParamValue | undefined {
    const path = this.selfPath(node);
    const entry = path !== undefined ? this.resolvePath(path) : undefined;
    return entry?.type === 'param' ? { t: 'param', param: entry.param, shape: entry.param.shape } : undefined;
  }

  /** Notes the parameters a product node takes as weights, if any. */
  private product(value: Value, uses: { param: CustomParameter; fanIn: number | null }[]): Value {
    if (value.t === 'tensor' && uses.length > 0) this.weightUses.products.set(value.id, uses);
    return value;
  }

  /** A product scaled right after (`(q @ self.w) * scale`, equalized learning rates) no longer says what its weights' variance gives. */
  private scaled(value: Value): Value {
    if (value.t === 'tensor') this.weightUses.products.delete(value.id);
    return value;
  }

  /**
   * The custom parameters a torch function multiplies the data with, with the fan-in each gives:
   * `torch.matmul(x, w)`, `F.linear(x, w)`, `F.conv2d(x, w)`, `torch.einsum("bi,oi->bo", x, w)`.
   */
  private weightOperands(fn: string, qualified: string, args: CallArgs, values: Value[]): { param: CustomParameter; fanIn: number | null }[] {
    const keywordNames = [...args.keywords.keys()];
    const argument = (position: number, keyword: string): Value | undefined => {
      const at = keywordNames.indexOf(keyword);
      return at >= 0 ? values[args.positional.length + at] : position < args.positional.length ? values[position] : undefined;
    };
    const data = argument(0, 'input');
    if (qualified === `torch.${fn}` && (fn === 'matmul' || fn === 'mm' || fn === 'bmm')) {
      const other = argument(1, 'other') ?? argument(1, 'mat2');
      if (data?.t === 'tensor' && other?.t === 'param') return [{ param: other.param, fanIn: matmulFanIn(other, 'right') }];
      if (data?.t === 'param' && other?.t === 'tensor') return [{ param: data.param, fanIn: matmulFanIn(data, 'left') }];
      return [];
    }
    if (qualified === 'torch.einsum') {
      const equation = values[0]?.t === 'const' ? values[0].value : undefined;
      const operands = values.length === 2 && values[1]!.t === 'tuple' ? values[1]!.items : values.slice(1);
      if (typeof equation !== 'string' || !operands.some((operand) => operand.t === 'tensor')) return [];
      return operands.flatMap((operand, index) => {
        const fanIn = operand.t === 'param' ? einsumFanIn(equation, index, operand.shape) : undefined;
        return operand.t === 'param' && fanIn !== undefined ? [{ param: operand.param, fanIn }] : [];
      });
    }
    const weight = argument(1, 'weight');
    if (!qualified.startsWith('torch.nn.functional.') || data?.t !== 'tensor' || weight?.t !== 'param') return [];
    if (fn === 'linear') return [{ param: weight.param, fanIn: axisSize(weight.shape, -1) }];
    if (/^conv[123]d$/.test(fn)) return [{ param: weight.param, fanIn: weight.shape && weight.shape.length >= 2 ? sizeProduct(weight.shape.slice(1)) : null }];
    return [];
  }

  private tensorIds(value: Value): number[] {
    return tensorsOf(value).map((tensor) => tensor.id);
  }

  /** `out, hidden = self.gru(x)` unpacks the value across the targets. */
  protected override assign(targets: SyntaxNode[], value: Value, env: Map<string, Value>): void {
    const unpacked = targets.length > 1 && targets[0]!.nextSibling?.name === ',';
    targets.forEach((target, index) => this.bind(target, unpacked ? itemOf(value, index) : value, env));
  }

  protected override unsized(id: number): FlowTensor {
    return { t: 'tensor', id };
  }

  protected override loopEntries(value: Value): Entry[] | undefined {
    return value.t === 'module' && (value.entry.type === 'list' || value.entry.type === 'sequential') ? this.expand(value.entry) : undefined;
  }

  protected override rangeCount(node: SyntaxNode): number | null {
    return loopCount(this.ctx.source, node, this.scope);
  }

  /** The modules a list or Sequential yields when iterated, with repeated blocks unrolled. */
  private expand(entry: Entry): Entry[] {
    if (entry.type !== 'list' && entry.type !== 'sequential') return [entry];
    const expanded: Entry[] = [];
    for (const item of entry.items) {
      const repeat = item.type === 'layer' && !item.once ? (item.layer.repeat ?? 1) : 1;
      for (let copy = Math.min(Math.max(repeat, 1), MAX_UNROLL); copy > 0; copy--) expanded.push(item);
    }
    return expanded;
  }

  protected override combine(op: string, left: Value, right: Value, span: Span): Value {
    const leftTensor = left.t === 'tensor';
    const rightTensor = right.t === 'tensor';
    if (leftTensor && rightTensor) {
      if (op === '+' || op === '-') return { t: 'tensor', id: this.node('add', [left.id, right.id], span) };
      if (op === '*') return { t: 'tensor', id: this.node('mul', [left.id, right.id], span) };
      return { t: 'tensor', id: this.node('opaque', [left.id, right.id], span, { label: op === '@' ? 'matmul' : op }) };
    }
    // A tensor scaled or shifted by a constant or a parameter keeps its data flow.
    if (leftTensor && ['+', '-', '*', '/'].includes(op)) return op === '*' || op === '/' ? this.scaled(left) : left;
    if (rightTensor && ['+', '*'].includes(op)) return op === '*' ? this.scaled(right) : right;
    if (leftTensor || rightTensor) {
      const id = leftTensor ? (left as { id: number }).id : (right as { id: number }).id;
      const result: Value = { t: 'tensor', id: this.node('opaque', [id], span, { label: op }) };
      // `x @ self.w` and `self.w @ x` multiply the data with a custom parameter.
      if (op === '@' && right.t === 'param') return this.product(result, [{ param: right.param, fanIn: matmulFanIn(right, 'right') }]);
      if (op === '@' && left.t === 'param') return this.product(result, [{ param: left.param, fanIn: matmulFanIn(left, 'left') }]);
      return result;
    }
    return UNKNOWN_VALUE;
  }

  protected override evalExpression(node: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    const { source } = this.ctx;
    switch (node.name) {
      case 'MemberExpression': {
        if (node.lastChild?.name === ']') return this.subscript(node, env, depth);
        const path = this.selfPath(node);
        const property = node.lastChild ? source.of(node.lastChild) : '';
        if (path !== undefined) {
          const entry = this.resolvePath(path);
          if (entry?.type === 'param') return { t: 'param', param: entry.param, shape: entry.param.shape };
          if (entry) return { t: 'module', entry };
          const owner = this.selfParam(node.firstChild);
          if (owner && (property === 'T' || property === 'mT')) return property === 'T' ? reversedParam(owner) : swappedParam(owner, -2, -1);
          return { t: 'const', value: UNKNOWN };
        }
        const object = node.firstChild ? this.eval(node.firstChild, env, depth) : UNKNOWN_VALUE;
        if (object.t === 'tensor') {
          if (property === 'T' || property === 'mT') return { t: 'tensor', id: this.node('opaque', [object.id], spanOf(node), { label: 'transpose' }) };
          return { t: 'const', value: UNKNOWN };
        }
        return UNKNOWN_VALUE;
      }
      case 'ConditionalExpression': {
        const [whenTrue, , , , whenFalse] = childrenOf(node);
        const a = whenTrue ? this.eval(whenTrue, env, depth) : UNKNOWN_VALUE;
        const b = whenFalse ? this.eval(whenFalse, env, depth) : UNKNOWN_VALUE;
        if (a.t === 'tensor' && b.t === 'tensor') {
          return a.id === b.id ? a : { t: 'tensor', id: this.node('opaque', [a.id, b.id], spanOf(node), { label: 'branch' }) };
        }
        return a.t === 'tensor' ? { t: 'tensor', id: this.node('opaque', [a.id], spanOf(node), { label: 'branch' }) } : b.t === 'tensor' ? { t: 'tensor', id: this.node('opaque', [b.id], spanOf(node), { label: 'branch' }) } : a;
      }
      case 'CallExpression':
        return this.evalCall(node, env, depth);
      default:
        return UNKNOWN_VALUE;
    }
  }

  /**
   * For a subscript of full slices around one integer (`[:, -1]`, `[-1]`, `[:, 0, :]`), the axis of the integer and
   * its value; undefined for any other subscript.
   */
  private stepSelected(items: SyntaxNode[], env: Map<string, Value>, depth: number): { axis: number; index: number } | undefined {
    const groups: SyntaxNode[][] = [[]];
    for (const item of items) {
      if (item.name === ',') groups.push([]);
      else groups[groups.length - 1]!.push(item);
    }
    let picked: { axis: number; index: number } | undefined;
    for (const [axis, group] of groups.entries()) {
      if (group.length === 1 && group[0]!.name === ':') continue;
      if (picked || group.length !== 1) return undefined;
      const index = this.integerOf(group[0]!, env, depth);
      if (index === undefined) return undefined;
      picked = { axis, index };
    }
    return picked;
  }

  /** An integer constant, or one negated (`-1`), as the flow knows it; undefined for anything else. */
  private integerOf(node: SyntaxNode, env: Map<string, Value>, depth: number): number | undefined {
    const negated = node.name === 'UnaryExpression' && this.ctx.source.of(node.firstChild!) === '-';
    const operand = negated ? node.lastChild : node;
    // Only numbers and names: evaluating a call here would apply its layers a second time.
    if (operand?.name !== 'Number' && operand?.name !== 'VariableName') return undefined;
    // A name forward() does not bind is a constant of the module or the constructor (`out[:, LAST]`).
    const free = operand.name === 'VariableName' && !env.has(this.ctx.source.of(operand));
    let number: unknown;
    if (free) number = this.ctx.evaluate(operand, this.scope);
    else {
      const value = this.eval(operand, env, depth);
      number = value.t === 'const' ? value.value : undefined;
    }
    if (typeof number !== 'number' || !Number.isInteger(number)) return undefined;
    return negated ? -number : number;
  }

  /** `x[...]`: a module of a list or dict, an item of a tuple, a tensor indexed, or a parameter read as a table. */
  private subscript(node: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    // `self.blocks[0]` and `self.heads['a']` name a submodule directly.
    const path = this.selfPath(node);
    const named = path !== undefined ? this.resolvePath(path) : undefined;
    if (named && named.type !== 'param') return { t: 'module', entry: named };
    const children = childrenOf(node);
    const open = children.findIndex((child) => child.name === '[');
    const items = children.slice(open + 1, -1);
    // A single index; slices and several axes (`x[:, -1]`) read a tensor only.
    const index = items.length === 1 && items[0]!.name !== ':' ? items[0] : undefined;
    const object = node.firstChild ? this.eval(node.firstChild, env, depth) : UNKNOWN_VALUE;
    const key = () => {
      const value = index ? this.eval(index, env, depth) : UNKNOWN_VALUE;
      return value.t === 'const' ? value.value : UNKNOWN;
    };
    if (object.t === 'module' && (object.entry.type === 'list' || object.entry.type === 'sequential' || object.entry.type === 'dict')) {
      const keyValue = key();
      if (object.entry.type === 'dict') {
        const entry = typeof keyValue === 'string' ? object.entry.items.get(keyValue) : undefined;
        return entry ? { t: 'module', entry } : UNKNOWN_VALUE;
      }
      const expanded = this.expand(object.entry);
      const entry = typeof keyValue === 'number' ? expanded[keyValue < 0 ? expanded.length + keyValue : keyValue] : undefined;
      return entry ? { t: 'module', entry } : UNKNOWN_VALUE;
    }
    if (object.t === 'tuple') {
      const keyValue = key();
      return typeof keyValue === 'number' ? (object.items[keyValue < 0 ? object.items.length + keyValue : keyValue] ?? UNKNOWN_VALUE) : UNKNOWN_VALUE;
    }
    // Selecting steps or positions (`out[:, -1]`) drops the rest of the tensor, which a layer applied to every step
    // would still see: the selection is kept as a node of its own.
    if (object.t === 'tensor') {
      const select = object.sequence ? this.stepSelected(items, env, depth) : undefined;
      return { t: 'tensor', id: this.node('opaque', [object.id], spanOf(node), { label: 'index', ...(select ? { select } : {}) }) };
    }
    if (object.t === 'param') {
      // `self.codebook[indices]` looks rows up, as an embedding does.
      const ids = items.flatMap((item) => (item.name === ':' || item.name === ',' ? [] : this.tensorIds(this.eval(item, env, depth))));
      if (ids.length === 0) return UNKNOWN_VALUE;
      this.weightUses.lookups.add(object.param);
      return { t: 'tensor', id: this.node('opaque', [...new Set(ids)], spanOf(node), { label: 'index' }) };
    }
    return UNKNOWN_VALUE;
  }

  private evalCall(call: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    const { source, names } = this.ctx;
    const callee = call.firstChild!;
    const args = callArgs(source, call);
    const argValues = () => [...args.positional.map((arg) => this.eval(arg, env, depth)), ...[...args.keywords.values()].map(({ value }) => this.eval(value, env, depth))];
    const span = spanOf(call);
    const dotted = source.dotted(callee);
    // self.method(...) defined in the class: follow it, as timm's forward_features/forward_head.
    if (dotted?.startsWith('self.') && dotted.indexOf('.', 5) < 0 && this.info.methods.has(dotted.slice(5)) && !this.attrs.has(dotted.slice(5))) {
      const method = this.info.methods.get(dotted.slice(5))!;
      if (depth >= MAX_INLINE_DEPTH) return this.opaque(argValues(), span, dotted.slice(5));
      const inner = new Map<string, Value>();
      const params = this.bindParams(method, this.ctx.scope(this.scope), true);
      const values = argValues();
      params.forEach((param, index) => inner.set(param, values[index] ?? UNKNOWN_VALUE));
      const returned: Value[] = [];
      const body = bodyOf(method);
      if (body) this.exec(statementsOf(body), inner, returned, depth + 1);
      return this.returnedValue(returned, span);
    }
    const qualified = names.qualify(dotted) ?? '';
    const owner = callee.name === 'MemberExpression' ? this.selfParam(callee.firstChild) : undefined;
    const property = memberProperty(source, callee);
    if (owner && property === 't') return swappedParam(owner, -2, -1);
    if (owner && property === 'transpose') {
      const [a, b] = args.positional.map((arg) => this.ctx.evaluate(arg, this.scope));
      return swappedParam(owner, a ?? UNKNOWN, b ?? UNKNOWN);
    }
    if (callee.name === 'MemberExpression' && this.selfPath(callee) === undefined) {
      // Methods on tensors: x.relu(), x.view(B, -1), x.flatten(1), q.transpose(1, 2). The object is evaluated once.
      const object = callee.firstChild ? this.eval(callee.firstChild, env, depth) : UNKNOWN_VALUE;
      const method = callee.lastChild ? source.of(callee.lastChild) : '';
      if (object.t === 'tensor') {
        const other = (method === 'matmul' || method === 'mm' || method === 'bmm') && args.positional[0] ? this.eval(args.positional[0], env, depth) : undefined;
        const result = this.tensorMethod(object.id, method, args.positional, span);
        return other?.t === 'param' ? this.product(result, [{ param: other.param, fanIn: matmulFanIn(other, 'right') }]) : result;
      }
      if (object.t === 'module') return this.opaque(argValues(), span, method);
    } else {
      this.calledAttribute(callee);
      const calleeValue = this.eval(callee, env, depth);
      if (calleeValue.t === 'module') return this.applyEntry(calleeValue.entry, argValues(), span);
    }
    const fn = lastSegment(qualified);
    const isTorchFunction = qualified.startsWith('torch.') || qualified.startsWith('F.');
    if (isTorchFunction) {
      const activation = TORCH_FUNCTIONAL_ACTIVATIONS.get(fn);
      const values = argValues();
      const first = values[0];
      if (activation && first?.t === 'tensor' && (qualified.startsWith('torch.nn.functional.') || /^torch\.[a-z_]+$/.test(qualified))) {
        return { t: 'tensor', id: this.node('activation', [first.id], span, { activation }) };
      }
      if (/^dropout(1d|2d|3d)?$|^alpha_dropout$/.test(fn) && first?.t === 'tensor') {
        const rateNode = args.keywords.get('p')?.value ?? args.positional[1];
        const rate = rateNode ? this.ctx.evaluate(rateNode, this.scope) : 0.5;
        const trainingFlag = args.keywords.has('training') || args.positional.length >= 3;
        return { t: 'tensor', id: this.node('dropout', [first.id], span, { rate: typeof rate === 'number' ? rate : null, trainingFlag }) };
      }
      if (fn === 'flatten' && first?.t === 'tensor') return { t: 'tensor', id: this.node('flatten', [first.id], span) };
      if ((fn === 'cat' || fn === 'stack' || fn === 'concat') && first?.t === 'tuple') {
        return { t: 'tensor', id: this.node('concat', first.items.flatMap((item) => this.tensorIds(item)), span) };
      }
      if (fn === 'add' && values.length >= 2) return this.combine('+', values[0]!, values[1]!, span);
      if (fn === 'mul' && values.length >= 2) return this.combine('*', values[0]!, values[1]!, span);
      if (qualified === 'torch.nn.functional.embedding' && values[1]?.t === 'param') this.weightUses.lookups.add(values[1].param);
      const weights = this.weightOperands(fn, qualified, args, values);
      // The arguments are evaluated once: evaluating them again would apply their layers twice.
      return this.product(this.opaque(values, span, fn), weights);
    }
    return this.opaque(argValues(), span, fn || dotted || 'call');
  }

  /** What calledAttribute finds in forward(), told from the text of every method: a call of `self.<attribute>(`. */
  private attributesCalledInMethods(): void {
    const methods = [...this.info.methods.values()].map((method) => this.ctx.source.of(method));
    for (const [path, assigned] of this.unresolvedAttributes) {
      if (methods.some((text) => text.includes(`self.${path}(`))) this.holdUnresolved(path, assigned);
    }
  }

  /**
   * `self.encoder(...)` where `self.encoder` was set from something the IR cannot read (a constructor argument,
   * `timm.create_model(...)`): a module after all, of unknown layers and size, so the model's size is unknown too.
   */
  private calledAttribute(callee: SyntaxNode): void {
    const path = this.selfPath(callee);
    const assigned = path === undefined ? undefined : this.unresolvedAttributes.get(path);
    if (path !== undefined && assigned) this.holdUnresolved(path, assigned);
  }

  /** Makes an attribute set from what the IR cannot read, and called, a layer of unknown size. */
  private holdUnresolved(path: string, assigned: SyntaxNode): void {
    if (this.attrs.has(path)) return;
    // With the constructor's defaults the attribute may be a known constant: `downsample=None`, called only when given.
    const value = this.scope.lookup(`self.${path}`);
    if (value !== undefined && !isUnknown(value)) return;
    this.attrs.set(path, { type: 'layer', layer: this.factory.unknownLayer(assigned, path, undefined, this.scope) });
  }

  private tensorMethod(input: number, method: string, positional: SyntaxNode[], span: Span): Value {
    // Shape queries give numbers, not tensors on the data path.
    if (['size', 'dim', 'numel', 'item', 'tolist', 'element_size', 'get_device'].includes(method)) return { t: 'const', value: UNKNOWN };
    const activation = TORCH_FUNCTIONAL_ACTIVATIONS.get(method);
    if (activation && method !== 'exp') return { t: 'tensor', id: this.node('activation', [input], span, { activation }) };
    if (['contiguous', 'float', 'half', 'double', 'to', 'type', 'cuda', 'cpu', 'clone'].includes(method)) return { t: 'tensor', id: input };
    if (method === 'flatten' && positional.length <= 1) return { t: 'tensor', id: this.node('flatten', [input], span) };
    if ((method === 'view' || method === 'reshape') && positional.length === 2) {
      const last = this.ctx.evaluate(positional[1], this.scope);
      const first = this.ctx.source.of(positional[0]!).replace(/\s+/g, '');
      // `x.view(x.size(0), -1)` and `x.reshape(B, -1)` flatten everything but the batch axis.
      if (last === -1 && (/\.size\(0\)$|\.shape\[0\]$/.test(first) || /^[A-Za-z_]\w*$/.test(first))) {
        return { t: 'tensor', id: this.node('flatten', [input], span) };
      }
    }
    if ((method === 'view' || method === 'reshape') && positional.length >= 2) {
      // Merging or splitting the leading axes (`out.reshape(-1, hidden)`) keeps every value and the features last.
      const features = this.featureSize(input);
      if (features !== null && this.ctx.evaluate(positional[positional.length - 1], this.scope) === features) return { t: 'tensor', id: input };
    }
    if (method === 'split' || method === 'chunk' || method === 'unbind') {
      const id = this.node('opaque', [input], span, { label: method });
      return { t: 'tuple', items: Array.from({ length: 8 }, () => ({ t: 'tensor', id }) as Value) };
    }
    return { t: 'tensor', id: this.node('opaque', [input], span, { label: method }) };
  }

  /** The size of the last axis of a node's output, when the layer that makes it fixes it (through activations and dropout). */
  private featureSize(id: number): number | null {
    let node = this.flow[id];
    for (let steps = 0; node && steps < 16; steps++) {
      const layer = node.op === 'layer' && node.layer !== undefined ? this.factory.layers[node.layer] : undefined;
      if (layer && FEATURES_LAST.has(layer.kind)) return layer.out;
      const passes = node.op === 'activation' || node.op === 'dropout' || layer?.kind === 'activation' || layer?.kind === 'dropout';
      if (!passes || node.inputs.length !== 1) return null;
      node = this.flow[node.inputs[0]!];
    }
    return null;
  }

  private applyEntry(entry: Entry, args: Value[], span: Span): Value {
    if (entry.type === 'layer') {
      // Most layers are called with one tensor: that needs no flattening and no removal of repeats.
      const single = args.length === 1 && args[0]!.t === 'tensor' ? args[0]! : undefined;
      const tensors = single ? [single.id] : [...new Set(args.flatMap((arg) => this.tensorIds(arg)))];
      if (tensors.length === 0) return UNKNOWN_VALUE;
      const output: Value = { t: 'tensor', id: this.node('layer', tensors, span, { layer: entry.layer.index }) };
      if (!returnsTuple(entry.layer)) return output;
      // `out, (h, c) = self.lstm(x)`: the output sequence first; the states (or attention weights) come from the
      // same call and are read as its output, though only the sequence is laid out by steps.
      const states: Value = { t: 'tensor', id: output.id };
      const recurrent = entry.layer.kind === 'rnn' || entry.layer.kind === 'lstm' || entry.layer.kind === 'gru';
      const sequence: Value = recurrent ? { ...output, sequence: true } : output;
      return { t: 'tuple', items: [sequence, entry.layer.kind === 'lstm' ? { t: 'tuple', items: [states, states] } : states] };
    }
    if (entry.type === 'sequential') {
      if (!entry.known) return this.opaque(args, span, 'sequential');
      let value: Value = args[0] ?? UNKNOWN_VALUE;
      for (const item of this.expand(entry)) value = this.applyEntry(item, [value], span);
      return value;
    }
    return this.opaque(args, span, 'module');
  }

  // ---- summary ----

  /** Layers in the order data reaches them, then any not used by forward, in declaration order. */
  private orderedLayers(): Layer[] {
    const gone = this.droppedLayers();
    const all = this.factory.layers;
    const seen = new Set<number>();
    const ordered: Layer[] = [];
    for (const node of this.flow) {
      if (node.op === 'layer' && node.layer !== undefined && !seen.has(node.layer)) {
        seen.add(node.layer);
        ordered.push(all[node.layer]!);
      }
    }
    for (const layer of all) if (!seen.has(layer.index) && !gone.has(layer)) ordered.push(layer);
    return ordered;
  }

  /** The custom parameters, without those replaced and no longer held. */
  private heldParameters(): CustomParameter[] {
    if (this.replaced.length === 0) return this.factory.parameters;
    const held = new Set([...this.attrs.values()].flatMap((entry) => (entry.type === 'param' ? [entry.param] : [])));
    const gone = new Set(this.replaced.flatMap((entry) => (entry.type === 'param' && !held.has(entry.param) ? [entry.param] : [])));
    return gone.size === 0 ? this.factory.parameters : this.factory.parameters.filter((parameter) => !gone.has(parameter));
  }

  /** The layers of replaced modules that no attribute holds any more. */
  private droppedLayers(): ReadonlySet<Layer> {
    if (this.replaced.length === 0) return new Set();
    const held = new Set([...this.attrs.values()].flatMap(layersOf));
    return new Set(this.replaced.flatMap(layersOf).filter((layer) => !held.has(layer)));
  }

  private insertion(init: SyntaxNode | undefined): Pick<Model, 'insertion'> {
    if (!init) return {};
    const text = this.ctx.text;
    const lineStart = text.lastIndexOf('\n', init.from - 1) + 1;
    const indent = text.slice(lineStart, init.from).replace(/\S.*$/, '');
    // The end of __init__ is the end of its last statement's line, before trailing blank lines and comments.
    const body = bodyOf(init);
    const statements = body ? statementsOf(body) : [];
    const lastStatement = statements[statements.length - 1];
    let initEnd = lastStatement ? lastStatement.to : init.to;
    while (initEnd > 0 && /\s/.test(text[initEnd - 1] ?? '')) initEnd--;
    const lineEnd = text.indexOf('\n', initEnd);
    initEnd = lineEnd < 0 ? text.length : lineEnd;
    let classEnd = this.info.node.to;
    while (classEnd > 0 && /\s/.test(text[classEnd - 1] ?? '')) classEnd--;
    return { insertion: { initEnd, classEnd, indent } };
  }
}

/**
 * The per-sample input the first layer the data reaches shows: its features, token ids of a length the module
 * leaves open, or a sequence of its input features.
 */
function inputShapeOf(layers: readonly Layer[]): (number | null)[] | null {
  const first = layers.find((layer) => layer.kind !== 'dropout' && layer.kind !== 'activation');
  if (first?.kind === 'embedding') return [null];
  if (!first || first.in === null) return null;
  if (first.kind === 'linear') return [first.in];
  return first.kind === 'rnn' || first.kind === 'lstm' || first.kind === 'gru' || first.kind === 'attention' ? [null, first.in] : null;
}

/** The value a class body assigns to a name (`default_act = nn.SiLU()`), the last assignment when there are several. */
function classLevelValue(source: Source, body: SyntaxNode, name: string): SyntaxNode | undefined {
  let value: SyntaxNode | undefined;
  for (const statement of statementsOf(body)) {
    const parts = statement.name === 'AssignStatement' ? assignmentParts(statement) : undefined;
    if (parts?.value && parts.targets.length === 1 && parts.targets[0]!.name === 'VariableName' && source.is(parts.targets[0]!, name)) value = parts.value;
  }
  return value;
}

/** `nn.Sequential(...)` written outside a class: a model of its own. */
export function sequentialModel(ctx: FileContext, call: SyntaxNode, name: string, nameSpan: Span): Model | undefined {
  const factory = new LayerFactory(ctx);
  const scope = ctx.scope();
  const entry = factory.entry(call, name, scope);
  // An empty `nn.Sequential()` is a container the code fills later (`add_module`, `append`): no model of its own.
  if (!entry || entry.type !== 'sequential' || (entry.known && entry.items.length === 0)) return undefined;
  const flow: FlowNode[] = [{ id: 0, op: 'input', inputs: [], span: spanOf(call) }];
  const visit = (item: Entry) => {
    if (item.type === 'sequential') item.items.forEach(visit);
    else if (item.type === 'layer') flow.push({ id: flow.length, op: 'layer', layer: item.layer.index, inputs: [flow.length - 1], span: item.layer.span });
    else flow.push({ id: flow.length, op: 'opaque', inputs: [flow.length - 1], span: spanOf(call), label: item.type });
  };
  entry.items.forEach(visit);
  flow.push({ id: flow.length, op: 'output', inputs: [flow.length - 1], span: spanOf(call) });
  const layers = layersOf(entry);
  return {
    name,
    framework: 'pytorch',
    span: spanOf(call),
    nameSpan,
    layers,
    flow,
    flowKnown: entry.known,
    inputShape: inputShapeOf(layers),
    parameterCount: null,
    initSpans: [],
    parameters: [],
  };
}

export function isTorchModelClass(ctx: FileContext, name: string): boolean {
  return ctx.derivesFrom(name, isTorchModuleBase);
}
