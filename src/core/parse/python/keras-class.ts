// Subclassed Keras models and layers: the layers `__init__` and `build` assign to attributes, and the data flow of
// `call()`. A Keras layer learns its input size from the first tensor it is called on, so the flow carries the size
// of each tensor's last axis and sizes each layer at its first call.
import type { SyntaxNode } from '@lezer/common';
import { shapeOption } from '../../ir/keras-layers';
import { UNKNOWN, type ConstValue, type CustomParameter, type FlowNode, type Layer, type Model, type Span } from '../../ir/types';
import type { ClassInfo, FileContext } from './context';
import { FlowInterpreter, MAX_UNROLL, tensorsOf, type FlowValue } from './flow-interpreter';
import { FLAG_KEYWORDS, isKerasInput, kerasFunction, KerasLayerReader, layerClassOf, type DeclaredLayer, type KerasFunction } from './keras';
import { rangeBounds, rangeLength, type MapScope } from './names';
import { liesWithin, moved, mutableCopy, VersionCache } from './reuse';
import { assignmentParts, bodyOf, callArgs, childNamed, childrenOf, comprehensionLength, meaningfulChildren, parameterList, spanOf, statementsOf, unpackedValues, type CallArgs } from './syntax';

const MAX_INLINE_DEPTH = 4;

/** One declared layer: a Keras layer sized at its first call, or a layer the IR cannot see into. */
interface Slot {
  layer: Layer;
  declared?: DeclaredLayer;
  /** The size of its output's last axis, set at its first call. */
  out?: number | null;
}

/** What an attribute of the model holds. */
type Entry = { type: 'layer'; slot: Slot } | { type: 'sequential' | 'list'; items: Entry[]; known: boolean };

/** `features` is the size of the last axis when known; the rest of the shape is not followed. */
type Tensor = { t: 'tensor'; id: number; features: number | null };

type Value = FlowValue<Tensor, Entry>;

const UNKNOWN_VALUE: Value = { t: 'unknown' };
/** Expressions an attribute may be set to that can hold a layer: a name, a call, an attribute or subscript. */
const FOLLOWABLE: ReadonlySet<string> = new Set(['VariableName', 'CallExpression', 'MemberExpression']);
const WEIGHTLESS_NAMESPACES = /^(keras\.(losses|metrics|optimizers|activations|ops|callbacks)|tf\.(nn|math))\./;
const MERGE_LAYERS: Record<string, 'add' | 'mul' | 'concat'> = { Add: 'add', Multiply: 'mul', Concatenate: 'concat' };

/** The last-axis size of a merge: element-wise ops keep one the inputs agree on; concatenation on the last axis adds them. */
function mergedFeatures(op: 'add' | 'mul' | 'concat', inputs: Tensor[], axis: ConstValue): number | null {
  const sizes = inputs.map((input) => input.features);
  if (sizes.length === 0 || !sizes.every((size): size is number => size !== null)) return null;
  if (op !== 'concat') return sizes.every((size) => size === sizes[0]) ? sizes[0]! : null;
  return axis === -1 ? sizes.reduce((a, b) => a + b, 0) : null;
}

/** Builds one subclass of `keras.Model` or `keras.layers.Layer` into a Model. */
export class KerasClassBuilder extends FlowInterpreter<Tensor, Entry> {
  private readonly reader: KerasLayerReader;
  private readonly scope: MapScope;
  private readonly attrs = new Map<string, Entry>();
  /** Attributes set to something the reader does not follow (`self.encoder = encoder`), by the value assigned. */
  private readonly hidden = new Map<string, SyntaxNode>();
  /** Attributes set to a function the flow knows (`self.act = tf.nn.gelu`), with its qualified name. */
  private readonly functionAttributes = new Map<string, string>();
  private readonly slots: Slot[] = [];
  private readonly parameters: CustomParameter[] = [];

  constructor(
    ctx: FileContext,
    private readonly info: ClassInfo,
  ) {
    super(ctx);
    this.reader = new KerasLayerReader(ctx);
    this.scope = ctx.scope();
  }

