// Keras models: Sequential lists, `model.add`, the functional API, and `compile`/`fit` calls. Subclassed models
// are read in keras-class.ts with the layer reader and the functions table here.
import type { SyntaxNode } from '@lezer/common';
import {
  activationFromName,
  defaultKernelInit,
  initializerDist,
  isKerasWrapper,
  kerasLayerFacts,
  kerasLayerSpec,
  kerasWrapperFacts,
  mergedShape,
  shapeOption,
  ZEROS_INIT,
  type KerasLayerFacts,
  type KerasLayerSpec,
  type MergeMode,
  type Shape,
} from '../../ir/keras-layers';
import {
  isUnknown,
  UNKNOWN,
  type ActivationFn,
  type Arg,
  type ConstValue,
  type FlowNode,
  type InitInfo,
  type Layer,
  type LossInfo,
  type Model,
  type OptimizerInfo,
  type Span,
  type TrainingLoop,
} from '../../ir/types';
import { isKerasModelBase, type FileContext } from './context';
import { isTorchModelClass } from './pytorch';
import { bindTargets, forParts, loopValues, readsTargets } from './loops';
import { constKey, rangeBounds, rangeLength, truthy, updatedConstant, type ConstScope, type MapScope } from './names';
import { liesWithin, moved, mutableCopy, unmoved, VersionCache } from './reuse';
import { assignedNames, assignmentParts, bodyOf, callArgs, childNamed, childrenOf, definitionName, definitionOf, dictionaryItems, meaningfulChildren, memberProperty, parameterList, spanOf, statementsOf, type CallArgs, type Source } from './syntax';