  build(): Model {
    this.inheritedLayers();
    // Keras creates sublayers in __init__, and those that need the input shape in build().
    for (const name of ['__init__', 'build']) {
      const method = this.info.methods.get(name);
      const body = method ? bodyOf(method) : null;
      if (!method || !body) continue;
      this.bindParams(method, this.scope);
      this.walkInit(statementsOf(body), new Map(), 1, 0);
    }
    this.calledAttributes();
    this.buildFlow();
    for (const slot of this.slots) if (slot.out === undefined) this.size(slot, null);
    // Layers are listed in data-flow order, and each Layer.index is its position in that list.
    const called = new Set<number>();
    for (const node of this.flow) if (node.layer !== undefined) called.add(node.layer);
    const ordered = [...called, ...this.slots.map((_, index) => index).filter((index) => !called.has(index))];
    const position = new Map(ordered.map((index, at) => [index, at]));
    for (const node of this.flow) if (node.layer !== undefined) node.layer = position.get(node.layer)!;
    const layers = ordered.map((index, at) => Object.assign(this.slots[index]!.layer, { index: at }));
    const first = ordered.length > 0 ? this.slots[ordered[0]!]!.declared : undefined;
    return {
      name: this.info.name,
      framework: 'keras',
      span: spanOf(this.info.node),
      nameSpan: spanOf(childNamed(this.info.node, 'VariableName')!),
      layers,
      flow: this.flow,
      flowKnown: this.flowKnown,
      inputShape: first ? shapeOption(first.options, first.spec) : null,
      parameterCount: null,
      initSpans: [],
      parameters: this.parameters,
    };
  }

  /** A base class of this file brings its own layers: the model holds it as a sub-model. */
  private inheritedLayers(): void {
    const list = childNamed(this.info.node, 'ArgList');
    for (const base of list ? childrenOf(list) : []) {
      const name = this.ctx.source.dotted(base);
      if (name !== undefined && this.ctx.classes.has(name)) this.slot({ layer: this.reader.unknownLayer(base, this.slots.length, name, this.scope) }, undefined, 1);
    }
  }

  /**
   * An attribute set to something not followed (an argument, a loaded model) and called like a layer in some
   * method is a layer the IR cannot see into: its weights are the model's too.
   */
  private calledAttributes(): void {
    const methods = [...this.info.methods.values()].map((method) => this.ctx.source.of(method));
    for (const [name, value] of this.hidden) {
      if (!methods.some((text) => text.includes(`self.${name}(`))) continue;
      this.attrs.set(name, this.slot({ layer: this.reader.unknownLayer(value, this.slots.length, undefined, this.scope) }, name, 1));
    }
  }

  /**
   * Whether a value is a Keras or TensorFlow object that holds no weights of the model: a loss, metric, optimizer
   * or an activation function (`self.loss_fn = keras.losses.BinaryCrossentropy()`, `self.act = tf.nn.gelu`).
   */
  private weightless(value: SyntaxNode): boolean {
    const named = value.name === 'CallExpression' ? value.firstChild : value;
    return WEIGHTLESS_NAMESPACES.test(this.ctx.names.qualifiedOf(named) ?? '');
  }

  /** Binds a method's parameters after `self`: their defaults when given, unknown otherwise. */
  private bindParams(method: SyntaxNode, scope: MapScope): void {
    for (const { name, defaultValue } of parameterList(this.ctx.source, childNamed(method, 'ParamList')).slice(1)) {
      scope.set(name, defaultValue ? this.ctx.evaluate(defaultValue, this.ctx.moduleScope) : UNKNOWN);
    }
  }

  // ---- __init__ and build ----

  /** `name` for `self.name`, undefined for anything else. */
  private selfAttribute(node: SyntaxNode | null | undefined): string | undefined {
    if (node?.name !== 'MemberExpression' || node.firstChild?.name !== 'VariableName' || !this.ctx.source.is(node.firstChild, 'self')) return undefined;
    const property = node.lastChild;
    return property?.name === 'PropertyName' ? this.ctx.source.of(property) : undefined;
  }

  /** `repeat` is how many times the statements run: a count, or null when a loop's count is unknown. */
  private walkInit(statements: SyntaxNode[], locals: Map<string, Entry>, repeat: number | null, depth: number): void {
    if (depth > 8) return;
    const { source } = this.ctx;
    for (const statement of statements) {
      switch (statement.name) {
        case 'AssignStatement': {
          const parts = assignmentParts(statement);
          if (!parts?.value) break;
          // `self.gen_g, self.gen_f = gen_g, gen_f` gives each attribute its own value.
          const values = unpackedValues(parts.targets, parts.value);
          parts.targets.forEach((target, index) => {
            const attribute = this.selfAttribute(target);
            const name = attribute ?? (target.name === 'VariableName' ? source.of(target) : undefined);
            if (name === undefined) return;
            const value = values[index];
            const entry = value ? this.entry(value, name, locals, 1) : undefined;
            const entries = attribute === undefined ? locals : this.attrs;
            if (attribute !== undefined) {
              this.hidden.delete(name);
              this.functionAttributes.delete(name);
            }
            if (entry) entries.set(name, entry);
            else {
              entries.delete(name);
              const bound = value && attribute !== undefined && value.name !== 'CallExpression' ? this.ctx.names.qualifiedOf(value) : undefined;
              if (bound !== undefined && kerasFunction(bound)) this.functionAttributes.set(name, bound);
              if (value && attribute !== undefined && !this.weight(value, name) && FOLLOWABLE.has(value.name) && !this.weightless(value)) this.hidden.set(name, value);
            }
            this.scope.set(attribute === undefined ? name : `self.${name}`, repeat === 1 && value ? this.ctx.evaluate(value, this.scope) : UNKNOWN);
          });
          break;
        }
        case 'ExpressionStatement': {
          const call = statement.firstChild;
          if (call?.name === 'CallExpression') this.initCall(call, locals, repeat);
          break;
        }
        case 'ForStatement': {
          const items = childrenOf(statement);
          const iterable = items[items.findIndex((item) => item.name === 'in') + 1];
          const body = childNamed(statement, 'Body');
          const count = this.rangeCount(iterable);
          if (body) this.walkInit(statementsOf(body), locals, count === null || repeat === null ? null : repeat * count, depth + 1);
          break;
        }
        case 'IfStatement':
        case 'WithStatement':
        case 'TryStatement':
        case 'WhileStatement':
          for (const body of statement.getChildren('Body')) this.walkInit(statementsOf(body), locals, repeat, depth + 1);
          break;
        default:
          break;
      }
    }
  }

  /** `self.blocks.append(Block())`, `layers.extend([...])`, `self.stack.add(layers.Dense(8))`, `self.add_weight(...)`. */
  private initCall(call: SyntaxNode, locals: Map<string, Entry>, repeat: number | null): void {
    const { source } = this.ctx;
    const callee = call.firstChild;
    const property = callee?.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName' ? source.of(callee.lastChild) : undefined;
    const owner = callee?.firstChild;
    if (property === 'add_weight' && owner && source.is(owner, 'self')) {
      this.weight(call, `weight${this.parameters.length}`);
      return;
    }
    // `super().__init__(inputs, outputs)`: a functional model built in __init__, whose layers are not followed.
    if (property === '__init__' && owner?.name === 'CallExpression' && source.dotted(owner.firstChild) === 'super') {
      const args = callArgs(source, call);
      const positionalSplat = args.list ? childrenOf(args.list).some((child) => child.name === '*') : false;
      if (args.positional.length > 0 || positionalSplat || args.keywords.has('inputs') || args.keywords.has('outputs')) {
        this.slot({ layer: this.reader.unknownLayer(call, this.slots.length, undefined, this.scope) }, undefined, 1);
      }
      return;
    }
    if (property !== 'append' && property !== 'extend' && property !== 'add') return;
    const attribute = this.selfAttribute(owner);
    const ownerName = attribute ?? (owner?.name === 'VariableName' ? source.of(owner) : undefined);
    const list = ownerName === undefined ? undefined : (attribute === undefined ? locals : this.attrs).get(ownerName);
    if (!list || list.type === 'layer' || (property === 'add') !== (list.type === 'sequential')) return;
    const first = callArgs(source, call).positional[0];
    const elements = property === 'extend' && first && (first.name === 'ArrayExpression' || first.name === 'TupleExpression') ? meaningfulChildren(first) : first ? [first] : [];
    for (const element of elements) {
      const item = this.entry(element, `${ownerName}.${list.items.length}`, locals, 1);
      if (!item) {
        list.known = false;
        continue;
      }
      // An append in a loop adds one layer per iteration: one declared layer, repeated.
      if (repeat !== 1) {
        if (item.type === 'layer') item.slot.layer.repeat = repeat;
        else list.known = false;
      }
      list.items.push(item);
    }
  }