function lastSegment(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

const SEQUENTIAL = new Set(['keras.Sequential']);
const FUNCTIONAL_MODEL = new Set(['keras.Model']);
const INPUT = new Set(['keras.Input', 'keras.layers.Input']);

/** Whether a qualified name makes a symbolic input (`keras.Input`), which is no layer. */
export function isKerasInput(qualified: string): boolean {
  return INPUT.has(qualified);
}

/** A layer object: a Keras layer class (`spec`), a class of this file (`ref`), or a layer class from elsewhere. */
export interface LayerValue {
  t: 'layer';
  call: SyntaxNode;
  spec?: KerasLayerSpec;
  ref?: string;
}

interface Tensor {
  t: 'tensor';
  id: number;
  shape: Shape | null;
}

type Value = Tensor | LayerValue | { t: 'sequential'; builder: SequentialBuilder } | { t: 'model'; model: Model };

/** A layer of a Sequential, with the constants as they were where it was written or added. */
interface SequentialElement {
  node: SyntaxNode;
  scope: MapScope;
}

interface SequentialBuilder {
  call: SyntaxNode;
  /** The list's elements and the `add` arguments, in order: layer calls, and whatever else holds layers. */
  elements: SequentialElement[];
  /** Elements added in a loop or a branch (`for _ in range(6): model.add(...)`): how many times is not known. */
  uncertain: Set<SequentialElement>;
  /**
   * Those of them whose count no loop around them spells out: added in a branch (`if`, `while`), whether at all is
   * not known, or in a loop of unknown length.
   */
  unresolved: Set<SequentialElement>;
  variable?: string;
  nameSpan: Span;
}

export interface KerasFacts {
  models: Model[];
  losses: LossInfo[];
  optimizers: OptimizerInfo[];
  fits: TrainingLoop[];
}

/** A layer read from its constructor call, whose sizes wait for the shape that reaches it. */
export interface DeclaredLayer {
  layer: Layer;
  spec: KerasLayerSpec;
  options: Record<string, ConstValue>;
  /** The layer a wrapper holds, when its constructor call is written inside the wrapper's. */
  inner?: { spec: KerasLayerSpec; options: Record<string, ConstValue> };
}

/** Namespaces whose capitalised names are not layers even when called on a tensor (losses, metrics, `tf.Variable`). */
const NOT_LAYERS = /^(keras\.(?!layers\.|applications\.)|tf\.|torch\.|numpy\.)/;

/**
 * What calling `callee` makes when its result is applied to tensors: a layer of a class defined in this file
 * (`ref`), or of a layer class from another module (capitalised, as classes are by convention). Keras layer
 * classes with a spec are told apart before this.
 */
export function layerClassOf(ctx: FileContext, callee: SyntaxNode): Omit<LayerValue, 't' | 'call'> | undefined {
  const dotted = ctx.source.dotted(callee);
  if (dotted === undefined) return undefined;
  if (ctx.classes.has(dotted)) return { ref: dotted };
  const qualified = ctx.names.qualify(dotted) ?? dotted;
  const name = lastSegment(qualified);
  return /^[A-Z]/.test(name) && !/^[A-Z0-9_]+$/.test(name) && !NOT_LAYERS.test(qualified) ? {} : undefined;
}

/** Builds Keras Layer objects, with sizes flowing from the shape that reaches each layer. */
export class KerasLayerReader {
  constructor(private readonly ctx: FileContext) {}

  spec(call: SyntaxNode): KerasLayerSpec | undefined {
    return this.specOf(this.ctx.names.qualifiedOf(call.firstChild) ?? '');
  }

  /** The spec of a layer class by its qualified name. */
  specOf(qualified: string): KerasLayerSpec | undefined {
    const name = lastSegment(qualified);
    // In Python, lower-case names under keras.layers are functions (`layers.add([a, b])`), not layer classes.
    if (!qualified.startsWith('keras.layers.') || !/^[A-Z]/.test(name)) return undefined;
    return kerasLayerSpec(name);
  }

  /** The Keras name of an activation passed as a function (`activation=tf.nn.relu`), as a string would name it. */
  private activationName(node: SyntaxNode): string | undefined {
    if (node.name !== 'VariableName' && node.name !== 'MemberExpression') return undefined;
    const qualified = this.ctx.names.qualifiedOf(node);
    return qualified && kerasFunction(qualified)?.op === 'activation' ? qualified.slice(qualified.lastIndexOf('.') + 1) : undefined;
  }

  /** The arguments of a layer call, evaluated, and by parameter name; `parsed` saves splitting them again. */
  options(call: SyntaxNode, spec: KerasLayerSpec | undefined, scope: MapScope, parsed: CallArgs = callArgs(this.ctx.source, call)): { args: Arg[]; options: Record<string, ConstValue> } {
    const { source } = this.ctx;
    const args: Arg[] = [];
    const options: Record<string, ConstValue> = {};
    parsed.positional.forEach((node, index) => {
      const value = this.ctx.evaluate(node, scope);
      args.push({ value, span: spanOf(node), valueSpan: spanOf(node), text: source.of(node) });
      const param = spec?.positional[index];
      if (param) options[param] = (param === 'activation' ? this.activationName(node) : undefined) ?? value;
    });
    for (const [name, { name: nameNode, value: valueNode }] of parsed.keywords) {
      const value = this.ctx.evaluate(valueNode, scope);
      args.push({ name, value, span: { start: nameNode.from, end: valueNode.to }, valueSpan: spanOf(valueNode), text: source.of(valueNode) });
      options[name] = (name === 'activation' ? this.activationName(valueNode) : undefined) ?? value;
    }
    args.sort((a, b) => a.span.start - b.span.start);
    return { args, options };
  }

  /** An initializer argument: a name string, or `keras.initializers.HeNormal()` / `RandomNormal(stddev=0.02)`. */
  initializer(call: SyntaxNode, key: string, positionalIndex: number | undefined, scope: MapScope, parsed: CallArgs = callArgs(this.ctx.source, call)): InitInfo | undefined {
    const { source, names } = this.ctx;
    const node = parsed.keywords.get(key)?.value ?? (positionalIndex === undefined ? undefined : parsed.positional[positionalIndex]);
    if (!node) return undefined;
    const value = this.ctx.evaluate(node, scope);
    if (typeof value === 'string') return { name: value, dist: initializerDist(value, {}, 'keras'), source: 'explicit', span: spanOf(node) };
    if (node.name === 'CallExpression') {
      const className = lastSegment(names.qualifiedOf(node.firstChild) ?? '');
      const init = callArgs(source, node);
      const options: Record<string, ConstValue> = {};
      const positional: Record<string, string[]> = { RandomNormal: ['mean', 'stddev'], TruncatedNormal: ['mean', 'stddev'], RandomUniform: ['minval', 'maxval'], Constant: ['value'], Orthogonal: ['gain'], VarianceScaling: ['scale', 'mode', 'distribution'] };
      init.positional.forEach((arg, index) => {
        const param = positional[className]?.[index];
        if (param) options[param] = this.ctx.evaluate(arg, scope);
      });
      for (const [name, { value: optionValue }] of init.keywords) options[name] = this.ctx.evaluate(optionValue, scope);
      return { name: source.of(node), dist: initializerDist(className, options, 'keras'), source: 'explicit', span: spanOf(node) };
    }
    return { name: source.of(node), dist: { family: 'unknown' }, source: 'explicit', span: spanOf(node) };
  }

  /** Reads a layer's constructor call, sized on `inShape`; `size` sizes it again on another shape. */
  declare(call: SyntaxNode, spec: KerasLayerSpec, index: number, scope: MapScope, inShape: Shape | null = null): { declared: DeclaredLayer; outShape: Shape | null } {
    const { source } = this.ctx;
    const parsed = callArgs(source, call);
    const { args, options } = this.options(call, spec, scope, parsed);
    const innerCall = isKerasWrapper(spec) ? (parsed.keywords.get('layer')?.value ?? parsed.positional[0]) : undefined;
    const innerSpec = innerCall?.name === 'CallExpression' ? this.spec(innerCall) : undefined;
    let declared: DeclaredLayer;
    // The call whose arguments are the layer's own: the wrapped layer's for a wrapper.
    let own = { call, parsed };
    if (innerCall && innerSpec && !isKerasWrapper(innerSpec)) {
      // The wrapped layer's call gives the constructor, arguments and initializers; the wrapper its span and name.
      const innerParsed = callArgs(source, innerCall);
      const inner = this.options(innerCall, innerSpec, scope, innerParsed);
      declared = { layer: this.newLayer(innerCall, innerSpec, index, inner.args, innerParsed, scope), spec, options, inner: { spec: innerSpec, options: inner.options } };
      declared.layer.span = spanOf(call);
      declared.layer.wrapper = { kind: spec.className === 'Bidirectional' ? 'bidirectional' : 'time_distributed', ctor: source.of(call.firstChild!), calleeSpan: spanOf(call.firstChild!) };
      own = { call: innerCall, parsed: innerParsed };
    } else {
      declared = { layer: this.newLayer(call, spec, index, args, parsed, scope), spec, options };
    }
    const name = options['name'] ?? declared.inner?.options['name'];
    if (typeof name === 'string') declared.layer.name = name;
    const facts = this.facts(declared, inShape);
    const { layer } = declared;
    layer.kind = facts.kind;
    layer.in = facts.in;
    layer.out = facts.out;
    layer.bias = facts.bias;
    layer.params = facts.params;
    if (facts.nonTrainable !== undefined) layer.nonTrainable = facts.nonTrainable;
    if (facts.activationUnknown) layer.activationUnknown = true;
    if (facts.activation) {
      layer.activation = facts.activation;
      const activationPosition = (declared.inner?.spec ?? spec).positional.indexOf('activation');
      const activationArg = layer.args.find((arg) => arg.name === 'activation') ?? (activationPosition >= 0 ? layer.args.filter((arg) => arg.name === undefined)[activationPosition] : undefined);
      if (activationArg) layer.activationSpan = activationArg.valueSpan;
    }
    if (facts.rate !== undefined) layer.rate = facts.rate;
    if (facts.kernelSize !== undefined) layer.kernelSize = facts.kernelSize;
    if (layer.wrapper?.kind === 'bidirectional') layer.wrapper.mergeMode = facts.mergeMode ?? null;
    if (facts.bias) layer.biasInit = this.initializer(own.call, 'bias_initializer', undefined, scope, own.parsed) ?? ZEROS_INIT;
    return { declared, outShape: facts.outShape };
  }

  /**
   * Sets the sizes and parameter count a declared layer has on the shape that reaches it, and gives its output
   * shape. A shape the layer declares (`input_shape=`) wins unless `reached` says the flow's shape is the real one.
   */
  size(declared: DeclaredLayer, inShape: Shape | null, reached = false): Shape | null {
    const facts = this.facts(declared, inShape, reached);
    declared.layer.in = facts.in;
    declared.layer.out = facts.out;
    declared.layer.params = facts.params;
    if (facts.nonTrainable !== undefined) declared.layer.nonTrainable = facts.nonTrainable;
    return facts.outShape;
  }

  private facts(declared: DeclaredLayer, inShape: Shape | null, reached = false): KerasLayerFacts & { mergeMode?: MergeMode | null } {
    const shape = (reached ? null : shapeOption(declared.options, declared.spec)) ?? inShape;
    const { inner } = declared;
    return inner ? kerasWrapperFacts(declared.spec, declared.options, inner.spec, inner.options, shape, 'keras') : kerasLayerFacts(declared.spec, declared.options, shape, 'keras');
  }

  /** A layer with everything its call says before any shape reaches it: constructor, arguments, initializers. */
  private newLayer(call: SyntaxNode, spec: KerasLayerSpec, index: number, args: Arg[], parsed: CallArgs, scope: MapScope): Layer {
    const { source } = this.ctx;
    const list = call.lastChild;
    const layer: Layer = {
      index,
      kind: spec.kind,
      ctor: source.of(call.firstChild!),
      span: spanOf(call),
      calleeSpan: spanOf(call.firstChild!),
      args,
      ...(list?.name === 'ArgList' ? { argsSpan: { start: list.from + 1, end: Math.max(list.from + 1, list.to - 1) } } : {}),
      in: null,
      out: null,
      bias: null,
      params: null,
    };
    const key = spec.kind === 'embedding' ? 'embeddings_initializer' : 'kernel_initializer';
    const init = this.initializer(call, key, undefined, scope, parsed) ?? defaultKernelInit(spec, 'keras');
    if (init) layer.init = init;
    return layer;
  }

  layer(call: SyntaxNode, spec: KerasLayerSpec, index: number, inShape: Shape | null, scope: MapScope): { layer: Layer; outShape: Shape | null } {
    const { declared, outShape } = this.declare(call, spec, index, scope, inShape);
    return { layer: declared.layer, outShape };
  }

  /**
   * A layer the IR cannot see into: an instance of a class of this file (`ref`), of a layer class from elsewhere,
   * or an expression that picks one (`a if flag else b`).
   */
  unknownLayer(node: SyntaxNode, index: number, ref: string | undefined, scope: MapScope): Layer {
    const call = node.name === 'CallExpression';
    const { args, options } = call ? this.options(node, undefined, scope) : { args: [], options: {} };
    const callee = call ? node.firstChild! : node;
    const list = node.lastChild;
    return {
      index,
      kind: 'unknown',
      ctor: this.ctx.source.of(callee),
      ...(typeof options['name'] === 'string' ? { name: options['name'] } : {}),
      span: spanOf(node),
      calleeSpan: spanOf(callee),
      args,
      ...(call && list?.name === 'ArgList' ? { argsSpan: { start: list.from + 1, end: Math.max(list.from + 1, list.to - 1) } } : {}),
      in: null,
      out: null,
      bias: null,
      params: null,
      ...(ref ? { ref } : {}),
    };
  }
}

/** What a TensorFlow or Keras function does with the tensors passed to it. */
export type KerasFunction =
  | { op: 'add' | 'mul' }
  /** The default axis; null when the call must name one (`tf.concat`). */
  | { op: 'concat'; axis: number | null }
  | { op: 'activation'; activation: ActivationFn }
  /** `tf.nn.dropout`, which has no training flag: it drops at inference too. */
  | { op: 'dropout' }
  /** Shape queries give numbers, not tensors on the data path. */
  | { op: 'shape' };

const KERAS_FUNCTIONS: ReadonlyMap<string, KerasFunction> = new Map<string, KerasFunction>([
  ['keras.layers.add', { op: 'add' }],
  ['keras.layers.multiply', { op: 'mul' }],
  ['keras.layers.concatenate', { op: 'concat', axis: -1 }],
  ['keras.ops.add', { op: 'add' }],
  ['keras.ops.multiply', { op: 'mul' }],
  ['keras.ops.concatenate', { op: 'concat', axis: 0 }],
  ['keras.backend.concatenate', { op: 'concat', axis: -1 }],
  ['tf.add', { op: 'add' }],
  ['tf.add_n', { op: 'add' }],
  ['tf.math.add', { op: 'add' }],
  ['tf.math.add_n', { op: 'add' }],
  ['tf.multiply', { op: 'mul' }],
  ['tf.math.multiply', { op: 'mul' }],
  ['tf.concat', { op: 'concat', axis: null }],
  ['tf.nn.dropout', { op: 'dropout' }],
  ['tf.shape', { op: 'shape' }],
  ['tf.rank', { op: 'shape' }],
  ['tf.size', { op: 'shape' }],
  ['keras.ops.shape', { op: 'shape' }],
  ['keras.ops.size', { op: 'shape' }],
  ['keras.backend.shape', { op: 'shape' }],
  ['keras.backend.int_shape', { op: 'shape' }],
]);

/** Namespaces whose functions named like an activation (`tf.nn.relu`, `keras.ops.softmax`) apply it. */
const ACTIVATION_NAMESPACES: ReadonlySet<string> = new Set(['tf.nn', 'tf.math', 'keras.activations', 'keras.ops', 'keras.ops.nn', 'keras.backend']);

/** The function a qualified name calls, if the flow knows what it does. */
export function kerasFunction(qualified: string): KerasFunction | undefined {
  const known = KERAS_FUNCTIONS.get(qualified);
  if (known) return known;
  const dot = qualified.lastIndexOf('.');
  const namespace = qualified.slice(0, dot);
  const fn = qualified.slice(dot + 1);
  if (!ACTIVATION_NAMESPACES.has(namespace) && !(namespace === 'tf' && (fn === 'sigmoid' || fn === 'tanh'))) return undefined;
  const activation = activationFromName(fn);
  return activation ? { op: 'activation', activation } : undefined;
}

/** Keyword arguments of a layer or function call that are flags, not data: `training=training`, `mask=mask`. */
export const FLAG_KEYWORDS: ReadonlySet<string> = new Set(['training', 'mask']);

/**
 * The scope tests and assignments are evaluated in: the walk's constants, and `x.shape` of a tensor whose shape is
 * known, batch first (`if x.shape[-1] != filters:` in a residual block). An unknown size is unknown, not None.
 */
class TensorShapeScope implements ConstScope {
  constructor(
    private readonly inner: MapScope,
    private readonly env: ReadonlyMap<string, Value>,
  ) {}

  lookup(name: string): ConstValue | undefined {
    const own = this.inner.lookup(name);
    if (own !== undefined || !name.endsWith('.shape')) return own;
    const value = this.env.get(name.slice(0, -'.shape'.length));
    return value?.t === 'tensor' && value.shape ? [null, ...value.shape.map((size) => size ?? UNKNOWN)] : undefined;
  }

  helper(name: string): { fn: SyntaxNode; scope: ConstScope } | undefined {
    return this.inner.helper(name);
  }

  qualify(dotted: string): string | undefined {
    return this.inner.qualify(dotted);
  }
}

/** Reads the Keras models and their compile/fit facts in one scope (module level or one function body). */
class KerasScope {
  private env = new Map<string, Value>();

  /** The scope values are read in: the constants, and the shapes of the tensors the names hold now. */
  private get valueScope(): ConstScope {
    return new TensorShapeScope(this.scope, this.env);
  }

  private readonly flow: FlowNode[] = [];
  private readonly layers: Layer[] = [];
  /** The layer each constructed layer object is: applied twice, it shares its weights; constructed again, it does not. */
  private readonly layerOfValue = new Map<LayerValue, Layer>();
  private readonly reader: KerasLayerReader;
  private readonly sequentials: SequentialBuilder[] = [];
  /** Loop iterations walked one by one so far (see walkLoop). */
  private unrolled = 0;
  /** How many loops walked once for all their iterations enclose the statement being walked. */
  private loopsWalkedOnce = 0;
  /** How many branches that may not run (an `if` of unknown test, a `while` body) enclose it. */
  private branches = 0;

  constructor(
    private readonly ctx: FileContext,
    private scope: MapScope,
    private readonly functionName: string | undefined,
    private readonly facts: KerasFacts,
    /** Variable → name of the model it holds. */
    private readonly modelsByVariable: Map<string, string>,
  ) {
    this.reader = new KerasLayerReader(ctx);
  }

  run(statements: SyntaxNode[]): void {
    this.walk(statements, 0);
    for (const builder of this.sequentials) this.finishSequential(builder);
  }

  private walk(statements: SyntaxNode[], depth: number): void {
    if (depth > 8) return;
    for (const statement of statements) {
      if (statement.name === 'AssignStatement') {
        const parts = assignmentParts(statement);
        if (!parts?.value) continue;
        const value = this.eval(parts.value, parts.targets[0]);
        for (const target of parts.targets) {
          const name = this.heldName(target);
          if (name === undefined) continue;
          // Set in a branch, or in a helper walked for a call, the variable holds no one expression of this scope.
          if (parts.targets.length === 1 && this.inlining.length === 0 && this.branches === 0) this.bound.set(name, parts.value);
          else this.bound.delete(name);
          if (value) this.env.set(name, value);
          else this.env.delete(name);
          if (value?.t === 'sequential' && value.builder.variable === undefined) {
            value.builder.variable = name;
            value.builder.nameSpan = spanOf(target);
          }
          if (value?.t === 'model') this.modelsByVariable.set(name, value.model.name);
          // `model = MyModel()`: an instance of a subclassed model, which compile and fit calls may train.
          if (value?.t === 'layer' && value.ref !== undefined) this.modelsByVariable.set(name, value.ref);
          // `model = make_model(...)`: the variable may hold the model that function builds; kerasFacts keeps the
          // link only when it is a top-level function that builds exactly one.
          const factory = value ? undefined : this.factoryCalled(parts.value);
          if (factory !== undefined) this.modelsByVariable.set(name, factory);
        }
        this.scope.set(this.ctx.source.of(parts.targets[0]!), this.ctx.evaluate(parts.value, this.valueScope));
      } else if (statement.name === 'UpdateStatement') {
        this.update(statement);
      } else if (statement.name === 'ExpressionStatement' && statement.firstChild) {
        this.eval(statement.firstChild, undefined);
      } else if (statement.name === 'ReturnStatement') {
        const value = meaningfulChildren(statement).find((child) => child.name !== 'return');
        const returned = value ? this.eval(value, undefined) : undefined;
        this.returned?.push(returned);
      } else if (statement.name === 'ForStatement' || statement.name === 'WhileStatement') {
        this.walkLoop(statement, depth);
      } else if (statement.name === 'IfStatement') {
        this.walkIf(statement, depth);
      } else if (COMPOUND.has(statement.name)) {
        for (const body of statement.getChildren('Body')) this.walk(statementsOf(body), depth + 1);
      }
    }
  }

  /**
   * Walks a loop. A `for` loop over known values whose body reads its targets or changes a known constant
   * (`units //= 2`) is walked once per value, each iteration with its own constants. Otherwise the body is walked
   * once: when the loop runs a known number of times (`for _ in range(6)`), what it added to a Sequential is added that
   * many times over, in order; when not, how many times stays unknown.
   */
  private walkLoop(statement: SyntaxNode, depth: number): void {
    const { source } = this.ctx;
    const before = new Map(this.sequentials.map((builder) => [builder, builder.elements.length]));
    const [body, orElse] = statement.getChildren('Body');
    const { iterable, targets } = statement.name === 'ForStatement' ? forParts(source, statement) : { iterable: undefined, targets: [] };
    const assigned = assignedNames(source, statement);
    const values = iterable ? loopValues(source, iterable, this.scope) : null;
    const varies = body !== undefined && (readsTargets(source, body, targets) || assigned.some((name) => isKnownConstant(this.scope.lookup(name))));
    if (values && varies && values.length <= MAX_UNROLLED_ADDS && this.unrolled + values.length <= MAX_UNROLLED_ITERATIONS) {
      this.unrolled += values.length;
      for (const value of values) {
        bindTargets(source, this.scope, targets, value);
        this.walk(statementsOf(body!), depth + 1);
      }
      if (orElse) this.walk(statementsOf(orElse), depth + 1);
      return;
    }
    const firstLayer = this.layers.length;
    const bound = new Map([...this.env].filter(([, value]) => value.t === 'tensor'));
    // Walked once, the targets hold no one value: not what a name of the same spelling held before the loop.
    bindTargets(source, this.scope, targets, UNKNOWN);
    const constants = new Map(assigned.map((name) => [name, this.scope.lookup(name)]));
    const mayNotRun = statement.name === 'WhileStatement' ? 1 : 0;
    this.loopsWalkedOnce++;
    this.branches += mayNotRun;
    if (body) this.walk(statementsOf(body), depth + 1);
    this.loopsWalkedOnce--;
    this.branches -= mayNotRun;
    if (orElse) this.walk(statementsOf(orElse), depth + 1);
    const bounds = rangeBounds(source, iterable, this.scope);
    const count = bounds ? rangeLength(bounds) : values && !varies ? values.length : null;
    if (count !== 1 && !this.repeatFunctionalLayers(firstLayer, count, bound, constants)) {
      // Later iterations add layers with other constants, not known here.
      for (const builder of this.sequentials) for (const element of builder.elements.slice(before.get(builder) ?? 0)) element.scope = this.scope.snapshot();
    }
    if (count !== null && count <= MAX_UNROLLED_ADDS) {
      for (const builder of this.sequentials) {
        const start = before.get(builder) ?? 0;
        const added = builder.elements.slice(start);
        if (added.length > 0) builder.elements.splice(start, added.length, ...Array.from({ length: count }, () => added).flat());
      }
      this.settleLoopAdds(before);
      return;
    }
    for (const builder of this.sequentials) for (const element of builder.elements.slice(before.get(builder) ?? 0)) builder.unresolved.add(element);
  }

  /** What a loop of known length added to a Sequential in no branch is there as often as it is listed now. */
  private settleLoopAdds(before: ReadonlyMap<SequentialBuilder, number>): void {
    for (const builder of this.sequentials) {
      for (const element of builder.elements.slice(before.get(builder) ?? 0)) if (!builder.unresolved.has(element)) builder.uncertain.delete(element);
    }
  }

  /**
   * Walks an `if` statement: only the branch that runs when its tests are known; otherwise each branch that may run,
   * from the state before the statement, and what they leave behind is joined: a constant the branches leave with
   * different values is unknown after, and so is the shape of a tensor they leave with different shapes.
   */
  private walkIf(statement: SyntaxNode, depth: number): void {
    const items = childrenOf(statement);
    const assigned = assignedNames(this.ctx.source, statement);
    type State = Map<string, { constant: ConstValue | undefined; value: Value | undefined }>;
    const capture = (): State => new Map(assigned.map((name) => [name, { constant: this.scope.lookup(name), value: this.env.get(name) }]));
    const start = capture();
    const outcomes: State[] = [];
    let covered = false;
    for (let index = 0; index < items.length && !covered; index++) {
      const keyword = items[index]!.name;
      if (keyword !== 'if' && keyword !== 'elif' && keyword !== 'else') continue;
      const body = items.slice(index + 1).find((item) => item.name === 'Body');
      if (!body) continue;
      const test = keyword === 'else' ? true : truthy(this.ctx.evaluate(items[index + 1], this.valueScope));
      if (test === false) continue;
      if (test === true && outcomes.length === 0) {
        this.walk(statementsOf(body), depth + 1);
        return;
      }
      for (const [name, { constant, value }] of start) {
        this.scope.set(name, constant ?? UNKNOWN);
        if (value) this.env.set(name, value);
        else this.env.delete(name);
      }
      this.branches++;
      this.walk(statementsOf(body), depth + 1);
      this.branches--;
      outcomes.push(capture());
      covered = test === true;
    }
    if (outcomes.length === 0) return;
    // Without an else, no branch may run at all.
    if (!covered) outcomes.push(start);
    for (const name of assigned) {
      const constants = outcomes.map((outcome) => outcome.get(name)!.constant);
      const first = constants[0];
      const agreed = constants.every((constant) => (constant === undefined ? first === undefined : first !== undefined && constKey(constant) === constKey(first)));
      this.scope.set(name, agreed && first !== undefined ? first : UNKNOWN);
      const last = this.env.get(name);
      const values = outcomes.map((outcome) => outcome.get(name)!.value);
      if (last?.t === 'tensor' && values.some((value) => value?.t !== 'tensor' || JSON.stringify(value.shape) !== JSON.stringify(last.shape))) this.env.set(name, { ...last, shape: null });
      // A layer made in only some branches, or another one in each, is no one layer after the statement.
      if (last?.t === 'layer' && values.some((value) => value !== last)) this.env.delete(name);
    }
  }

  /**
   * The functional layers a loop's body made, walked once, stand for `count` iterations (null: not known). When the
   * body left the constants it reads and the shapes of the tensors it carries as they were, every iteration makes
   * the same layers: each is repeated `count` times, and this is true. Otherwise what later iterations make is not
   * known: their layers' sizes are unknown, and so are the constants and tensor shapes the loop changed.
   */
  private repeatFunctionalLayers(firstLayer: number, count: number | null, bound: ReadonlyMap<string, Value>, constants: ReadonlyMap<string, ConstValue | undefined>): boolean {
    // A name that holds no known value before or after (a tensor's variable) carries nothing the sizes read.
    const changedConstants = [...constants]
      .filter(([name, before]) => {
        const after = this.scope.lookup(name);
        return (isKnownConstant(before) || isKnownConstant(after)) && (before === undefined || after === undefined || constKey(before) !== constKey(after));
      })
      .map(([name]) => name);
    const changedTensors = [...bound].filter(([name, value]) => {
      const now = this.env.get(name);
      return now !== value && (now?.t !== 'tensor' || value.t !== 'tensor' || JSON.stringify(now.shape) !== JSON.stringify(value.shape));
    });
    const same = changedConstants.length === 0 && changedTensors.length === 0;
    for (const layer of this.layers.slice(firstLayer)) {
      const times = same && count !== null && count > 0 && layer.repeat !== null ? count * (layer.repeat === undefined ? 1 : layer.repeat) : null;
      layer.repeat = times;
      if (!same) Object.assign(layer, { in: null, out: null, params: layer.params === 0 ? 0 : null });
    }
    if (same) return true;
    for (const name of changedConstants) this.scope.set(name, UNKNOWN);
    for (const [name] of changedTensors) {
      const now = this.env.get(name);
      if (now?.t === 'tensor') this.env.set(name, { ...now, shape: null });
    }
    return false;
  }

  /**
   * The name a call such as `make_model(...)` calls. Whether that is a function building a model is left to
   * kerasFacts: a scope's facts depend only on its own text and what it reads, so that they can be reused.
   */
  private factoryCalled(value: SyntaxNode): string | undefined {
    const callee = value.name === 'CallExpression' ? value.firstChild : null;
    if (callee?.name !== 'VariableName') return undefined;
    const name = this.ctx.source.of(callee);
    const fn = this.ctx.topLevelFunction(name);
    // The function's model is read with its defaults: called with other arguments it builds another model
    // (`make_classifier(output_activation=None)`), which compile and fit calls on it must not be judged against.
    return fn && !this.calledWithDefaults(fn, callArgs(this.ctx.source, value)) ? undefined : name;
  }

  /** Whether a call passes each parameter of a function with a default nothing but that default, as far as is known. */
  private calledWithDefaults(fn: SyntaxNode, parsed: CallArgs): boolean {
    const params = parameterList(this.ctx.source, childNamed(fn, 'ParamList'));
    if (parsed.splat || parsed.positional.length > params.length) return false;
    if ([...parsed.keywords.keys()].some((keyword) => !params.some((param) => param.name === keyword))) return false;
    return params.every(({ name, defaultValue }, position) => {
      const passed = parsed.keywords.get(name)?.value ?? parsed.positional[position];
      // A parameter without a default was unknown when the function was read: any value only tells more.
      if (!passed || !defaultValue) return true;
      const value = this.ctx.evaluate(passed, this.scope);
      const fallback = this.ctx.evaluate(defaultValue, this.ctx.moduleScope);
      return !isUnknown(value) && !isUnknown(fallback) && constKey(value) === constKey(fallback);
    });
  }

  private node(op: FlowNode['op'], inputs: number[], span: Span, extra: Partial<FlowNode> = {}): number {
    const id = this.flow.length;
    this.flow.push({ id, op, inputs, span, ...extra });
    return id;
  }

  private nesting = 0;

  private tensorsOf(node: SyntaxNode | undefined): Tensor[] {
    if (!node || this.nesting > 200) return [];
    this.nesting++;
    try {
      if (node.name === 'ArrayExpression' || node.name === 'TupleExpression') return meaningfulChildren(node).flatMap((item) => this.tensorsOf(item));
      const value = this.eval(node, undefined);
      return value?.t === 'tensor' ? [value] : [];
    } finally {
      this.nesting--;
    }
  }

  /**
   * The flow nodes of a functional model's outputs: one tensor, or a list, tuple or dict of them. An output the flow
   * cannot read (a list built in a loop, `**heads`) becomes a layer of unknown size, so the model's size is unknown
   * rather than that of the outputs it could read.
   */
  private outputIds(node: SyntaxNode): number[] {
    const ids: number[] = [];
    const unreadable = (expression: SyntaxNode) => {
      const layer = this.reader.unknownLayer(expression, this.layers.length, undefined, this.scope);
      this.layers.push(layer);
      ids.push(this.node('layer', [], spanOf(expression), { layer: layer.index }));
    };
    const visit = (expression: SyntaxNode, depth: number): void => {
      if (expression.name === 'ArrayExpression' || expression.name === 'TupleExpression') {
        for (const item of meaningfulChildren(expression)) visit(item, depth + 1);
        return;
      }
      if (expression.name === 'DictionaryExpression') {
        // A `**mapping` holds outputs the flow cannot see.
        for (const { value, spread } of dictionaryItems(expression)) {
          if (spread) unreadable(value);
          else visit(value, depth + 1);
        }
        return;
      }
      const value = depth > 200 ? undefined : this.eval(expression, undefined);
      if (value?.t === 'tensor') ids.push(value.id);
      else unreadable(expression);
    };
    visit(node, 0);
    return ids;
  }

  private eval(node: SyntaxNode, target: SyntaxNode | undefined): Value | undefined {
    // Pathological nesting (generated code, fuzzing) must not exhaust the stack.
    if (this.nesting > 200) return undefined;
    this.nesting++;
    try {
      return this.evalNode(node, target);
    } finally {
      this.nesting--;
    }
  }

  private evalNode(node: SyntaxNode, target: SyntaxNode | undefined): Value | undefined {
    const { source, names } = this.ctx;
    switch (node.name) {
      case 'VariableName':
        return this.env.get(source.of(node));
      case 'ParenthesizedExpression': {
        const inner = meaningfulChildren(node)[0];
        return inner ? this.eval(inner, target) : undefined;
      }
      case 'BinaryExpression':
        return this.binary(node);
      case 'UnaryExpression': {
        const operand = childrenOf(node)[1];
        const value = this.flow.length > 0 && operand ? this.eval(operand, undefined) : undefined;
        return value?.t === 'tensor' ? value : undefined;
      }
      case 'MemberExpression': {
        // Only a subscript (`x[:, 0]`, lezer's MemberExpression with brackets) of a tensor is on the data path.
        const value = this.flow.length > 0 && node.firstChild && childNamed(node, '[') ? this.eval(node.firstChild, undefined) : undefined;
        return value?.t === 'tensor' ? { t: 'tensor', id: this.node('opaque', [value.id], spanOf(node), { label: 'index' }), shape: null } : undefined;
      }
      case 'CallExpression':
        break;
      default:
        return undefined;
    }
    const callee = node.firstChild!;
    const qualified = names.qualifiedOf(callee) ?? '';
    // Most calls a walk meets are not Keras (PyTorch methods mention `Sequential` too): their arguments are not read.
    let parsed: CallArgs | undefined;
    const args = () => (parsed ??= callArgs(source, node));
    if (SEQUENTIAL.has(qualified)) {
      // `obj.stem = keras.Sequential([...])` is no variable of this scope. (In a subclassed model's methods, which
      // keras-class.ts reads, `self.stem` is a part; in a plain class, as a DQN agent's `self.model`, a model.)
      const held = target ? this.heldName(target) : undefined;
      if (target?.name === 'MemberExpression' && held === undefined) return undefined;
      const list = args().keywords.get('layers')?.value ?? args().positional[0];
      const builder: SequentialBuilder = {
        call: node,
        elements: list ? listElements(source, list).map((element) => ({ node: this.layerCallOf(element), scope: this.scope.snapshot() })) : [],
        uncertain: new Set(),
        unresolved: new Set(),
        nameSpan: target ? spanOf(target) : spanOf(callee),
        ...(held !== undefined ? { variable: held } : {}),
      };
      this.sequentials.push(builder);
      return { t: 'sequential', builder };
    }
    if (INPUT.has(qualified)) {
      const options: Record<string, ConstValue> = {};
      const shapeNode = args().keywords.get('shape')?.value ?? args().positional[0];
      if (shapeNode) options['shape'] = this.ctx.evaluate(shapeNode, this.scope);
      const shape = shapeOption(options);
      return { t: 'tensor', id: this.node('input', [], spanOf(node)), shape };
    }
    if (FUNCTIONAL_MODEL.has(qualified)) {
      const outputs = args().keywords.get('outputs')?.value ?? args().positional[1];
      const inputs = args().keywords.get('inputs')?.value ?? args().positional[0];
      if (!outputs || !inputs) return undefined;
      const model = this.functionalModel(node, this.outputIds(outputs), this.tensorsOf(inputs), target);
      if (isFlatList(outputs)) model.outputList = true;
      const keys = outputKeys(this.ctx, outputs, this.scope);
      if (keys) model.outputKeys = keys;
      this.facts.models.push(model);
      return { t: 'model', model };
    }
    const spec = this.reader.specOf(qualified);
    if (spec) return { t: 'layer', call: node, spec };
    const fn = kerasFunction(qualified);
    if (fn) return this.flow.length > 0 ? this.callFunction(fn, node, args()) : undefined;
    // Applying a layer: `layers.Dense(64)(x)` or `dense(x)`.
    const applied = callee.name === 'CallExpression' || callee.name === 'VariableName' ? this.eval(callee, undefined) : undefined;
    if (applied?.t === 'layer') return this.apply(applied, args(), node);
    // `make_head(2)(x)`: what a call built is applied to tensors, so it is a layer, of a kind and size unknown.
    // One of the file's functions that builds a model (`feed_forward(32, 128)(h)`) makes a layer that is that model.
    if (applied === undefined && callee.name === 'CallExpression' && this.flow.length > 0) {
      const factory = callee.firstChild?.name === 'VariableName' ? source.of(callee.firstChild) : undefined;
      const ref = factory !== undefined && this.ctx.topLevelFunction(factory) ? factory : undefined;
      return this.apply({ t: 'layer', call: callee, ...(ref !== undefined ? { ref } : {}) }, args(), node);
    }
    if (applied?.t === 'sequential' || applied?.t === 'model') return this.apply(this.submodelLayer(applied, callee), args(), node);
    if (callee.name === 'MemberExpression' && this.method(node, callee)) return undefined;
    const layerClass = layerClassOf(this.ctx, callee);
    if (layerClass) return { t: 'layer', call: node, ...layerClass };
    // A block helper of this file (`x = conv_block(x, 32)`): its body, walked with the call's arguments. One that
    // cannot be walked so builds layers the IR does not follow: a layer of unknown size, so the model's size is
    // unknown rather than short of the truth.
    if (this.flow.length > 0 && callee.name === 'VariableName' && this.buildsLayers(source.of(callee))) {
      const inlined = this.inline(source.of(callee), args());
      return inlined ?? this.apply({ t: 'layer', call: node }, args(), node);
    }
    return this.flow.length > 0 ? this.opaque(node, args(), callee, lastSegment(qualified)) : undefined;
  }

  private readonly helpers = new Map<string, string | false>();
  /** Whether a function makes models or inputs of its own (a model factory, not a block): those are its scope's. */
  private buildsModels(fn: SyntaxNode): boolean {
    return this.ctx.nodesIn(fn).calls.some((call) => {
      const qualified = this.ctx.names.qualifiedOf(call.firstChild) ?? '';
      return SEQUENTIAL.has(qualified) || FUNCTIONAL_MODEL.has(qualified) || INPUT.has(qualified);
    });
  }

  /** The helpers being walked for a call (see inline), innermost last. */
  private readonly inlining: string[] = [];
  /** What the return statements of the helper being walked give. */
  private returned: (Value | undefined)[] | undefined;

  /**
   * What a call of a block helper of this file gives: its body walked with its parameters bound to the call's
   * tensors, layers and constants (defaults otherwise), in a scope of its own; the layers it makes are the model's.
   * Undefined when it is not walked (recursion, too deep) or its return statements do not agree on one value.
   */
  private inline(name: string, parsed: CallArgs): Value | undefined {
    const fn = this.ctx.topLevelFunction(name);
    const body = fn ? bodyOf(fn) : null;
    if (!fn || !body || parsed.splat || this.inlining.includes(name) || this.inlining.length >= MAX_INLINED_DEPTH || this.buildsModels(fn)) return undefined;
    const { scope, passed } = this.ctx.bindArguments(childNamed(fn, 'ParamList'), parsed, this.scope);
    // The tensors and layers it is given, by parameter.
    const env = new Map<string, Value>();
    for (const { name: param, argument } of passed) {
      const value = argument ? this.eval(argument, undefined) : undefined;
      if (value) env.set(param, value);
    }
    // A block is applied to tensors; a call without any builds nothing on the data path.
    if (![...env.values()].some((value) => value.t === 'tensor')) return undefined;
    const saved = { env: this.env, scope: this.scope, returned: this.returned };
    this.env = env;
    this.scope = scope;
    this.returned = [];
    this.inlining.push(name);
    let returned: (Value | undefined)[];
    try {
      this.walk(statementsOf(body), this.inlining.length);
      returned = this.returned;
    } finally {
      this.inlining.pop();
      this.env = saved.env;
      this.scope = saved.scope;
      this.returned = saved.returned;
    }
    const first = returned[0];
    if (!first || returned.some((value) => value !== first)) return undefined;
    return first;
  }

  /** Whether a top-level function of the file constructs Keras layers (a block helper such as `conv_block`). */
  private buildsLayers(name: string): boolean {
    let known = this.helpers.get(name);
    if (known === undefined) {
      known = helperFootprint(this.ctx, name);
      this.helpers.set(name, known);
    }
    return known !== false;
  }

  /** The top-level functions the walk asked about, each with its footprint (see helperFootprint): what it read elsewhere. */
  get helpersRead(): ReadonlyMap<string, string | false> {
    return this.helpers;
  }

  /** `width *= 2` changes a constant; `x += shortcut` adds to a tensor as `x = x + shortcut` does. */
  private update(statement: SyntaxNode): void {
    const update = updatedConstant(this.ctx.source, statement, this.scope);
    if (!update) return;
    const { parts } = update;
    this.scope.set(update.name, update.value);
    const before = this.env.get(update.name);
    const after = this.flow.length > 0 ? this.combine(before, parts.operator, this.eval(parts.value, undefined), spanOf(statement)) : undefined;
    if (after) this.env.set(update.name, after);
    else this.env.delete(update.name);
  }

  private binary(node: SyntaxNode): Value | undefined {
    const [left, operator, right] = childrenOf(node);
    if (this.flow.length === 0 || !left || !operator || !right) return undefined;
    return this.combine(this.eval(left, undefined), this.ctx.source.of(operator), this.eval(right, undefined), spanOf(node));
  }

  /**
   * The value of `a op b`, where either side may be a tensor of the flow: `a + b` of two tensors is a merge; a tensor
   * shifted or scaled by anything else keeps its data flow.
   */
  private combine(a: Value | undefined, op: string, b: Value | undefined, span: Span): Value | undefined {
    if (a?.t === 'tensor' && b?.t === 'tensor') {
      const ids = [...new Set([a.id, b.id])];
      if (op === '+' || op === '-') return { t: 'tensor', id: this.node('add', ids, span), shape: mergedShape('add', [a, b]) };
      if (op === '*') return { t: 'tensor', id: this.node('mul', ids, span), shape: mergedShape('mul', [a, b]) };
      return { t: 'tensor', id: this.node('opaque', ids, span, { label: op === '@' ? 'matmul' : op }), shape: null };
    }
    if (a?.t === 'tensor' && ['+', '-', '*', '/'].includes(op)) return a;
    if (b?.t === 'tensor' && ['+', '*'].includes(op)) return b;
    const tensor = a?.t === 'tensor' ? a : b?.t === 'tensor' ? b : undefined;
    return tensor ? { t: 'tensor', id: this.node('opaque', [tensor.id], span, { label: op === '@' ? 'matmul' : op }), shape: null } : undefined;
  }

  /**
   * Tensors passed to a call as data, positional and keyword arguments without flags such as `training=`, each
   * read once; `first` are those of the first argument, a layer's inputs.
   */
  private dataArguments(parsed: CallArgs): { first: Tensor[]; all: Tensor[] } {
    const first = this.tensorsOf(parsed.positional[0]);
    const all = [...first, ...parsed.positional.slice(1).flatMap((arg) => this.tensorsOf(arg))];
    for (const [name, { value }] of parsed.keywords) if (!FLAG_KEYWORDS.has(name)) all.push(...this.tensorsOf(value));
    return { first, all };
  }

  private callFunction(fn: KerasFunction, call: SyntaxNode, parsed: CallArgs): Value | undefined {
    if (fn.op === 'shape') return undefined;
    const inputs = this.dataArguments(parsed).all;
    const span = spanOf(call);
    if (fn.op === 'activation' || fn.op === 'dropout') {
      const first = inputs[0];
      if (!first) return undefined;
      if (fn.op === 'activation') return { t: 'tensor', id: this.node('activation', [first.id], span, { activation: fn.activation }), shape: first.shape };
      const rate = this.ctx.evaluate(parsed.keywords.get('rate')?.value ?? parsed.positional[1], this.scope);
      return { t: 'tensor', id: this.node('dropout', [first.id], span, { rate: typeof rate === 'number' ? rate : null, trainingFlag: false }), shape: first.shape };
    }
    if (inputs.length === 0) return undefined;
    const ids = [...new Set(inputs.map((tensor) => tensor.id))];
    if (fn.op !== 'concat') return { t: 'tensor', id: this.node(fn.op, ids, span), shape: mergedShape(fn.op, inputs) };
    const axisNode = parsed.keywords.get('axis')?.value ?? parsed.positional[1];
    const axis = axisNode ? this.ctx.evaluate(axisNode, this.scope) : fn.axis;
    return { t: 'tensor', id: this.node('concat', ids, span), shape: axis === -1 ? mergedShape('concat', inputs) : null };
  }

  /** A call the flow does not know, on tensors: an opaque node, which claims nothing about what it computes. */
  private opaque(call: SyntaxNode, parsed: CallArgs, callee: SyntaxNode, label: string): Value | undefined {
    const inputs = this.dataArguments(parsed).all;
    const object = callee.name === 'MemberExpression' && callee.firstChild ? this.eval(callee.firstChild, undefined) : undefined;
    if (object?.t === 'tensor') inputs.unshift(object);
    if (inputs.length === 0) return undefined;
    return { t: 'tensor', id: this.node('opaque', [...new Set(inputs.map((tensor) => tensor.id))], spanOf(call), { label: label || 'call' }), shape: null };
  }

  private readonly outShapes = new Map<Layer, Shape | null>();

  /** The layer each model applied inside another stands for; see submodelLayer. */
  private readonly submodels = new Map<SequentialBuilder | Model, LayerValue>();

  /**
   * A model applied to tensors of another (`x = ffn(x)`, an encoder of a siamese network): a layer of the outer model
   * that refers to it, so that its weights count there and its output is no prediction. One layer per model, as
   * every application shares its weights.
   */
  private submodelLayer(value: Value & { t: 'sequential' | 'model' }, callee: SyntaxNode): LayerValue {
    const key = value.t === 'model' ? value.model : value.builder;
    let layer = this.submodels.get(key);
    if (!layer) {
      const ref = value.t === 'model' ? value.model.name : value.builder.variable === undefined ? undefined : this.modelName(value.builder.variable);
      layer = { t: 'layer', call: callee, ...(ref !== undefined ? { ref } : {}) };
      this.submodels.set(key, layer);
    }
    return layer;
  }

  private apply(layerValue: LayerValue, parsed: CallArgs, node: SyntaxNode): Value | undefined {
    const { first, all } = this.dataArguments(parsed);
    const ids = [...new Set(all.map((tensor) => tensor.id))];
    const { spec } = layerValue;
    if (!spec) {
      // A class that is not a Keras layer, called on something other than tensors, is none of the flow's business.
      if (ids.length === 0) return undefined;
      let layer = this.layerOfValue.get(layerValue);
      if (!layer) {
        layer = this.reader.unknownLayer(layerValue.call, this.layers.length, layerValue.ref, this.scope);
        this.layers.push(layer);
        this.layerOfValue.set(layerValue, layer);
      }
      return { t: 'tensor', id: this.node('layer', ids, spanOf(node), { layer: layer.index }), shape: null };
    }
    const merge = { Add: 'add', Concatenate: 'concat', Multiply: 'mul' } as const;
    const mergeOp = merge[spec.className as keyof typeof merge];
    if (mergeOp) {
      const axis = mergeOp === 'concat' ? (this.reader.options(layerValue.call, spec, this.scope).options['axis'] ?? -1) : -1;
      return { t: 'tensor', id: this.node(mergeOp, [...new Set(first.map((tensor) => tensor.id))], spanOf(node)), shape: axis === -1 ? mergedShape(mergeOp, first) : null };
    }
    let layer = this.layerOfValue.get(layerValue);
    if (!layer) {
      const inShape = first.length === 1 ? first[0]!.shape : null;
      const built = this.reader.layer(layerValue.call, spec, this.layers.length, inShape, this.scope);
      layer = built.layer;
      this.outShapes.set(layer, built.outShape);
      this.layers.push(layer);
      this.layerOfValue.set(layerValue, layer);
    }
    return { t: 'tensor', id: this.node('layer', ids, spanOf(node), { layer: layer.index }), shape: this.outShapes.get(layer) ?? null };
  }

  /**
   * What a Sequential is given as a layer: a variable bound to a layer call stands for that call (TensorFlow's
   * `normalizer = layers.Normalization()` adapted, then listed); anything else is read as it is written.
   */
  private layerCallOf(element: SyntaxNode): SyntaxNode {
    const bound = element.name === 'VariableName' ? this.env.get(this.ctx.source.of(element)) : undefined;
    return bound?.t === 'layer' ? bound.call : element;
  }

  /** Reads `model.add(layer)`, `model.compile(...)` and `model.fit(...)`; false for other methods. */
  private method(call: SyntaxNode, callee: SyntaxNode): boolean {
    const { source } = this.ctx;
    const object = callee.firstChild;
    const method = callee.lastChild ? source.of(callee.lastChild) : '';
    const variable = object ? this.heldName(object) : undefined;
    if (variable === undefined) return false;
    const value = this.env.get(variable);
    if (method === 'add' && value?.t === 'sequential') {
      const layer = callArgs(source, call).positional[0];
      const node = layer && this.layerCallOf(layer);
      if (node) {
        // Read with the constants of this point: `units //= 2` after the add changes the next layer, not this one.
        const element = { node, scope: this.scope.snapshot() };
        value.builder.elements.push(element);
        if (this.branches > 0 || this.loopsWalkedOnce > 0) value.builder.uncertain.add(element);
        if (this.branches > 0) value.builder.unresolved.add(element);
      }
      return true;
    }
    if (method === 'compile') this.pendingCompiles.push({ call, variable, bound: new Map(this.bound) });
    else if (method === 'fit') this.pendingFits.push({ call, variable, callee });
    else return false;
    return true;
  }

  /** The compile calls, with the expressions the scope's variables were last set to there (`loss=loss_fn`). */
  readonly pendingCompiles: { call: SyntaxNode; variable: string; bound: ReadonlyMap<string, SyntaxNode> }[] = [];
  /** The expression each variable of the scope was last set to, as the walk goes. */
  private readonly bound = new Map<string, SyntaxNode>();
  readonly pendingFits: { call: SyntaxNode; variable: string; callee: SyntaxNode }[] = [];

  /** The name a variable or an attribute of `self` (`self.model`, kept as written) is held by; undefined for others. */
  private heldName(node: SyntaxNode): string | undefined {
    if (node.name === 'VariableName') return this.ctx.source.of(node);
    if (node.name !== 'MemberExpression' || node.firstChild?.name !== 'VariableName') return undefined;
    const text = this.ctx.source.of(node);
    return /^self\.\w+$/.test(text) ? text : undefined;
  }

  private modelName(variable: string | undefined): string {
    // `self.model` of a DQN agent is known as `model`.
    if (variable?.startsWith('self.')) return variable.slice('self.'.length);
    if (this.functionName && (variable === undefined || variable === 'model')) return this.functionName;
    return variable ?? 'model';
  }

  private finishSequential(builder: SequentialBuilder): void {
    const layers: Layer[] = [];
    const flow: FlowNode[] = [{ id: 0, op: 'input', inputs: [], span: spanOf(builder.call) }];
    let shape: Shape | null = null;
    let inputShape: Shape | null = null;
    let known = true;
    for (const added of builder.elements) {
      const { node: element, scope } = added;
      if (INPUT.has(this.ctx.names.qualifiedOf(element.firstChild) ?? '')) {
        const parsed = callArgs(this.ctx.source, element);
        const shapeNode = parsed.keywords.get('shape')?.value ?? parsed.positional[0];
        shape = shapeNode ? shapeOption({ shape: this.ctx.evaluate(shapeNode, scope) }) : null;
        inputShape = shape;
        continue;
      }
      const spec = element.name === 'CallExpression' ? this.reader.spec(element) : undefined;
      if (!spec) {
        // A layer of a class from elsewhere, a `*list` of layers, `a if flag else b`: unknown, but kept, so the
        // model's size is unknown rather than short of the truth.
        known = false;
        const dotted = element.name === 'CallExpression' ? this.ctx.source.dotted(element.firstChild) : undefined;
        const ref = dotted !== undefined && this.ctx.classes.has(dotted) ? dotted : undefined;
        const layer = this.reader.unknownLayer(element, layers.length, ref, scope);
        layers.push(layer);
        flow.push({ id: flow.length, op: 'layer', layer: layer.index, inputs: [flow.length - 1], span: layer.span });
        shape = null;
        continue;
      }
      if (spec.className === 'InputLayer' || spec.className === 'Input') {
        const { options } = this.reader.options(element, spec, scope);
        shape = shapeOption(options);
        inputShape = shape;
        continue;
      }
      const built = this.reader.layer(element, spec, layers.length, shape, scope);
      if (layers.length === 0 && inputShape === null) inputShape = shapeOption(this.reader.options(element, spec, scope).options, spec);
      if (builder.uncertain.has(added)) built.layer.repeat = null;
      layers.push(built.layer);
      flow.push({ id: flow.length, op: 'layer', layer: built.layer.index, inputs: [flow.length - 1], span: built.layer.span });
      shape = built.outShape;
    }
    flow.push({ id: flow.length, op: 'output', inputs: [flow.length - 1], span: spanOf(builder.call) });
    const model = finishModel(this.modelName(builder.variable), builder.call, builder.nameSpan, layers, flow, known, inputShape);
    this.facts.models.push(model);
    if (builder.variable) this.modelsByVariable.set(builder.variable, model.name);
  }

  private functionalModel(call: SyntaxNode, outputs: number[], inputs: { id: number; shape: Shape | null }[], target: SyntaxNode | undefined): Model {
    // Keep the nodes that reach the outputs, renumbered in order.
    const keep = new Set<number>();
    const stack = [...outputs];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (keep.has(id)) continue;
      keep.add(id);
      stack.push(...(this.flow[id]?.inputs ?? []));
    }
    const ids = [...keep].sort((a, b) => a - b);
    const renumber = new Map(ids.map((id, index) => [id, index]));
    const layerIndex = new Map<number, number>();
    const layers: Layer[] = [];
    const flow: FlowNode[] = ids.map((id) => {
      const node = this.flow[id]!;
      const copy: FlowNode = { ...node, id: renumber.get(id)!, inputs: node.inputs.map((input) => renumber.get(input)!) };
      if (node.layer !== undefined) {
        let index = layerIndex.get(node.layer);
        if (index === undefined) {
          index = layers.length;
          layerIndex.set(node.layer, index);
          layers.push({ ...this.layers[node.layer]!, index });
        }
        copy.layer = index;
      }
      return copy;
    });
    flow.push({ id: flow.length, op: 'output', inputs: outputs.map((id) => renumber.get(id)!), span: spanOf(call) });
    const variable = target ? this.heldName(target) : undefined;
    const name = this.modelName(variable);
    const inputShape = inputs.length === 1 ? inputs[0]!.shape : null;
    return finishModel(name, call, target ? spanOf(target) : spanOf(call.firstChild!), layers, flow, true, inputShape);
  }
}