  /**
   * `self.w = self.add_weight(shape=...)` or `tf.Variable(...)`: a weight the class owns, counted when its shape is
   * known. False when the value makes no weight.
   */
  private weight(value: SyntaxNode, name: string): boolean {
    if (value.name !== 'CallExpression') return false;
    const { source } = this.ctx;
    const dotted = source.dotted(value.firstChild);
    const isVariable = this.ctx.names.qualify(dotted) === 'tf.Variable';
    if (dotted !== 'self.add_weight' && !isVariable) return false;
    const args = callArgs(source, value);
    const trainable = args.keywords.get('trainable');
    if (trainable && this.ctx.evaluate(trainable.value, this.scope) === false) return true;
    let shape: (number | null)[] | null = null;
    if (!isVariable) {
      // Keras 3 takes the shape first and Keras 2 the name: only `shape=` is read; without any argument the weight is a scalar.
      const written = args.keywords.get('shape');
      const value = written ? this.ctx.evaluate(written.value, this.scope) : args.positional.length === 0 && !args.splat ? [] : UNKNOWN;
      shape = Array.isArray(value) ? value.map((size) => (typeof size === 'number' ? size : null)) : null;
    }
    this.parameters.push({ name, span: spanOf(value), creator: 'other', scaled: false, initialized: true, usedAsWeight: null, shape });
    return true;
  }

  /** The number of iterations of `range(n)` / `range(a, b[, step])`, or null. */
  protected override rangeCount(node: SyntaxNode | undefined): number | null {
    const bounds = rangeBounds(this.ctx.source, node, this.scope);
    return bounds ? rangeLength(bounds) : null;
  }

  /**
   * What an expression assigned in __init__ holds: a layer, a Sequential, or a list of them. Layers are named by
   * the attribute path (`blocks.0`); without a name (a layer made inside call()) they keep their Keras `name=`.
   */
  private entry(node: SyntaxNode, name: string | undefined, locals: Map<string, Entry>, repeat: number | null): Entry | undefined {
    const child = (key: string | number) => (name === undefined ? undefined : `${name}.${key}`);
    const { source, names } = this.ctx;
    switch (node.name) {
      case 'ParenthesizedExpression': {
        const inner = meaningfulChildren(node)[0];
        return inner ? this.entry(inner, name, locals, repeat) : undefined;
      }
      case 'VariableName':
        return locals.get(source.of(node));
      case 'ArrayExpression':
      case 'TupleExpression': {
        const items: Entry[] = [];
        let known = true;
        meaningfulChildren(node).forEach((element, index) => {
          const item = this.entry(element, child(index), locals, repeat);
          if (item) items.push(item);
          else known = false;
        });
        return { type: 'list', items, known };
      }
      case 'ArrayComprehensionExpression': {
        // `[Block(d) for _ in range(n)]`: one declared layer, repeated n times (the layers it makes are marked so).
        const children = childrenOf(node);
        const element = meaningfulChildren(node)[0];
        const count = comprehensionLength(children, (iterable) => this.rangeCount(iterable));
        const times = count === null || repeat === null ? null : count * repeat;
        const item = element ? this.entry(element, name === undefined ? undefined : `${name}[*]`, locals, times) : undefined;
        return item?.type === 'layer' && element?.name !== 'VariableName' ? { type: 'list', items: [item], known: times !== null } : { type: 'list', items: [], known: false };
      }
      case 'ConditionalExpression': {
        // `keras.Sequential([...]) if stride != 1 else None` holds a layer the IR cannot pick.
        const holdsLayer = childrenOf(node).some((branch) => {
          if (branch.name !== 'CallExpression') return false;
          const qualified = names.qualifiedOf(branch.firstChild) ?? '';
          return qualified === 'keras.Sequential' || this.reader.specOf(qualified) !== undefined || layerClassOf(this.ctx, branch.firstChild!) !== undefined;
        });
        return holdsLayer ? this.slot({ layer: this.reader.unknownLayer(node, this.slots.length, undefined, this.scope) }, name, repeat) : undefined;
      }
      case 'CallExpression':
        break;
      default:
        return undefined;
    }
    const callee = node.firstChild!;
    const qualified = names.qualifiedOf(callee) ?? '';
    if (qualified === 'keras.Sequential') {
      const args = callArgs(source, node);
      const list = args.keywords.get('layers')?.value ?? args.positional[0];
      // A list built elsewhere holds layers that are not followed: the whole Sequential is then one unknown layer.
      if (args.splat || (list && list.name !== 'ArrayExpression' && list.name !== 'TupleExpression')) {
        return this.slot({ layer: this.reader.unknownLayer(node, this.slots.length, undefined, this.scope) }, name, repeat);
      }
      const items: Entry[] = [];
      let known = true;
      for (const element of list ? meaningfulChildren(list) : []) {
        // An input in the list declares the shape; it is no layer.
        const elementName = element.name === 'CallExpression' ? (names.qualifiedOf(element.firstChild) ?? '') : '';
        if (isKerasInput(elementName) || this.reader.specOf(elementName)?.className === 'InputLayer') continue;
        const item = this.entry(element, child(items.length), locals, repeat);
        if (item) items.push(item);
        else known = false;
      }
      return { type: 'sequential', items, known };
    }
    const spec = this.reader.specOf(qualified);
    if (spec) {
      const { declared } = this.reader.declare(node, spec, this.slots.length, this.scope);
      return this.slot({ layer: declared.layer, declared }, name, repeat);
    }
    const layerClass = isKerasInput(qualified) ? undefined : layerClassOf(this.ctx, callee);
    return layerClass ? this.slot({ layer: this.reader.unknownLayer(node, this.slots.length, layerClass.ref, this.scope) }, name, repeat) : undefined;
  }

  private slot(slot: Slot, name: string | undefined, repeat: number | null): Entry {
    if (name !== undefined) slot.layer.name = name;
    if (repeat !== 1) slot.layer.repeat = repeat;
    this.slots.push(slot);
    return { type: 'layer', slot };
  }

  /** Sizes a layer at its first call from the last-axis size that reaches it, and gives the size of its output's. */
  private size(slot: Slot, features: number | null): number | null {
    const { declared } = slot;
    if (!declared) return (slot.out = null);
    // Only the last axis is known: a shape of unknown leading sizes gives layers that read nothing else their sizes.
    // Keras builds a sublayer from the tensor it is called on, whatever `input_shape=` it was given.
    this.reader.size(declared, features === null ? null : [null, features], features !== null);
    const channelsFirst = declared.options['data_format'] === 'channels_first' || declared.inner?.options['data_format'] === 'channels_first';
    return (slot.out = channelsFirst ? null : slot.layer.out);
  }

  // ---- call ----

  private buildFlow(): void {
    const method = this.info.methods.get('call');
    const params = method ? childNamed(method, 'ParamList') : undefined;
    const body = method ? bodyOf(method) : null;
    if (!method || !params || !body) {
      this.flowKnown = false;
      return;
    }
    const env = new Map<string, Value>();
    // Parameters without a default are the inputs; `training=None`, `mask=None` and other defaults are flags.
    for (const { name, defaultValue } of parameterList(this.ctx.source, params).slice(1)) {
      const flag = defaultValue !== undefined || FLAG_KEYWORDS.has(name);
      env.set(name, flag ? { t: 'const', value: defaultValue ? this.ctx.evaluate(defaultValue, this.ctx.moduleScope) : UNKNOWN } : { t: 'tensor', id: this.node('input', [], spanOf(params)), features: null });
    }
    const returned: Value[] = [];
    this.exec(statementsOf(body), env, returned, 0);
    this.node('output', [...new Set(returned.flatMap((value) => tensorsOf(value).map((tensor) => tensor.id)))], spanOf(method));
  }