export function finishModel(name: string, call: SyntaxNode, nameSpan: Span, layers: Layer[], flow: FlowNode[], flowKnown: boolean, inputShape: Shape | null): Model {
  return { name, framework: 'keras', span: spanOf(call), nameSpan, layers, flow, flowKnown, inputShape, parameterCount: null, initSpans: [], parameters: [] };
}

const LOSSES: ReadonlyMap<string, LossInfo['kind']> = new Map([
  ['categorical_crossentropy', 'categorical_crossentropy'],
  ['CategoricalCrossentropy', 'categorical_crossentropy'],
  ['sparse_categorical_crossentropy', 'sparse_categorical_crossentropy'],
  ['SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'],
  ['binary_crossentropy', 'binary_crossentropy'],
  ['BinaryCrossentropy', 'binary_crossentropy'],
  ['mse', 'mse'],
  ['mean_squared_error', 'mse'],
  ['MeanSquaredError', 'mse'],
  ['mae', 'mae'],
  ['mean_absolute_error', 'mae'],
  ['MeanAbsoluteError', 'mae'],
  ['huber', 'huber'],
  ['Huber', 'huber'],
  ['kl_divergence', 'kl_div'],
  ['KLDivergence', 'kl_div'],
]);

const OPTIMIZERS: ReadonlyMap<string, OptimizerInfo['kind']> = new Map([
  ['sgd', 'sgd'],
  ['adam', 'adam'],
  ['adamw', 'adamw'],
  ['rmsprop', 'rmsprop'],
  ['adagrad', 'adagrad'],
  ['adadelta', 'adadelta'],
  ['adamax', 'adamax'],
  ['nadam', 'nadam'],
]);