  private tensor(op: FlowNode['op'], inputs: Tensor[], span: Span, features: number | null, extra: Partial<FlowNode> = {}): Tensor {
    return { t: 'tensor', id: this.node(op, [...new Set(inputs.map((input) => input.id))], span, extra), features };
  }

  protected override unsized(id: number): Tensor {
    return { t: 'tensor', id, features: null };
  }

  protected override loopEntries(value: Value): Entry[] | undefined {
    return value.t === 'module' && value.entry.type !== 'layer' ? this.expand(value.entry) : undefined;
  }

  /** The layers a list or Sequential yields when iterated, with repeated layers unrolled. */
  private expand(entry: Entry): Entry[] {
    if (entry.type === 'layer') return [entry];
    return entry.items.flatMap((item) => {
      const repeat = item.type === 'layer' ? (item.slot.layer.repeat ?? 1) : 1;
      return Array.from({ length: Math.min(Math.max(repeat, 1), MAX_UNROLL) }, () => item);
    });
  }

  protected override combine(op: string, left: Value, right: Value, span: Span): Value {
    if (left.t === 'tensor' && right.t === 'tensor') {
      if (op === '+' || op === '-') return this.tensor('add', [left, right], span, mergedFeatures('add', [left, right], -1));
      if (op === '*') return this.tensor('mul', [left, right], span, mergedFeatures('mul', [left, right], -1));
      return this.tensor('opaque', [left, right], span, null, { label: op === '@' ? 'matmul' : op });
    }
    // A tensor scaled or shifted by a constant or a weight keeps its data flow.
    if (left.t === 'tensor' && ['+', '-', '*', '/'].includes(op)) return left;
    if (right.t === 'tensor' && ['+', '*'].includes(op)) return right;
    if (left.t === 'tensor' || right.t === 'tensor') return this.tensor('opaque', tensorsOf(left.t === 'tensor' ? left : right), span, null, { label: op === '@' ? 'matmul' : op });
    return UNKNOWN_VALUE;
  }

  protected override evalExpression(node: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    switch (node.name) {
      case 'MemberExpression':
        return childNamed(node, '[') ? this.subscript(node, env, depth) : this.member(node, env, depth);
      case 'ConditionalExpression': {
        const [whenTrue, , , , whenFalse] = childrenOf(node);
        const values = [whenTrue, whenFalse].map((branch) => (branch ? this.eval(branch, env, depth) : UNKNOWN_VALUE));
        const tensors = values.flatMap(tensorsOf);
        if (tensors.length === 0) return values[0]!;
        return tensors.length === 2 && tensors[0]!.id === tensors[1]!.id ? tensors[0]! : this.tensor('opaque', tensors, spanOf(node), null, { label: 'branch' });
      }
      case 'CallExpression':
        return this.evalCall(node, env, depth);
      default:
        return UNKNOWN_VALUE;
    }
  }

  /** `self.dense`, a constant such as `self.units`, or an attribute of a tensor. */
  private member(node: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    const attribute = this.selfAttribute(node);
    if (attribute !== undefined) {
      const entry = this.attrs.get(attribute);
      return entry ? { t: 'module', entry } : { t: 'const', value: this.scope.lookup(`self.${attribute}`) ?? UNKNOWN };
    }
    const object = node.firstChild ? this.eval(node.firstChild, env, depth) : UNKNOWN_VALUE;
    if (object.t !== 'tensor') return UNKNOWN_VALUE;
    // `x.shape`, `x.dtype` are not on the data path; `x.T` is.
    return node.lastChild && this.ctx.source.is(node.lastChild, 'T') ? this.tensor('opaque', [object], spanOf(node), null, { label: 'transpose' }) : { t: 'const', value: UNKNOWN };
  }

  /** `self.blocks[i]`, `outputs[0]`, `x[:, 0]`. */
  private subscript(node: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    const object = node.firstChild ? this.eval(node.firstChild, env, depth) : UNKNOWN_VALUE;
    const index = childNamed(node, '[')?.nextSibling;
    const indexValue = index && index.name !== ']' ? this.eval(index, env, depth) : UNKNOWN_VALUE;
    const key = indexValue.t === 'const' ? indexValue.value : UNKNOWN;
    if (object.t === 'module' && object.entry.type !== 'layer') {
      const expanded = this.expand(object.entry);
      // Any index of `[Block() for _ in range(n)]` gives the one declared block.
      const same = expanded.length > 0 && expanded.every((item) => item === expanded[0]);
      const entry = typeof key === 'number' && Number.isInteger(key) ? expanded[key < 0 ? expanded.length + key : key] : same ? expanded[0] : undefined;
      return entry ? { t: 'module', entry } : UNKNOWN_VALUE;
    }
    if (object.t === 'tuple') return typeof key === 'number' ? (object.items[key] ?? UNKNOWN_VALUE) : UNKNOWN_VALUE;
    return object.t === 'tensor' ? this.tensor('opaque', [object], spanOf(node), null, { label: 'index' }) : UNKNOWN_VALUE;
  }

  /** The values a call passes as data, in order: positional arguments, then keywords other than flags. */
  private dataArguments(parsed: CallArgs, env: Map<string, Value>, depth: number): Value[] {
    const values = parsed.positional.map((arg) => this.eval(arg, env, depth));
    for (const [name, { value }] of parsed.keywords) if (!FLAG_KEYWORDS.has(name)) values.push(this.eval(value, env, depth));
    return values;
  }

  private evalCall(call: SyntaxNode, env: Map<string, Value>, depth: number): Value {
    const { source, names } = this.ctx;
    const callee = call.firstChild!;
    const parsed = callArgs(source, call);
    const span = spanOf(call);
    const attribute = this.selfAttribute(callee);
    // `self.helper(x)` defined in the class: its body is followed, as guides split call() into helpers.
    if (attribute !== undefined && !this.attrs.has(attribute) && attribute !== 'call') {
      const method = this.info.methods.get(attribute);
      if (method) return depth >= MAX_INLINE_DEPTH ? this.opaque(this.dataArguments(parsed, env, depth), span, attribute) : this.inline(method, parsed, env, depth, span);
    }
    const calleeValue = callee.name === 'CallExpression' ? this.inlineLayer(callee) : this.eval(callee, env, depth);
    if (calleeValue.t === 'module') return this.applyEntry(calleeValue.entry, this.dataArguments(parsed, env, depth), span);
    const qualified = (attribute !== undefined ? this.functionAttributes.get(attribute) : undefined) ?? names.qualify(source.dotted(callee)) ?? '';
    const fn = kerasFunction(qualified);
    if (fn) return this.callFunction(fn, parsed, env, depth, span);
    const values = this.dataArguments(parsed, env, depth);
    // A method of a tensor (`x.numpy()`) reads the tensor too.
    const object = callee.name === 'MemberExpression' && callee.firstChild && attribute === undefined ? this.eval(callee.firstChild, env, depth) : UNKNOWN_VALUE;
    if (object.t === 'tensor') values.unshift(object);
    return this.opaque(values, span, qualified.slice(qualified.lastIndexOf('.') + 1) || 'call');
  }

  /** A layer made and called at once, `layers.Flatten()(x)`: declared where it is written. */
  private inlineLayer(call: SyntaxNode): Value {
    const entry = this.entry(call, undefined, new Map(), 1);
    return entry ? { t: 'module', entry } : UNKNOWN_VALUE;
  }

  private inline(method: SyntaxNode, parsed: CallArgs, env: Map<string, Value>, depth: number, span: Span): Value {
    const inner = new Map<string, Value>();
    const params = parameterList(this.ctx.source, childNamed(method, 'ParamList')).slice(1);
    parsed.positional.forEach((arg, index) => {
      const param = params[index];
      if (param) inner.set(param.name, this.eval(arg, env, depth));
    });
    for (const [name, { value }] of parsed.keywords) inner.set(name, this.eval(value, env, depth));
    for (const param of params) if (!inner.has(param.name)) inner.set(param.name, { t: 'const', value: param.defaultValue ? this.ctx.evaluate(param.defaultValue, this.ctx.moduleScope) : UNKNOWN });
    const returned: Value[] = [];
    const body = bodyOf(method);
    if (body) this.exec(statementsOf(body), inner, returned, depth + 1);
    return this.returnedValue(returned, span);
  }