function readCompile(ctx: FileContext, call: SyntaxNode, model: string, scope: MapScope, facts: KerasFacts, bound: ReadonlyMap<string, SyntaxNode>): void {
  const { source, names } = ctx;
  const args = callArgs(source, call);
  // `loss=loss_fn` (the TensorFlow quickstart): the loss object the variable was set to.
  const resolved = (node: SyntaxNode | undefined) => (node?.name === 'VariableName' ? (bound.get(source.of(node)) ?? node) : node);
  const loss = resolved(args.keywords.get('loss')?.value ?? args.positional[1]);
  const optimizer = resolved(args.keywords.get('optimizer')?.value ?? args.positional[0]);
  const readLoss = (node: SyntaxNode, output?: string | number) => {
    const value = ctx.evaluate(node, scope);
    const per = output === undefined ? {} : { output };
    if (typeof value === 'string') {
      facts.losses.push({ kind: LOSSES.get(value) ?? 'other', ctor: source.of(node), span: spanOf(node), fromLogits: false, model, ...per });
      return;
    }
    const target = node.name === 'CallExpression' ? node.firstChild : node;
    const name = lastSegment(names.qualifiedOf(target) ?? '');
    const fromLogitsNode = node.name === 'CallExpression' ? callArgs(source, node).keywords.get('from_logits')?.value : undefined;
    const fromLogits = fromLogitsNode ? ctx.evaluate(fromLogitsNode, scope) : false;
    const kind = LOSSES.get(name);
    if (kind) {
      facts.losses.push({ kind, ctor: source.of(target!), span: spanOf(node), fromLogits: typeof fromLogits === 'boolean' ? fromLogits : null, model, ...per });
    }
  };
  if (loss?.name === 'DictionaryExpression') {
    // One loss per output, keyed by the output's name; a key that is no string literal names no output here.
    for (const { key, value } of dictionaryEntries(ctx, loss, scope)) readLoss(value, key);
  } else if (loss && isFlatList(loss)) {
    // One loss per output, in the order of the outputs.
    meaningfulChildren(loss).forEach((item, position) => readLoss(item, position));
  } else if (loss) {
    readLoss(loss);
  }
  if (optimizer) {
    const value = ctx.evaluate(optimizer, scope);
    if (typeof value === 'string') {
      facts.optimizers.push({ kind: OPTIMIZERS.get(value.toLowerCase()) ?? 'other', ctor: source.of(optimizer), span: spanOf(optimizer), lr: null, weightDecay: value.toLowerCase() === 'adamw' ? 0.004 : 0, model });
    } else if (optimizer.name === 'CallExpression') {
      const name = lastSegment(names.qualifiedOf(optimizer.firstChild) ?? '');
      const kind = OPTIMIZERS.get(name.toLowerCase()) ?? 'other';
      const options = callArgs(source, optimizer);
      const read = (key: string, position?: number): number | null | undefined => {
        const node = options.keywords.get(key)?.value ?? (position === undefined ? undefined : options.positional[position]);
        if (!node) return undefined;
        const result = ctx.evaluate(node, scope);
        return typeof result === 'number' ? result : result === null ? undefined : null;
      };
      const decay = read('weight_decay');
      const clipnorm = read('clipnorm') ?? read('global_clipnorm');
      const clipvalue = read('clipvalue');
      const momentum = read('momentum');
      facts.optimizers.push({
        kind,
        ctor: source.of(optimizer.firstChild!),
        span: spanOf(optimizer),
        lr: read('learning_rate', 0) ?? null,
        // Keras AdamW decays by 0.004 unless told otherwise; the other optimizers default to none.
        weightDecay: decay === undefined ? (kind === 'adamw' ? 0.004 : 0) : decay,
        ...(clipnorm !== undefined ? { clipnorm } : {}),
        ...(clipvalue !== undefined ? { clipvalue } : {}),
        ...(momentum !== undefined ? { momentum } : {}),
        model,
      });
    }
  }
}

/**
 * The keys of outputs written as one dict of single tensors (`{"label": probs, "box": box}`), in order: Keras matches
 * a dict of losses to them. Undefined for any other form, or a key that is no string the evaluator reads.
 */
function outputKeys(ctx: FileContext, node: SyntaxNode, scope: MapScope): string[] | undefined {
  if (node.name !== 'DictionaryExpression') return undefined;
  const keys: string[] = [];
  for (const { key, value, spread } of dictionaryItems(node)) {
    if (spread || !key || value.name === 'ArrayExpression' || value.name === 'TupleExpression' || value.name === 'DictionaryExpression') return undefined;
    const text = ctx.evaluate(key, scope);
    if (typeof text !== 'string') return undefined;
    keys.push(text);
  }
  return keys;
}

/** Whether a node is a list or tuple literal of single items: no `*spread`, no nested list, tuple or dict. */
function isFlatList(node: SyntaxNode): boolean {
  if (node.name !== 'ArrayExpression' && node.name !== 'TupleExpression') return false;
  if (childrenOf(node).some((child) => child.name === '*')) return false;
  return meaningfulChildren(node).every((item) => item.name !== 'ArrayExpression' && item.name !== 'TupleExpression' && item.name !== 'DictionaryExpression');
}

/** The `key: value` entries of a dict literal whose keys are strings; `**mapping` entries are left out. */
function dictionaryEntries(ctx: FileContext, node: SyntaxNode, scope: MapScope): { key: string; value: SyntaxNode }[] {
  return dictionaryItems(node).flatMap(({ key, value }) => {
    const name = key ? ctx.evaluate(key, scope) : undefined;
    return typeof name === 'string' ? [{ key: name, value }] : [];
  });
}