  private callFunction(fn: KerasFunction, parsed: CallArgs, env: Map<string, Value>, depth: number, span: Span): Value {
    if (fn.op === 'shape') return { t: 'const', value: UNKNOWN };
    const values = this.dataArguments(parsed, env, depth);
    const first = values[0] ? tensorsOf(values[0])[0] : undefined;
    if (fn.op === 'activation') return first ? this.tensor('activation', [first], span, first.features, { activation: fn.activation }) : UNKNOWN_VALUE;
    if (fn.op === 'dropout') {
      const rate = this.ctx.evaluate(parsed.keywords.get('rate')?.value ?? parsed.positional[1], this.scope);
      return first ? this.tensor('dropout', [first], span, first.features, { rate: typeof rate === 'number' ? rate : null, trainingFlag: false }) : UNKNOWN_VALUE;
    }
    // Merges take their tensors as a list (`tf.concat([a, b], -1)`) or one by one (`tf.add(a, b)`), never the axis.
    const axisNode = fn.op === 'concat' ? (parsed.keywords.get('axis')?.value ?? parsed.positional[1]) : undefined;
    const inputs = (fn.op === 'concat' ? values.slice(0, 1) : values).flatMap(tensorsOf);
    if (inputs.length === 0) return UNKNOWN_VALUE;
    const axis = fn.op === 'concat' ? (axisNode ? this.ctx.evaluate(axisNode, this.scope) : fn.axis) : -1;
    return this.tensor(fn.op, inputs, span, mergedFeatures(fn.op, inputs, axis));
  }

  private applyEntry(entry: Entry, values: Value[], span: Span): Value {
    if (entry.type === 'sequential') {
      if (!entry.known) return this.opaque(values, span, 'sequential');
      let value = values[0] ?? UNKNOWN_VALUE;
      for (const item of this.expand(entry)) value = this.applyEntry(item, [value], span);
      return value;
    }
    if (entry.type !== 'layer') return this.opaque(values, span, 'list');
    const inputs = values.flatMap(tensorsOf);
    if (inputs.length === 0) return UNKNOWN_VALUE;
    const { slot } = entry;
    const first = values[0] ? tensorsOf(values[0]) : [];
    const merge = slot.declared ? MERGE_LAYERS[slot.declared.spec.className] : undefined;
    if (merge) return this.tensor(merge, first, span, mergedFeatures(merge, first, slot.declared!.options['axis'] ?? -1));
    // A layer called again shares its weights: one Layer, another flow node.
    const out = slot.out !== undefined ? slot.out : this.size(slot, first.length === 1 ? first[0]!.features : null);
    return this.tensor('layer', inputs, span, out, { layer: slot.layer.index });
  }
}

interface CacheEntry {
  /** Where the class statement started when its model was built. */
  start: number;
  /** The model in the coordinates of that version, never handed out itself: the rest of the extraction fills it in. */
  model: Model;
}

/**
 * Reuse of subclassed Keras models across versions of one document. A class's model depends only on the text of its
 * statement and on the file's environment (imports, module constants, dataclass defaults, class names); while both
 * are unchanged it is copied from the last version with its spans moved, instead of built again.
 */
export class KerasClassCache {
  private readonly entries = new VersionCache<CacheEntry>();

  begin(environment: string): void {
    this.entries.begin(environment);
  }

  end(): void {
    this.entries.end();
  }

  build(ctx: FileContext, info: ClassInfo): Model {
    const { statement, text } = info;
    // Error recovery may look past a statement, so a class with syntax errors is always built afresh.
    if (ctx.hasErrorsIn(statement)) return new KerasClassBuilder(ctx, info).build();
    const entry = this.entries.get(text);
    if (entry) {
      const delta = statement.from - entry.start;
      const reused = delta === 0 ? mutableCopy(entry.model) : moved(entry.model, [{ start: entry.start, end: entry.start + text.length, delta }]);
      if (reused) {
        this.entries.keep(text, entry);
        return reused;
      }
    }
    const model = new KerasClassBuilder(ctx, info).build();
    if (!liesWithin(model, [{ start: statement.from, end: statement.to, delta: 0 }])) return model;
    this.entries.keep(text, { start: statement.from, model });
    return mutableCopy(model);
  }
}