/** A function's parameters: their defaults when given, unknown otherwise (a caller may pass anything). */
function bindDefaults(ctx: FileContext, params: SyntaxNode, scope: MapScope): void {
  for (const { name, defaultValue } of parameterList(ctx.source, params)) {
    scope.set(name, defaultValue ? ctx.evaluate(defaultValue, ctx.moduleScope) : UNKNOWN);
  }
}

/** The module level or one function body, each a scope of its own. */
interface KerasScopeSource {
  statements: SyntaxNode[];
  /** The nodes whose text is all that the scope reads of the file: the function, or the module-level code. */
  pieces: SyntaxNode[];
  functionName?: string;
  params?: SyntaxNode;
}

/**
 * The elements of a Sequential's list: `[a, b]`, and `[Input] + [Dense(64) for _ in range(3)] + [Dense(1)]` joined.
 * What is not a literal list (a comprehension, a variable) is one element, which stands for layers of unknown size.
 */
function listElements(source: Source, list: SyntaxNode, depth = 0): SyntaxNode[] {
  if (list.name === 'ArrayExpression' || list.name === 'TupleExpression') return meaningfulChildren(list);
  const parts = childrenOf(list);
  if (depth < 64 && list.name === 'BinaryExpression' && parts.length === 3 && source.is(parts[1]!, '+')) {
    return [...listElements(source, parts[0]!, depth + 1), ...listElements(source, parts[2]!, depth + 1)];
  }
  return [list];
}

/** Whether a name holds a value the evaluator knows (a tensor's variable holds none). */
function isKnownConstant(value: ConstValue | undefined): boolean {
  return value !== undefined && !isUnknown(value);
}

/** Loops of up to this many iterations that add layers to a Sequential are counted out. */
const MAX_UNROLLED_ADDS = 64;

/** Helpers walked inside helpers at most this deep. */
const MAX_INLINED_DEPTH = 4;

/** Iterations walked one by one in a scope, over all its loops: nested loops multiply. */
const MAX_UNROLLED_ITERATIONS = 1024;

/**
 * What a scope that calls a top-level function depends on of it: its text when it builds layers, as its body is then
 * walked for each call; false when it does not (or there is none).
 */
function helperFootprint(ctx: FileContext, name: string): string | false {
  return buildsKerasLayers(ctx, name) ? ctx.source.of(ctx.topLevelFunction(name)!) : false;
}

/**
 * Whether a top-level function of the file constructs Keras layers (a block helper such as `conv_block`), itself or
 * through the helpers it calls (`residual` calling `conv_block`).
 */
function buildsKerasLayers(ctx: FileContext, name: string, seen: Set<string> = new Set()): boolean {
  const fn = ctx.topLevelFunction(name);
  if (!fn || seen.has(name)) return false;
  seen.add(name);
  const calls = ctx.nodesIn(fn).calls;
  for (const call of calls) {
    const qualified = ctx.names.qualifiedOf(call.firstChild) ?? '';
    // As KerasLayerReader.specOf: classes under keras.layers, not its lower-case functions.
    if (qualified.startsWith('keras.layers.') && /^[A-Z]/.test(lastSegment(qualified)) && kerasLayerSpec(lastSegment(qualified))) return true;
  }
  return calls.some((call) => call.firstChild?.name === 'VariableName' && buildsKerasLayers(ctx, ctx.source.of(call.firstChild), seen));
}

/** Statements whose bodies a scope's walk enters. */
const COMPOUND = new Set(['IfStatement', 'WithStatement', 'TryStatement', 'ForStatement', 'WhileStatement']);
/** The statements a scope's walk reads; it passes over the others (definitions, imports). */
const WALKED = new Set([...COMPOUND, 'AssignStatement', 'ExpressionStatement', 'ReturnStatement']);

/**
 * Whether a function calls anything a scope reads facts from: a Keras API (layers and models included) or a
 * `compile`/`fit` method. Without such a call, reading its body finds nothing.
 */
function callsKeras(ctx: FileContext, node: SyntaxNode): boolean {
  for (const call of ctx.nodesIn(node).calls) {
    const callee = call.firstChild;
    const property = memberProperty(ctx.source, callee);
    if (property === 'compile' || property === 'fit' || ctx.names.qualifiedOf(callee)?.startsWith('keras.')) return true;
  }
  return false;
}

/** Whether a function is a method of a subclassed Keras model or layer, which keras-class.ts reads. */
function isKerasMethod(ctx: FileContext, node: SyntaxNode): boolean {
  const statement = node.parent?.name === 'DecoratedStatement' ? node.parent : node;
  const definition = statement.parent?.parent;
  if (definition?.name !== 'ClassDefinition') return false;
  const name = definitionName(ctx.source, definition);
  return name !== undefined && ctx.classes.get(name)?.node.from === definition.from && ctx.derivesFrom(name, isKerasModelBase);
}

/** Whether a top-level statement defines a PyTorch module class of this file. */
function isTorchModule(ctx: FileContext, statement: SyntaxNode): boolean {
  const definition = definitionOf(statement);
  if (definition?.name !== 'ClassDefinition') return false;
  const name = definitionName(ctx.source, definition);
  return name !== undefined && ctx.classes.get(name)?.node.from === definition.from && isTorchModelClass(ctx, name);
}

/** The module level, then every function that could build or train a Keras model. */
function scopes(ctx: FileContext): KerasScopeSource[] {
  const result: KerasScopeSource[] = [{ statements: ctx.topLevel, pieces: ctx.topLevel.filter((statement) => WALKED.has(statement.name)) }];
  // PyTorch methods are skipped cheaply.
  const kerasLike = /keras|layers\.|Sequential|Input\(|\.compile\(|\.fit\(|\.add\(/;
  // A function's text lies in its top-level statement's: statements that do not look like Keras are not walked, nor
  // PyTorch modules, whose `nn.Sequential` and `self.layers.append` look like Keras but whose methods build no Keras model.
  const functions = ctx.topLevelNodes.flatMap((statement) =>
    kerasLike.test(ctx.text.slice(statement.from, statement.to)) && !isTorchModule(ctx, statement) ? ctx.nodesIn(statement).functions : [],
  );
  for (const node of functions) {
    if (kerasLike.test(ctx.text.slice(node.from, node.to)) && callsKeras(ctx, node) && !isKerasMethod(ctx, node)) {
      const body = bodyOf(node);
      const name = childNamed(node, 'VariableName');
      const params = childNamed(node, 'ParamList');
      if (body) result.push({ statements: statementsOf(body), pieces: [node], ...(name ? { functionName: ctx.source.of(name) } : {}), ...(params ? { params } : {}) });
    }
  }
  return result;
}

/** What one scope adds to the facts, and which variables holding models it sets and reads. */
interface ScopeFacts {
  facts: KerasFacts;
  /** The variables the scope set to models, with the model's name. */
  writes: [string, string][];
  /** The variables read from earlier scopes (by compile and fit calls), with the name of the model they held. */
  reads: Map<string, string | undefined>;
  /** The top-level functions the walk asked about, with their footprints (see helperFootprint). */
  helpers: ReadonlyMap<string, string | false>;
}

/** Reads one scope, given the variables earlier scopes set to models. */
function readScope(ctx: FileContext, source: KerasScopeSource, known: ReadonlyMap<string, string>): ScopeFacts {
  const facts: KerasFacts = { models: [], losses: [], optimizers: [], fits: [] };
  const written = new Map<string, string>();
  const reads = new Map<string, string | undefined>();
  const lookup = (variable: string): string | undefined => {
    if (written.has(variable)) return written.get(variable);
    const model = known.get(variable);
    reads.set(variable, model);
    return model;
  };
  const scope = ctx.scope();
  if (source.params) bindDefaults(ctx, source.params, scope);
  const walker = new KerasScope(ctx, scope, source.functionName, facts, written);
  walker.run(source.statements);
  for (const { call, variable, bound } of walker.pendingCompiles) {
    const model = lookup(variable);
    if (model) readCompile(ctx, call, model, scope, facts, bound);
  }
  for (const { call, variable, callee } of walker.pendingFits) {
    const model = lookup(variable);
    if (!model) continue;
    facts.fits.push({ kind: 'fit', span: spanOf(call), headerSpan: spanOf(callee), zeroGrad: [], backward: [], step: [], clip: [], accumulation: false, models: [model] });
  }
  return { facts, writes: [...written], reads, helpers: walker.helpersRead };
}

interface ScopeEntry {
  /** Where each piece of the scope started when it was read. */
  starts: number[];
  /** What it gave, in the coordinates of that version; handed out only as copies (see handedOut), as models are changed later. */
  facts: KerasFacts;
  writes: ScopeFacts['writes'];
  reads: ScopeFacts['reads'];
  helpers: ScopeFacts['helpers'];
}

/**
 * Keras facts of the scopes of the last version of a document, by the scope's text. A scope's facts depend on its
 * text, on the file's environment, on the models that the variables it reads from earlier scopes hold and on whether
 * the helper functions it calls build layers; while
 * these are unchanged they are copied with their spans moved instead of read again.
 */
export class KerasScopeCache {
  private readonly entries = new VersionCache<ScopeEntry>();

  begin(environment: string): void {
    this.entries.begin(environment);
  }

  end(): void {
    this.entries.end();
  }

  read(ctx: FileContext, source: KerasScopeSource, known: ReadonlyMap<string, string>): ScopeFacts {
    const { pieces } = source;
    // Error recovery may look past a statement, so only error-free code is known by its text.
    if (pieces.some((piece) => ctx.hasErrorsIn(piece))) return readScope(ctx, source, known);
    const texts = pieces.map((piece) => ctx.source.of(piece));
    const key = texts.length === 1 ? texts[0]! : `module\n${texts.map((text) => `${text.length}:${text}`).join('')}`;
    const entry = this.entries.get(key);
    const unchanged = (value: ScopeEntry) =>
      [...value.reads].every(([variable, name]) => known.get(variable) === name) && [...value.helpers].every(([name, footprint]) => helperFootprint(ctx, name) === footprint);
    if (entry && unchanged(entry)) {
      const regions = pieces.map((piece, index) => ({ start: entry.starts[index]!, end: entry.starts[index]! + texts[index]!.length, delta: piece.from - entry.starts[index]! }));
      const facts = unmoved(regions) ? handedOut(entry.facts) : moved(entry.facts, regions);
      if (facts) {
        this.entries.keep(key, entry);
        return { facts, writes: entry.writes, reads: entry.reads, helpers: entry.helpers };
      }
    }
    const part = readScope(ctx, source, known);
    // Every span of a scope's facts lies in its pieces; otherwise it is not kept.
    const regions = pieces.map((piece) => ({ start: piece.from, end: piece.to, delta: 0 }));
    if (!liesWithin(part.facts, regions)) return part;
    this.entries.keep(key, { starts: pieces.map((piece) => piece.from), facts: part.facts, writes: part.writes, reads: part.reads, helpers: part.helpers });
    return { ...part, facts: handedOut(part.facts) };
  }
}

/** Kept facts as the extraction may change them: only their models are filled in later (parameter counts). */
function handedOut(facts: KerasFacts): KerasFacts {
  return { models: facts.models.map(mutableCopy), losses: facts.losses, optimizers: facts.optimizers, fits: facts.fits };
}

/**
 * Gives the compile and fit calls on `model = make_model(...)` the model that function builds, and drops them when
 * it builds none or several: a guess would let the loss rules judge the wrong model.
 */
function linkFactories(ctx: FileContext, facts: KerasFacts): void {
  const modelNames = new Set(facts.models.map((model) => model.name));
  const built = new Map<string, string | undefined>();
  const resolve = (name: string | undefined): string | undefined => {
    if (name === undefined || modelNames.has(name)) return name;
    // Subclassed Keras models are read by keras-class.ts; a call of anything else gave no model.
    if (ctx.classes.has(name)) return name;
    const factory = ctx.topLevelFunction(name);
    if (!factory) return undefined;
    if (!built.has(name)) {
      const inside = facts.models.filter((model) => factory.from <= model.span.start && model.span.end <= factory.to);
      built.set(name, inside.length === 1 ? inside[0]!.name : undefined);
    }
    return built.get(name);
  };
  const linked = <T extends { model?: string | undefined }>(items: T[]): T[] =>
    items.flatMap((item) => {
      if (item.model === undefined) return [item];
      const model = resolve(item.model);
      return model === undefined ? [] : [model === item.model ? item : { ...item, model }];
    });
  facts.losses = linked(facts.losses);
  facts.optimizers = linked(facts.optimizers);
  facts.fits = facts.fits.flatMap((fit) => {
    const models = fit.models.map(resolve);
    if (models.some((model) => model === undefined)) return [];
    return [models.every((model, index) => model === fit.models[index]) ? fit : { ...fit, models: models as string[] }];
  });
}

/** The Keras models, losses, optimizers and fit calls of a file, reusing the facts of unchanged functions when a cache is given. */
export function kerasFacts(ctx: FileContext, cache?: KerasScopeCache): KerasFacts {
  const facts: KerasFacts = { models: [], losses: [], optimizers: [], fits: [] };
  // Cheap test first: files that never mention Keras skip the walk.
  if (!/keras/.test(ctx.text)) return facts;
  const known = new Map<string, string>();
  for (const source of scopes(ctx)) {
    const part = cache ? cache.read(ctx, source, known) : readScope(ctx, source, known);
    facts.models.push(...part.facts.models);
    facts.losses.push(...part.facts.losses);
    facts.optimizers.push(...part.facts.optimizers);
    facts.fits.push(...part.facts.fits);
    for (const [variable, model] of part.writes) known.set(variable, model);
  }
  linkFactories(ctx, facts);
  for (const model of facts.models) {
    let count: number | null = 0;
    for (const layer of model.layers) count = count === null || layer.params === null || layer.repeat === null ? null : count + layer.params * (layer.repeat ?? 1);
    model.parameterCount = count;
  }
  return facts;
}
