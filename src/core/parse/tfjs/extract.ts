// Reads TF.js models from an ESTree program, as produced by typescript-estree or by @typescript-eslint/parser
// inside ESLint: the same tree shape, so the ESLint plugin reuses ESLint's tree instead of parsing again.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { foldArithmetic } from '../../ir/arithmetic';
import { countBelow } from '../../ir/sorted';
import {
  defaultKernelInit,
  initializerDist,
  isKerasWrapper,
  kerasLayerFacts,
  kerasLayerSpec,
  kerasWrapperFacts,
  mergedShape,
  shapeOption,
  snakeCase,
  ZEROS_INIT,
  type KerasLayerSpec,
  type Shape,
} from '../../ir/keras-layers';
import {
  UNKNOWN,
  type Arg,
  type ConstValue,
  type CustomParameter,
  type FlowNode,
  type InitInfo,
  type Layer,
  type LossInfo,
  type Model,
  type OptimizerInfo,
  type Program,
  type Span,
} from '../../ir/types';

type Node = TSESTree.Node;
type Expression = TSESTree.Expression;

const TFJS_MODULES = /^@tensorflow\/tfjs(-node(-gpu)?|-layers|-core)?$/;
// Named exports of the tfjs packages that the front end understands when imported directly.
const NAMED_EXPORTS = new Set(['layers', 'sequential', 'model', 'input', 'train', 'losses', 'metrics', 'initializers', 'variable', 'randomNormal', 'randomUniform', 'truncatedNormal', 'zeros', 'ones']);

function spanOf(node: Node): Span {
  return { start: node.range[0], end: node.range[1] };
}

/** Strips TypeScript-only wrappers (`x as T`, `x!`, `<T>x`) and `await`. */
function unwrap(node: Expression): Expression {
  let current: Expression = node;
  for (;;) {
    if (current.type === 'TSAsExpression' || current.type === 'TSNonNullExpression' || current.type === 'TSTypeAssertion' || current.type === 'TSSatisfiesExpression') {
      current = current.expression;
    } else if (current.type === 'AwaitExpression') {
      current = current.argument;
    } else {
      return current;
    }
  }
}

/** Children of a node, without the `parent` back-reference. */
function children(node: Node): Node[] {
  const result: Node[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'parent' || key === 'range' || key === 'loc') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && typeof (item as Node).type === 'string') result.push(item as Node);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') {
      result.push(value as Node);
    }
  }
  return result;
}

/** The factories of the recurrent layers, whose `apply` takes the initial states after the input. */
const RECURRENT_FACTORIES: ReadonlySet<string> = new Set(['simpleRNN', 'lstm', 'gru']);

interface Binding {
  init: Expression;
  scope: Scope;
  /** Where the statement that sets it ends: a read after that sees it, until the next. */
  end: number;
  /** False when it is set inside a loop or a branch of its function, so reads after may or may not see it. */
  certain: boolean;
  /** The position it takes in an array pattern (`const [out, h, c] = lstm.apply(x)`) whose value is `init`. */
  item?: number;
}

/** Whether a node runs exactly once each time the function of its scope runs: not in a loop or a branch. */
function certainIn(node: Node, scope: Scope): boolean {
  for (let current = node.parent; current && current !== scope.functionNode; current = current.parent) {
    switch (current.type) {
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'IfStatement':
      case 'ConditionalExpression':
      case 'LogicalExpression':
      case 'SwitchCase':
      case 'CatchClause':
        return false;
      default:
        break;
    }
  }
  return true;
}

interface Scope {
  /** The enclosing function's name, or undefined at module level. */
  functionName?: string;
  functionNode?: Node;
  /** The scope the function is written in. */
  parent?: Scope;
}

/** Positions in one function scope (or the module) of what was written to each variable, in source order. */
type ByVariable<T> = Map<Node | undefined, Map<string, T[]>>;

function addTo<T>(index: ByVariable<T>, scope: Scope, variable: string, item: T): void {
  let variables = index.get(scope.functionNode);
  if (!variables) index.set(scope.functionNode, (variables = new Map()));
  let items = variables.get(variable);
  if (!items) variables.set(variable, (items = []));
  items.push(item);
}

/** How many of the items, sorted by `start`, start before `position`. */
function countBefore<T extends { start: number }>(items: readonly T[], position: number): number {
  return countBelow(items.length, (index) => items[index]!.start, position);
}

interface Visit {
  node: Node;
  scope: Scope;
}

function functionName(node: Node): string | undefined {
  if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
    if (node.id) return node.id.name;
  }
  const parent = node.parent;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'MethodDefinition' && parent.key.type === 'Identifier') return parent.key.name;
  if (parent?.type === 'Property' && parent.key.type === 'Identifier') return parent.key.name;
  return undefined;
}

class TfjsExtractor {
  /** Local names bound to a whole tfjs module (`tf`). */
  private readonly namespaces = new Set<string>();
  /** Local names bound to a named export (`layers` → `layers`, `seq` → `sequential`). */
  private readonly named = new Map<string, string>();
  /** What each name is set to, by function scope and name, in source order: its declaration and its assignments. */
  private readonly bindings = new Map<Scope, Map<string, Binding[]>>();
  /** Every name some declaration binds, in any scope. */
  private readonly boundNames = new Set<string>();
  /** The scope each function opens. */
  private readonly functionScopes = new Map<Node, Scope>();
  private readonly moduleScope: Scope = {};
  private readonly calls: { node: TSESTree.CallExpression; scope: Scope }[] = [];
  /** `x.add(layer)` calls on a plain variable, by the function they are written in. */
  private readonly addCalls: ByVariable<{ start: number; node: TSESTree.CallExpression }> = new Map();
  /** Where `tf.sequential()`/`tf.model()` is assigned to a variable, by the function it is written in. */
  private readonly creations: ByVariable<{ start: number }> = new Map();
  private readonly constCache = new Map<Binding, ConstValue>();
  private readonly evaluating = new Set<Binding>();
  /** The value each loop variable has in the iteration being read, while `model.add` calls in loops are unrolled. */
  private loopValues: readonly LoopValue[] = [];
  /** Layers that are a model some function of the file builds from arguments, read without them: of unknown size. */
  private readonly builtWithArguments = new Set<Layer>();

  constructor(private readonly text: string, private readonly ast: TSESTree.Program) {}

  run(language: Program['language']): Program {
    this.collect();
    const models: Model[] = [];
    const losses: LossInfo[] = [];
    const optimizers: OptimizerInfo[] = [];
    const creators: { node: TSESTree.CallExpression; scope: Scope; kind: 'sequential' | 'model' }[] = [];
    for (const { node, scope } of this.calls) {
      const name = this.canonical(node.callee);
      if (name !== 'sequential' && name !== 'model') continue;
      creators.push({ node, scope, kind: name });
      const { key } = this.assignedName(node);
      if (key !== undefined) addTo(this.creations, scope, key, { start: node.range[0] });
    }
    const assigned: ByVariable<{ start: number; model: Model }> = new Map();
    const unassigned = new Map<string, Model>();
    for (const { node, scope, kind } of creators) {
      const model = kind === 'sequential' ? this.sequentialModel(node, scope) : this.functionalModel(node, scope);
      if (!model) continue;
      models.push(model.model);
      if (model.key !== undefined) addTo(assigned, scope, model.key, { start: node.range[0], model: model.model });
      else unassigned.set(model.model.name, model.model);
    }
    countSubmodels(models, this.builtWithArguments);
    for (const { node, scope } of this.calls) {
      const callee = unwrapCallee(node.callee);
      if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'compile') continue;
      const receiver = receiverName(callee.object);
      if (receiver === undefined) continue;
      const target = modelOf(assigned, receiver, scope, node.range[0]) ?? unassigned.get(receiver);
      if (!target) continue;
      this.compileFacts(node, target, losses, optimizers);
    }
    // Custom training: `tf.losses.softmaxCrossEntropy(labels, model.predict(xs))` inside `optimizer.minimize`.
    for (const { node, scope } of this.calls) {
      const loss = LOSS_CALLS.get(this.canonical(node.callee) ?? '');
      const predictions = loss ? node.arguments[1] : undefined;
      if (!loss || !predictions || predictions.type === 'SpreadElement') continue;
      const variable = this.predictingModel(predictions);
      const model = variable === undefined ? undefined : (modelOf(assigned, variable, scope, node.range[0]) ?? unassigned.get(variable));
      const ctor = this.text.slice(node.callee.range[0], node.callee.range[1]);
      losses.push({ kind: loss.kind, ctor, span: spanOf(node), fromLogits: loss.fromLogits, inputActivation: null, ...(model ? { model: model.name } : {}) });
    }
    losses.sort((a, b) => a.span.start - b.span.start);
    const variables = this.customVariables();
    if (variables.length > 0) models.push(this.variablesModel(variables));
    return {
      language,
      models,
      losses,
      optimizers,
      loops: [],
      noGrad: [],
      modeCalls: [],
      syntaxErrors: [],
    };
  }

  private collect(): void {
    const stack: Visit[] = [{ node: this.ast, scope: this.moduleScope }];
    while (stack.length > 0) {
      const { node, scope } = stack.pop()!;
      let inner = scope;
      switch (node.type) {
        case 'ImportDeclaration':
          this.collectImport(node);
          break;
        case 'VariableDeclarator':
          this.collectBinding(node, scope);
          break;
        case 'AssignmentExpression':
          // `x = tf.layers.dense(...).apply(x)`: a name set again, as functional models are often chained.
          if (node.operator === '=' && node.left.type === 'Identifier') this.addBinding(node.left.name, { init: unwrap(node.right), scope, end: node.range[1], certain: certainIn(node, scope) });
          break;
        case 'CallExpression': {
          this.calls.push({ node, scope });
          const callee = unwrapCallee(node.callee);
          const receiver = callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && callee.property.name === 'add' ? receiverName(callee.object) : undefined;
          if (receiver !== undefined) addTo(this.addCalls, scope, receiver, { start: node.range[0], node });
          break;
        }
        case 'FunctionDeclaration':
        case 'FunctionExpression':
        case 'ArrowFunctionExpression': {
          const name = functionName(node as TSESTree.FunctionLike);
          inner = { functionNode: node, parent: scope, ...(name ? { functionName: name } : {}) };
          this.functionScopes.set(node, inner);
          // `function buildModel(units = 64)`: the model is read with the defaults, as a Python builder's is.
          for (const param of (node as TSESTree.FunctionLike).params) {
            if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') this.addBinding(param.left.name, { init: unwrap(param.right), scope: inner, end: param.range[1], certain: true });
          }
          break;
        }
        default:
          break;
      }
      const next = children(node);
      for (let index = next.length - 1; index >= 0; index--) {
        const child = next[index]!;
        // typescript-estree's plain parse leaves `parent` unset; the extractor reads it to name models.
        (child as { parent?: Node }).parent = node;
        stack.push({ node: child, scope: inner });
      }
    }
    // Source order matters: `model.add` calls build the model in the order they are written.
    this.calls.sort((a, b) => a.node.range[0] - b.node.range[0]);
    for (const variables of this.addCalls.values()) for (const items of variables.values()) items.sort((a, b) => a.start - b.start);
  }

  private collectImport(node: TSESTree.ImportDeclaration): void {
    if (!TFJS_MODULES.test(node.source.value)) return;
    for (const specifier of node.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier' || specifier.type === 'ImportDefaultSpecifier') {
        this.namespaces.add(specifier.local.name);
      } else {
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
        this.named.set(specifier.local.name, imported);
      }
    }
  }

  private collectBinding(node: TSESTree.VariableDeclarator, scope: Scope): void {
    if (!node.init) return;
    const init = unwrap(node.init);
    const isRequire =
      init.type === 'CallExpression' &&
      init.callee.type === 'Identifier' &&
      init.callee.name === 'require' &&
      init.arguments[0]?.type === 'Literal' &&
      typeof init.arguments[0].value === 'string' &&
      TFJS_MODULES.test(init.arguments[0].value);
    if (node.id.type === 'Identifier') {
      if (isRequire) {
        this.namespaces.add(node.id.name);
        return;
      }
      this.addBinding(node.id.name, { init, scope, end: node.range[1], certain: certainIn(node, scope) });
    } else if (node.id.type === 'ArrayPattern') {
      // An array literal gives each name its element; anything else (a layer's outputs and states) its item.
      node.id.elements.forEach((element, item) => {
        if (element?.type !== 'Identifier') return;
        const value = init.type === 'ArrayExpression' ? init.elements[item] : init;
        if (!value || value.type === 'SpreadElement') return;
        const binding: Binding = { init: unwrap(value), scope, end: node.range[1], certain: certainIn(node, scope) };
        this.addBinding(element.name, value === init ? { ...binding, item } : binding);
      });
    } else if (node.id.type === 'ObjectPattern') {
      // `const {layers, sequential} = tf` or `= require('@tensorflow/tfjs')`.
      const fromTfjs = isRequire || (init.type === 'Identifier' && this.isNamespace(init.name));
      if (!fromTfjs) return;
      for (const property of node.id.properties) {
        if (property.type !== 'Property' || property.key.type !== 'Identifier' || property.value.type !== 'Identifier') continue;
        this.named.set(property.value.name, property.key.name);
      }
    }
  }

  private addBinding(name: string, binding: Binding): void {
    let names = this.bindings.get(binding.scope);
    if (!names) this.bindings.set(binding.scope, (names = new Map()));
    const writes = names.get(name);
    if (writes) writes.push(binding);
    else names.set(name, [binding]);
    this.boundNames.add(name);
  }

  private isNamespace(name: string): boolean {
    // Code that uses `tf.` without an import in view (a snippet, a script tag) still means TF.js.
    return this.namespaces.has(name) || (name === 'tf' && !this.boundNames.has('tf'));
  }

  /**
   * What a name holds where it is read: in the innermost function scope around that place that sets it (two builders
   * in one file each have their `input`), the last value set before the read. Null when that value is set in a loop
   * or a branch, or when a nested function reads a name set more than once: which value it sees is not known.
   */
  private bindingAt(name: string, at: Node): Binding | null | undefined {
    let scope: Scope | undefined;
    for (let node: Node | undefined = at.parent; node && !scope; node = node.parent) scope = this.functionScopes.get(node);
    const readIn = scope ?? this.moduleScope;
    for (let current: Scope | undefined = readIn; current; current = current.parent) {
      const writes = this.bindings.get(current)?.get(name);
      if (!writes) continue;
      if (current !== readIn) return writes.length === 1 && writes[0]!.certain ? writes[0] : null;
      let last: Binding | undefined;
      for (const write of writes) if (write.end <= at.range[0]) last = write;
      if (!last) return undefined;
      return last.certain ? last : null;
    }
    return undefined;
  }

  /**
   * The tfjs API a callee names, without the namespace: `tf.layers.dense` → `layers.dense`,
   * `layers.dense` with `layers` imported → `layers.dense`, `tf.train.adam` → `train.adam`.
   */
  canonical(callee: Node): string | undefined {
    const parts: string[] = [];
    let current: Node = unwrapCallee(callee);
    while (current.type === 'MemberExpression' && !current.computed && current.property.type === 'Identifier') {
      parts.unshift(current.property.name);
      current = current.object;
    }
    if (current.type !== 'Identifier') return undefined;
    if (this.isNamespace(current.name)) return parts.length > 0 ? parts.join('.') : undefined;
    const named = this.named.get(current.name);
    if (named && NAMED_EXPORTS.has(named)) return [named, ...parts].join('.');
    return undefined;
  }

  // ---- constants ----

  evaluate(node: Node | null | undefined, depth = 0): ConstValue {
    if (!node || depth > 64) return UNKNOWN;
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'number' || typeof node.value === 'string' || typeof node.value === 'boolean' || node.value === null
          ? node.value
          : UNKNOWN;
      case 'TemplateLiteral':
        return node.expressions.length === 0 ? (node.quasis[0]?.value.cooked ?? UNKNOWN) : UNKNOWN;
      case 'Identifier': {
        if (node.name === 'undefined') return null;
        // The innermost loop of that variable around the name gives its value.
        for (let index = this.loopValues.length - 1; index >= 0; index--) {
          const { loop, name, value } = this.loopValues[index]!;
          if (name === node.name && loop.range[0] <= node.range[0] && node.range[1] <= loop.range[1]) return value;
        }
        return this.evaluateBinding(node, depth);
      }
      case 'UnaryExpression': {
        const value = this.evaluate(node.argument, depth + 1);
        if (typeof value !== 'number') return UNKNOWN;
        return node.operator === '-' ? -value : node.operator === '+' ? value : UNKNOWN;
      }
      case 'BinaryExpression': {
        if (node.left.type === 'PrivateIdentifier') return UNKNOWN;
        const left = this.evaluate(node.left, depth + 1);
        const right = this.evaluate(node.right, depth + 1);
        if (typeof left !== 'number' || typeof right !== 'number') return UNKNOWN;
        return foldArithmetic(node.operator, left, right, 'javascript');
      }
      case 'ArrayExpression':
        return node.elements.map((element) => (element && element.type !== 'SpreadElement' ? this.evaluate(element, depth + 1) : UNKNOWN));
      case 'ObjectExpression': {
        const result: Record<string, ConstValue> = {};
        for (const property of node.properties) {
          if (property.type !== 'Property' || property.computed) return UNKNOWN;
          const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
          if (key === undefined) return UNKNOWN;
          result[key] = this.evaluate(property.value, depth + 1);
        }
        return result;
      }
      case 'TSAsExpression':
      case 'TSNonNullExpression':
      case 'TSSatisfiesExpression':
      case 'TSTypeAssertion':
        return this.evaluate(node.expression, depth + 1);
      case 'MemberExpression': {
        if (node.object.type === 'Identifier' && node.object.name === 'Math' && node.property.type === 'Identifier') {
          return node.property.name === 'PI' ? Math.PI : node.property.name === 'E' ? Math.E : UNKNOWN;
        }
        const object = this.evaluate(node.object, depth + 1);
        if (node.computed) {
          const index = this.evaluate(node.property, depth + 1);
          if (Array.isArray(object) && typeof index === 'number') return object[index] ?? UNKNOWN;
          return UNKNOWN;
        }
        if (node.property.type === 'Identifier' && object && typeof object === 'object' && !Array.isArray(object) && !('unknown' in object)) {
          // Only the object's own keys are its values: `cfg.constructor` is no option of the code's.
          return Object.hasOwn(object, node.property.name) ? (object as Record<string, ConstValue>)[node.property.name]! : UNKNOWN;
        }
        if (Array.isArray(object) && node.property.type === 'Identifier' && node.property.name === 'length') return object.length;
        return UNKNOWN;
      }
      case 'CallExpression': {
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.object.name === 'Math' && callee.property.type === 'Identifier') {
          const args = node.arguments.map((argument) => this.evaluate(argument, depth + 1));
          if (!args.every((value): value is number => typeof value === 'number')) return UNKNOWN;
          const fn = (Math as unknown as Record<string, unknown>)[callee.property.name];
          const allowed = new Set(['sqrt', 'floor', 'ceil', 'round', 'max', 'min', 'abs', 'pow', 'log', 'exp']);
          return allowed.has(callee.property.name) && typeof fn === 'function' ? (fn as (...values: number[]) => number)(...args) : UNKNOWN;
        }
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private evaluateBinding(identifier: TSESTree.Identifier, depth: number): ConstValue {
    const binding = this.bindingAt(identifier.name, identifier);
    if (!binding || this.evaluating.has(binding)) return UNKNOWN;
    const cached = this.constCache.get(binding);
    if (cached !== undefined) return cached;
    const declaration = binding.init.parent;
    // Only `const` bindings are constants; a `let` may be reassigned anywhere. A default parameter is one while its
    // function never sets it.
    const isConst = declaration?.parent?.type === 'VariableDeclaration' && declaration.parent.kind === 'const';
    const isDefault = declaration?.type === 'AssignmentPattern' && this.bindings.get(binding.scope)?.get(identifier.name)?.length === 1;
    if (!isConst && !isDefault) return UNKNOWN;
    this.evaluating.add(binding);
    const value = this.evaluate(binding.init, depth + 1);
    this.evaluating.delete(binding);
    this.constCache.set(binding, value);
    return value;
  }

  // ---- layers ----

  /** An array literal, or the one a name is bound to (`const states = [h, c]`). */
  private arrayLiteral(expression: Expression): TSESTree.ArrayExpression | undefined {
    const node = unwrap(expression);
    if (node.type === 'ArrayExpression') return node;
    const binding = node.type === 'Identifier' ? this.bindingAt(node.name, node) : undefined;
    return binding?.item === undefined && binding?.init.type === 'ArrayExpression' ? binding.init : undefined;
  }

  /**
   * The items of an array literal, with the items of arrays it spreads from names bound to array literals
   * (`[decoderInputs, ...encoderStates]`); undefined when it spreads anything else.
   */
  private arrayItems(array: TSESTree.ArrayExpression, depth = 0): Expression[] | undefined {
    const items: Expression[] = [];
    for (const element of array.elements) {
      if (!element) continue;
      if (element.type !== 'SpreadElement') {
        items.push(element);
        continue;
      }
      const inner = this.arrayLiteral(element.argument);
      const spreadItems = inner && depth < 16 ? this.arrayItems(inner, depth + 1) : undefined;
      if (!spreadItems) return undefined;
      items.push(...spreadItems);
    }
    return items;
  }

  /** The layer factory call an expression stands for, following identifiers bound to one. */
  private layerCall(node: Node | null | undefined, depth = 0): TSESTree.CallExpression | undefined {
    if (!node || depth > 16) return undefined;
    const expression = unwrap(node as Expression);
    if (expression.type === 'CallExpression') {
      const name = this.canonical(expression.callee);
      return name?.startsWith('layers.') ? expression : undefined;
    }
    if (expression.type === 'Identifier') {
      const binding = this.bindingAt(expression.name, expression);
      return binding && binding.item === undefined ? this.layerCall(binding.init, depth + 1) : undefined;
    }
    return undefined;
  }

  private optionsOf(call: TSESTree.CallExpression): { args: Arg[]; options: Record<string, ConstValue>; argsSpan: Span; complete: boolean } {
    const first = call.arguments[0];
    const args: Arg[] = [];
    const options: Record<string, ConstValue> = {};
    // Inside the parentheses when there is no options object, inside the braces when there is one.
    const openParen = this.text.indexOf('(', call.callee.range[1]);
    let argsSpan: Span = { start: openParen + 1, end: call.range[1] - 1 };
    // Options from a variable or a spread the evaluator cannot read leave every option in doubt.
    let complete = true;
    const merge = (value: ConstValue) => {
      const read = snakeCaseOptions(value);
      if (read) Object.assign(options, read);
      else complete = false;
    };
    if (first && first.type !== 'ObjectExpression') merge(this.evaluate(first));
    if (first && first.type === 'ObjectExpression') {
      argsSpan = { start: first.range[0] + 1, end: first.range[1] - 1 };
      for (const property of first.properties) {
        if (property.type === 'SpreadElement') merge(this.evaluate(property.argument));
        if (property.type !== 'Property' || property.computed) {
          if (property.type === 'Property') complete = false;
          continue;
        }
        const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
        if (key === undefined) continue;
        const value = this.evaluate(property.value);
        args.push({
          name: key,
          value,
          span: spanOf(property),
          valueSpan: spanOf(property.value),
          text: this.text.slice(property.value.range[0], property.value.range[1]),
        });
        options[snakeCase(key)] = value;
      }
    }
    return { args, options, argsSpan, complete };
  }

  /** A kernel initializer written as `'heNormal'` or `tf.initializers.heNormal({...})`. */
  private initializerOf(arg: Arg | undefined, call: TSESTree.CallExpression): InitInfo | undefined {
    if (!arg) return undefined;
    if (typeof arg.value === 'string') {
      return { name: arg.value, dist: initializerDist(arg.value, {}, 'tfjs'), source: 'explicit', span: arg.valueSpan };
    }
    const property = (call.arguments[0] as TSESTree.ObjectExpression | undefined)?.properties.find(
      (candidate): candidate is TSESTree.Property => candidate.type === 'Property' && candidate.range[0] === arg.span.start,
    );
    const value = property ? unwrap(property.value as Expression) : undefined;
    if (value?.type === 'CallExpression') {
      const name = this.canonical(value.callee);
      if (name?.startsWith('initializers.')) {
        const initializer = name.slice('initializers.'.length);
        const snake = snakeCaseOptions(this.evaluate(value.arguments[0])) ?? {};
        return { name: initializer, dist: initializerDist(initializer, snake, 'tfjs'), source: 'explicit', span: arg.valueSpan };
      }
    }
    return { name: arg.text, dist: { family: 'unknown' }, source: 'explicit', span: arg.valueSpan };
  }

  /** A layer the extractor cannot read (`new MyLayer()`, `makeHead(2)`, `...blocks`): kept, of unknown kind and size. */
  private unknownLayer(node: Node, index: number): Layer {
    const expression = node.type === 'SpreadElement' ? node.argument : node;
    const callee = expression.type === 'CallExpression' || expression.type === 'NewExpression' ? expression.callee : expression;
    return {
      index,
      kind: 'unknown',
      ctor: this.text.slice(callee.range[0], callee.range[1]),
      span: spanOf(node),
      calleeSpan: spanOf(callee),
      args: [],
      in: null,
      out: null,
      bias: null,
      params: null,
    };
  }

  private buildLayer(call: TSESTree.CallExpression, index: number, inShape: Shape | null): { layer: Layer; outShape: Shape | null } | undefined {
    const name = this.canonical(call.callee);
    if (!name?.startsWith('layers.')) return undefined;
    const factory = name.slice('layers.'.length);
    const spec: KerasLayerSpec | undefined = kerasLayerSpec(factory);
    const { args, options, argsSpan, complete } = this.optionsOf(call);
    if (!complete && options['activation'] === undefined) options['activation'] = UNKNOWN;
    const declared = shapeOption(options, spec);
    const shape = declared ?? inShape;
    const ctor = this.text.slice(call.callee.range[0], call.callee.range[1]);
    const calleeSpan = spanOf(call.callee);
    const wrapped = spec && isKerasWrapper(spec) ? this.wrappedLayer(call, spec, options, complete, index, shape) : undefined;
    if (wrapped) return wrapped;
    if (!spec || isKerasWrapper(spec)) {
      const layer: Layer = { index, kind: 'unknown', ctor, span: spanOf(call), calleeSpan, args, argsSpan, in: null, out: null, bias: null, params: null };
      return { layer, outShape: null };
    }
    const read = kerasLayerFacts(spec, options, shape, 'tfjs');
    // Options in doubt may set any size: only the kind and the options written out are known.
    const facts = complete ? read : { ...read, in: null, out: null, params: read.params === 0 ? 0 : null, outShape: null };
    const layer: Layer = {
      index,
      kind: facts.kind,
      ctor,
      span: spanOf(call),
      calleeSpan,
      args,
      argsSpan,
      in: facts.in,
      out: facts.out,
      bias: facts.bias,
      params: facts.params,
    };
    const layerName = options['name'];
    if (typeof layerName === 'string') layer.name = layerName;
    if (facts.activationUnknown) layer.activationUnknown = true;
    if (facts.nonTrainable !== undefined) layer.nonTrainable = facts.nonTrainable;
    if (facts.activation) {
      layer.activation = facts.activation;
      const activationArg = args.find((arg) => arg.name === 'activation');
      if (activationArg) layer.activationSpan = activationArg.valueSpan;
    }
    if (facts.rate !== undefined) layer.rate = facts.rate;
    if (facts.kernelSize !== undefined) layer.kernelSize = facts.kernelSize;
    const kernelArg = args.find((arg) => arg.name === (spec.kind === 'embedding' ? 'embeddingsInitializer' : 'kernelInitializer'));
    const init = this.initializerOf(kernelArg, call) ?? defaultKernelInit(spec, 'tfjs');
    if (init) layer.init = init;
    if (facts.bias) {
      const biasArg = args.find((arg) => arg.name === 'biasInitializer');
      layer.biasInit = this.initializerOf(biasArg, call) ?? ZEROS_INIT;
    }
    return { layer, outShape: facts.outShape };
  }

  /**
   * A wrapper (`tf.layers.bidirectional({ layer: tf.layers.lstm(...) })`) read as the layer it wraps, from the
   * wrapped call, with the wrapper's span and the sizes and parameter count of the whole; undefined when the
   * wrapped layer is no layer call the extractor can read.
   */
  private wrappedLayer(
    call: TSESTree.CallExpression,
    spec: KerasLayerSpec,
    options: Record<string, ConstValue>,
    complete: boolean,
    index: number,
    inShape: Shape | null,
  ): { layer: Layer; outShape: Shape | null } | undefined {
    const first = call.arguments[0];
    const property =
      first?.type === 'ObjectExpression'
        ? first.properties.find((candidate): candidate is TSESTree.Property => candidate.type === 'Property' && !candidate.computed && candidate.key.type === 'Identifier' && candidate.key.name === 'layer')
        : undefined;
    const innerCall = property ? this.layerCall(property.value) : undefined;
    const innerSpec = innerCall ? kerasLayerSpec(this.canonical(innerCall.callee)!.slice('layers.'.length)) : undefined;
    if (!innerCall || !innerSpec || isKerasWrapper(innerSpec)) return undefined;
    const built = this.buildLayer(innerCall, index, inShape);
    if (!built) return undefined;
    const inner = this.optionsOf(innerCall);
    const facts = kerasWrapperFacts(spec, options, innerSpec, inner.options, inShape, 'tfjs');
    // Options in doubt on either call may set any size.
    const known = complete && inner.complete;
    const { layer } = built;
    layer.span = spanOf(call);
    layer.wrapper = { kind: spec.className === 'Bidirectional' ? 'bidirectional' : 'time_distributed', ctor: this.text.slice(call.callee.range[0], call.callee.range[1]), calleeSpan: spanOf(call.callee) };
    if (layer.wrapper.kind === 'bidirectional') layer.wrapper.mergeMode = facts.mergeMode ?? null;
    layer.in = known ? facts.in : null;
    layer.out = known ? facts.out : null;
    layer.params = known || facts.params === 0 ? facts.params : null;
    if (typeof options['name'] === 'string') layer.name = options['name'];
    return { layer, outShape: known ? facts.outShape : null };
  }

  // ---- models ----

  /**
   * The variable a call's value is assigned to, its span, and the name it is looked up by (see receiverName): the
   * variable, or `this.net` for `this.net = ...`.
   */
  private assignedName(call: TSESTree.CallExpression): { variable?: string; key?: string; nameSpan: Span } {
    let node: Node = call;
    while (node.parent && (node.parent.type === 'TSAsExpression' || node.parent.type === 'AwaitExpression' || node.parent.type === 'TSNonNullExpression')) {
      node = node.parent;
    }
    const parent = node.parent;
    if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return { variable: parent.id.name, key: parent.id.name, nameSpan: spanOf(parent.id) };
    if (parent?.type === 'AssignmentExpression' && parent.left.type === 'Identifier') return { variable: parent.left.name, key: parent.left.name, nameSpan: spanOf(parent.left) };
    if (parent?.type === 'AssignmentExpression' && parent.left.type === 'MemberExpression' && parent.left.property.type === 'Identifier') {
      const key = receiverName(parent.left);
      return { variable: parent.left.property.name, ...(key !== undefined ? { key } : {}), nameSpan: spanOf(parent.left.property) };
    }
    return { nameSpan: spanOf(call.callee) };
  }

  private modelName(variable: string | undefined, scope: Scope, fallback: string): string {
    // `function createModel() { const model = tf.sequential(); ...; return model; }` is best known by its function.
    if (scope.functionName && (variable === undefined || variable === 'model')) return scope.functionName;
    return variable ?? fallback;
  }

  private sequentialModel(call: TSESTree.CallExpression, scope: Scope): { model: Model; key?: string } | undefined {
    const { variable, key, nameSpan } = this.assignedName(call);
    // Layer calls, and the elements the extractor cannot read as one (`new MyLayer()`, `...blocks`), which are kept;
    // each with the loop values it is read with.
    const items: { layerCall: TSESTree.CallExpression | { unread: Node }; values: readonly LoopValue[] }[] = [];
    const options = call.arguments[0];
    if (options?.type === 'ObjectExpression') {
      for (const property of options.properties) {
        if (property.type !== 'Property' || property.key.type !== 'Identifier' || property.key.name !== 'layers') continue;
        const value = unwrap(property.value as Expression);
        if (value.type !== 'ArrayExpression') continue;
        for (const element of value.elements) {
          if (!element) continue;
          const layerCall = element.type !== 'SpreadElement' ? this.layerCall(element) : undefined;
          items.push({ layerCall: layerCall ?? { unread: element }, values: [] });
        }
      }
    }
    // `model.add` under an if, a ternary or a loop the extractor cannot count: which layers follow which is not
    // known statically. A loop it can count is read once per iteration.
    let conditional = false;
    if (key !== undefined) {
      // The `add` calls on the variable in this function, until a new model is assigned to it.
      const adds = this.addCalls.get(scope.functionNode)?.get(key) ?? [];
      const creations = this.creations.get(scope.functionNode)?.get(key) ?? [];
      const end = creations[countBefore(creations, call.range[0] + 1)]?.start ?? Infinity;
      const calls: TSESTree.CallExpression[] = [];
      for (let index = countBefore(adds, call.range[1]); index < adds.length && adds[index]!.start < end; index++) calls.push(adds[index]!.node);
      const unrolled = this.unrolled(calls, scope.functionNode, []);
      if (!unrolled) conditional = true;
      for (const { node, values } of unrolled ?? calls.map((node) => ({ node, values: [] }))) {
        const argument = node.arguments[0];
        if (argument) items.push({ layerCall: this.layerCall(argument) ?? { unread: argument }, values });
      }
      // `[256, 256].forEach((units) => model.add(...))`, `addBlock(model, 128)`: layers added elsewhere, how many
      // and where not known. One layer of unknown size stands for them, so the model's size is unknown, not short.
      const elsewhere = this.addsElsewhere(key, scope, call.range[1], end);
      if (elsewhere) {
        const after = items.findIndex(({ layerCall }) => ('unread' in layerCall ? layerCall.unread : layerCall).range[0] > elsewhere.range[0]);
        items.splice(after < 0 ? items.length : after, 0, { layerCall: { unread: elsewhere }, values: [] });
        conditional = true;
      }
    }
    const layers: Layer[] = [];
    const flow: FlowNode[] = [{ id: 0, op: 'input', inputs: [], span: spanOf(call) }];
    let shape: Shape | null = null;
    let inputShape: Shape | null = null;
    for (const { layerCall, values } of items) {
      this.loopValues = values;
      // `tf.layers.inputLayer({inputShape: [4]})` is the model's input, not a layer of it.
      if (!('unread' in layerCall) && this.canonical(layerCall.callee) === 'layers.inputLayer') {
        shape = shapeOption(this.optionsOf(layerCall).options);
        inputShape = shape;
        continue;
      }
      const built: { layer: Layer; outShape: Shape | null } | undefined =
        'unread' in layerCall ? { layer: this.unknownLayer(layerCall.unread, layers.length), outShape: null } : this.buildLayer(layerCall, layers.length, shape);
      if (!built) continue;
      if (layers.length === 0 && inputShape === null && !('unread' in layerCall)) {
        const { options: first } = this.optionsOf(layerCall);
        inputShape = shapeOption(first, kerasLayerSpec(this.canonical(layerCall.callee)!.slice('layers.'.length)));
      }
      layers.push(built.layer);
      if (conditional) {
        // An opaque step before every layer keeps rules from assuming which layer feeds which.
        flow.push({ id: flow.length, op: 'opaque', inputs: [flow.length - 1], span: built.layer.span, label: 'conditional' });
      }
      flow.push({ id: flow.length, op: 'layer', layer: built.layer.index, inputs: [flow.length - 1], span: built.layer.span });
      shape = conditional ? null : built.outShape;
    }
    this.loopValues = [];
    flow.push({ id: flow.length, op: 'output', inputs: [flow.length - 1], span: spanOf(call) });
    const name = this.modelName(variable, scope, 'sequential');
    return {
      model: this.finishModel(name, call, nameSpan, layers, flow, !conditional, inputShape),
      ...(key !== undefined ? { key } : {}),
    };
  }

  /**
   * The `add` calls in the order they run, each with the values of the loops around it, reading every loop inside
   * `within` once per iteration; undefined when one of them is under a branch or a loop that cannot be counted.
   */
  private unrolled(calls: readonly TSESTree.CallExpression[], within: Node | undefined, values: readonly LoopValue[]): { node: TSESTree.CallExpression; values: readonly LoopValue[] }[] | undefined {
    const result: { node: TSESTree.CallExpression; values: readonly LoopValue[] }[] = [];
    for (let index = 0; index < calls.length; ) {
      const node = calls[index]!;
      const loop = outermostLoop(node, within);
      if (loop === null) return undefined;
      if (!loop) {
        result.push({ node, values });
        index++;
        continue;
      }
      // The calls in this loop are next to each other in document order.
      let last = index;
      while (last < calls.length && calls[last]!.range[0] < loop.range[1]) last++;
      const iterations = this.iterations(loop);
      if (!iterations) return undefined;
      for (const value of iterations.values) {
        const inner = this.unrolled(calls.slice(index, last), loop, [...values, { loop, name: iterations.name, value }]);
        if (!inner) return undefined;
        result.push(...inner);
        if (result.length > MAX_UNROLLED_ADDS) return undefined;
      }
      index = last;
    }
    return result;
  }

  /**
   * The variable of a loop and the values it takes, when the code spells them out: `for (let i = 0; i < n; i++)` with
   * constant bounds and step, or `for (const units of [64, 32])`. Undefined for a body that may leave early.
   */
  private iterations(loop: TSESTree.ForStatement | TSESTree.ForOfStatement): { name: string; values: ConstValue[] } | undefined {
    if (leavesEarly(loop.body)) return undefined;
    if (loop.type === 'ForOfStatement') {
      const declared = loop.left.type === 'VariableDeclaration' && loop.left.declarations.length === 1 ? loop.left.declarations[0]!.id : undefined;
      const items = this.evaluate(loop.right);
      if (loop.await || declared?.type !== 'Identifier' || !Array.isArray(items) || items.length > MAX_UNROLLED_ADDS) return undefined;
      return { name: declared.name, values: items };
    }
    const declarator = loop.init?.type === 'VariableDeclaration' && loop.init.declarations.length === 1 ? loop.init.declarations[0]! : undefined;
    if (declarator?.id.type !== 'Identifier' || !loop.test || loop.test.type !== 'BinaryExpression' || !loop.update) return undefined;
    const name = declarator.id.name;
    const first = this.evaluate(declarator.init);
    const bound = this.evaluate(loop.test.right);
    const counter = loop.test.left;
    const step = stepOf(loop.update, name);
    if (typeof first !== 'number' || typeof bound !== 'number' || counter.type !== 'Identifier' || counter.name !== name || step === undefined || assigns(loop.body, name)) return undefined;
    const inside = LOOP_TESTS[loop.test.operator];
    if (!inside || Math.sign(step) !== (loop.test.operator.startsWith('<') ? 1 : -1)) return undefined;
    const values: number[] = [];
    for (let value = first; inside(value, bound); value += step) {
      if (values.length >= MAX_UNROLLED_ADDS) return undefined;
      values.push(value);
    }
    return { name, values };
  }

  /**
   * The first call between `from` and `to` that adds layers to a model variable of `scope` outside the function's
   * own statements: an `add` in a function nested in it (a callback), or a call of a function of the file that is
   * given the model and calls `add` on that parameter.
   */
  private addsElsewhere(variable: string, scope: Scope, from: number, to: number): Node | undefined {
    const within = (node: Node) => node.range[0] >= from && node.range[0] < to && (!scope.functionNode || (node.range[0] >= scope.functionNode.range[0] && node.range[1] <= scope.functionNode.range[1]));
    for (const [functionNode, variables] of this.addCalls) {
      if (functionNode === scope.functionNode || !functionNode || !within(functionNode)) continue;
      const nested = variables.get(variable)?.find((add) => within(add.node));
      // A nested function that makes its own model of that name adds to that one.
      if (nested && !this.creations.get(functionNode)?.get(variable)?.length) return nested.node;
    }
    // A model held on `this` is there for every method of the class: another method may add to it, when is not known.
    if (variable.startsWith('this.')) {
      for (const [functionNode, variables] of this.addCalls) {
        if (functionNode === scope.functionNode || (functionNode && scope.functionNode && functionNode.range[0] >= scope.functionNode.range[0] && functionNode.range[1] <= scope.functionNode.range[1])) continue;
        const add = variables.get(variable)?.[0];
        if (add) return add.node;
      }
    }
    for (const node of this.callsPassing().get(variable) ?? []) {
      if (!within(node) || node.callee.type !== 'Identifier') continue;
      const position = node.arguments.findIndex((argument) => argument.type === 'Identifier' && argument.name === variable);
      const helper = this.functionNamed(node.callee.name);
      const param = helper?.params[position];
      if (param?.type === 'Identifier' && this.addCalls.get(helper)?.get(param.name)?.length) return node;
    }
    return undefined;
  }

  private passing: Map<string, TSESTree.CallExpression[]> | undefined;

  /** The calls of the file by the names they pass as arguments (`addBlock(model, 128)` under `model`); made once. */
  private callsPassing(): ReadonlyMap<string, TSESTree.CallExpression[]> {
    if (!this.passing) {
      this.passing = new Map();
      for (const { node } of this.calls) {
        for (const argument of node.arguments) {
          if (argument.type !== 'Identifier') continue;
          const list = this.passing.get(argument.name) ?? [];
          if (list[list.length - 1] !== node) list.push(node);
          this.passing.set(argument.name, list);
        }
      }
    }
    return this.passing;
  }

  /** A function of the file declared (or bound to a constant) with this name. */
  private functionNamed(name: string): TSESTree.FunctionLike | undefined {
    for (const [node, scope] of this.functionScopes) if (scope.functionName === name) return node as TSESTree.FunctionLike;
    return undefined;
  }

  /**
   * The model of the file an applied object is: a variable set to `tf.sequential()`/`tf.model()`, or a call of a
   * function of the file, which is known by its name; keyed by the binding or the call, so each is one layer.
   */
  private submodelOf(object: Node): { ref: string; key: Binding | Node; withArguments?: true } | undefined {
    if (object.type === 'CallExpression' && object.callee.type === 'Identifier' && this.functionNamed(object.callee.name)) {
      return { ref: object.callee.name, key: object, ...(object.arguments.length > 0 ? { withArguments: true as const } : {}) };
    }
    if (object.type !== 'Identifier') return undefined;
    const binding = this.bindingAt(object.name, object);
    const kind = binding?.init.type === 'CallExpression' ? this.canonical(binding.init.callee) : undefined;
    if (!binding || (kind !== 'sequential' && kind !== 'model')) return undefined;
    return { ref: this.modelName(object.name, binding.scope, kind), key: binding };
  }

  private functionalModel(call: TSESTree.CallExpression, scope: Scope): { model: Model; key?: string } | undefined {
    const { variable, key, nameSpan } = this.assignedName(call);
    const config = call.arguments[0];
    if (config?.type !== 'ObjectExpression') return undefined;
    const read = (key: string) => {
      for (const property of config.properties) {
        if (property.type === 'Property' && property.key.type === 'Identifier' && property.key.name === key) return property.value as Expression;
      }
      return undefined;
    };
    const outputs = read('outputs');
    if (!outputs) return undefined;
    const layers: Layer[] = [];
    const flow: FlowNode[] = [];
    const nodeOfTensor = new Map<Binding, number>();
    const layerOfCall = new Map<TSESTree.CallExpression, Layer>();
    const layerOfSubmodel = new Map<Binding | Node, Layer>();
    const nodeOfCall = new Map<TSESTree.CallExpression, number>();
    const shapeOfNode = new Map<number, Shape | null>();
    let inputShape: Shape | null = null;
    let known = true;
    const visiting = new Set<Node>();

    // Resolves a symbolic tensor expression to a flow node, creating nodes for the layers applied on the way.
    const tensorNode = (expression: Expression, depth: number): number | undefined => {
      const node = unwrap(expression);
      if (depth > 200 || visiting.has(node)) return undefined;
      if (node.type === 'Identifier') {
        const binding = this.bindingAt(node.name, node);
        if (!binding) return undefined;
        const existing = nodeOfTensor.get(binding);
        if (existing !== undefined) return existing;
        let id = tensorNode(binding.init, depth + 1);
        if (id !== undefined && binding.item !== undefined && binding.item > 0) {
          // A state (`h` of `[out, h, c]`) comes from the same call as the output, in a shape not read here.
          const state = flow.length;
          flow.push({ id: state, op: 'opaque', inputs: [id], span: spanOf(node), label: 'state' });
          shapeOfNode.set(state, null);
          id = state;
        }
        if (id !== undefined) nodeOfTensor.set(binding, id);
        return id;
      }
      if (node.type !== 'CallExpression') return undefined;
      // One call is one node, however many names (an output and its states) read it.
      const evaluated = nodeOfCall.get(node);
      if (evaluated !== undefined) return evaluated;
      visiting.add(node);
      try {
        const id = callNode(node, depth);
        if (id !== undefined) nodeOfCall.set(node, id);
        return id;
      } finally {
        visiting.delete(node);
      }
    };

    // The flow node of a call: an input, or a layer applied to the tensors it is given.
    const callNode = (node: TSESTree.CallExpression, depth: number): number | undefined => {
      const name = this.canonical(node.callee);
      if (name === 'input') {
        const { options } = this.optionsOf(node);
        const shape = shapeOption(options);
        inputShape ??= shape;
        const id = flow.length;
        flow.push({ id, op: 'input', inputs: [], span: spanOf(node) });
        shapeOfNode.set(id, shape);
        return id;
      }
      const callee = unwrapCallee(node.callee);
      if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'apply') return undefined;
      const layerCall = this.layerCall(callee.object);
      const argument = node.arguments[0] ? unwrap(node.arguments[0] as Expression) : undefined;
      const inputExpressions = argument?.type === 'ArrayExpression' ? this.arrayItems(argument) : argument ? [argument] : [];
      // A spread the extractor cannot follow hides inputs: the model is not fully known.
      if (inputExpressions === undefined) known = false;
      const inputs = (inputExpressions ?? []).map((input) => tensorNode(input, depth + 1));
      if (inputs.some((input) => input === undefined)) known = false;
      const inputIds = inputs.filter((input): input is number => input !== undefined);
      if (!layerCall) {
        // `custom.apply(x)` with a layer the extractor cannot read: a layer of unknown kind and size, after the
        // layers that feed it. A model of the file (`ffn.apply(x)`, `makeBlock().apply(x)`) is that layer, referring
        // to it; one layer however often it is applied, as every application shares its weights.
        const submodel = this.submodelOf(callee.object);
        let layer = submodel ? layerOfSubmodel.get(submodel.key) : undefined;
        if (!layer) {
          layer = { ...this.unknownLayer(callee.object, layers.length), ...(submodel ? { ref: submodel.ref } : {}) };
          layers.push(layer);
          if (submodel) layerOfSubmodel.set(submodel.key, layer);
          if (submodel?.withArguments) this.builtWithArguments.add(layer);
        }
        const id = flow.length;
        flow.push({ id, op: 'layer', layer: layer.index, inputs: inputIds, span: spanOf(node) });
        shapeOfNode.set(id, null);
        return id;
      }
      const factory = this.canonical(layerCall.callee)!.slice('layers.'.length);
      const id = flow.length;
      if (factory === 'add' || factory === 'concatenate' || factory === 'multiply') {
        const op = factory === 'add' ? 'add' : factory === 'multiply' ? 'mul' : 'concat';
        flow.push({ id, op, inputs: inputIds, span: spanOf(node) });
        const axis = op === 'concat' ? (this.optionsOf(layerCall).options['axis'] ?? -1) : -1;
        const shapes = inputs.length === inputIds.length ? inputIds.map((input) => ({ shape: shapeOfNode.get(input) ?? null })) : [];
        shapeOfNode.set(id, axis === -1 ? mergedShape(op, shapes) : null);
        return id;
      }
      // A layer object applied twice shares its weights: one Layer, two flow nodes.
      let layer = layerOfCall.get(layerCall);
      // A recurrent layer given a list takes its input first, then the initial states (`[x, h, c]`).
      const single = inputIds.length === 1 || (inputIds.length > 1 && RECURRENT_FACTORIES.has(factory));
      const inShape = single ? (shapeOfNode.get(inputIds[0]!) ?? null) : null;
      let outShape: Shape | null = null;
      if (!layer) {
        const built = this.buildLayer(layerCall, layers.length, inShape);
        if (!built) return undefined;
        layer = built.layer;
        outShape = built.outShape;
        layers.push(layer);
        layerOfCall.set(layerCall, layer);
      }
      flow.push({ id, op: 'layer', layer: layer.index, inputs: inputIds, span: spanOf(node) });
      shapeOfNode.set(id, outShape);
      return id;
    };

    // Outputs as a list, or a name bound to one (`outputs: encoderStates`), or one tensor.
    const list = this.arrayLiteral(outputs);
    const outputExpressions = list ? this.arrayItems(list) : [outputs];
    if (outputExpressions === undefined) known = false;
    const outputIds: number[] = [];
    for (const output of outputExpressions ?? []) {
      const id = tensorNode(output, 0);
      if (id === undefined) known = false;
      else outputIds.push(id);
    }
    flow.push({ id: flow.length, op: 'output', inputs: outputIds, span: spanOf(call) });
    const name = this.modelName(variable, scope, 'model');
    const model = this.finishModel(name, call, nameSpan, layers, flow, known, inputShape);
    // A tensor that could not be followed hides the layers that made it: the size is unknown, not that of the rest.
    if (!known) model.parameterCount = null;
    return { model, ...(key !== undefined ? { key } : {}) };
  }

  private finishModel(name: string, call: Node, nameSpan: Span, layers: Layer[], flow: FlowNode[], flowKnown: boolean, inputShape: Shape | null): Model {
    let parameterCount: number | null = 0;
    for (const layer of layers) parameterCount = parameterCount === null || layer.params === null ? null : parameterCount + layer.params;
    return {
      name,
      framework: 'tfjs',
      span: spanOf(call),
      nameSpan,
      layers,
      flow,
      flowKnown,
      inputShape,
      parameterCount,
      initSpans: [],
      parameters: [],
    };
  }

  private compileFacts(call: TSESTree.CallExpression, model: Model, losses: LossInfo[], optimizers: OptimizerInfo[]): void {
    const config = call.arguments[0];
    if (config?.type !== 'ObjectExpression') return;
    for (const property of config.properties) {
      if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
      const value = unwrap(property.value as Expression);
      if (property.key.name === 'loss') {
        const loss = this.lossOf(value, model.name);
        if (loss) losses.push(loss);
      } else if (property.key.name === 'optimizer') {
        const optimizer = this.optimizerOf(value, model.name);
        if (optimizer) optimizers.push(optimizer);
      }
    }
  }

  private lossOf(value: Expression, model: string): LossInfo | undefined {
    let key: string | undefined;
    if (value.type === 'Literal' && typeof value.value === 'string') key = value.value;
    else {
      const name = value.type === 'MemberExpression' || value.type === 'Identifier' ? this.canonical(value) : undefined;
      if (name?.startsWith('losses.') || name?.startsWith('metrics.')) key = name.split('.')[1];
    }
    if (key === undefined) return undefined;
    const known = COMPILE_LOSSES.get(key) ?? { kind: 'other' as const, fromLogits: false };
    return { kind: known.kind, ctor: this.text.slice(value.range[0], value.range[1]), span: spanOf(value), fromLogits: known.fromLogits, model };
  }

  /**
   * The variable of the model whose output an expression is: `model.predict(xs)`, `model.apply(xs)`, or a name
   * bound to one (`const logits = model.predict(xs)`).
   */
  private predictingModel(node: Node, depth = 0): string | undefined {
    const expression = unwrap(node as Expression);
    if (expression.type === 'Identifier' && depth < 4) {
      const binding = this.bindingAt(expression.name, expression);
      return binding && binding.item === undefined ? this.predictingModel(binding.init, depth + 1) : undefined;
    }
    if (expression.type !== 'CallExpression') return undefined;
    const callee = unwrapCallee(expression.callee);
    const predicts = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && PREDICTING_METHODS.has(callee.property.name);
    return predicts ? receiverName(callee.object) : undefined;
  }

  private optimizerOf(value: Expression, model: string): OptimizerInfo | undefined {
    if (value.type === 'Literal' && typeof value.value === 'string') {
      return { kind: OPTIMIZERS.get(value.value) ?? 'other', ctor: value.raw, span: spanOf(value), lr: null, weightDecay: 0, model };
    }
    if (value.type !== 'CallExpression') return undefined;
    const name = this.canonical(value.callee);
    if (!name?.startsWith('train.')) return undefined;
    const kind = name.slice('train.'.length);
    const lr = this.evaluate(value.arguments[0]);
    const momentum = kind === 'momentum' ? this.evaluate(value.arguments[1]) : undefined;
    return {
      kind: OPTIMIZERS.get(kind) ?? 'other',
      ctor: this.text.slice(value.callee.range[0], value.callee.range[1]),
      span: spanOf(value),
      lr: typeof lr === 'number' ? lr : null,
      // TF.js optimizers have no weight decay option.
      weightDecay: 0,
      ...(momentum !== undefined ? { momentum: typeof momentum === 'number' ? momentum : null } : {}),
      model,
    };
  }

  // ---- core-API weights ----

  private customVariables(): CustomParameter[] {
    const found: CustomParameter[] = [];
    const matmulOperands = this.matmulOperands();
    for (const { node } of this.calls) {
      if (this.canonical(node.callee) !== 'variable') continue;
      const argument = node.arguments[0] ? unwrap(node.arguments[0] as Expression) : undefined;
      if (argument?.type !== 'CallExpression') continue;
      const creatorName = this.canonical(argument.callee);
      if (!creatorName) continue;
      const creator = VARIABLE_CREATORS.get(creatorName) ?? 'other';
      const shapeValue = this.evaluate(argument.arguments[0]);
      const shape = Array.isArray(shapeValue) ? shapeValue.map((item) => (typeof item === 'number' ? item : null)) : null;
      // tf.randomNormal(shape, mean, stdDev): a std other than the default 1 is a deliberate scale.
      const std = creator === 'randn' ? this.evaluate(argument.arguments[2]) : undefined;
      const scaled = creator === 'randn' ? argument.arguments[2] !== undefined && std !== 1 : creatorName === 'randomUniform' ? argument.arguments[1] !== undefined : false;
      const { variable, nameSpan } = this.assignedName(node);
      const name = variable ?? 'variable';
      found.push({
        name,
        span: variable ? nameSpan : spanOf(node),
        creator,
        scaled,
        initialized: creator !== 'empty',
        usedAsWeight: matmulOperands.has(name) ? true : null,
        shape,
      });
    }
    return found;
  }

  /** Names used as operands of `tf.matMul` / `x.matMul(w)` / `tf.dot`. */
  private matmulOperands(): Set<string> {
    const names = new Set<string>();
    for (const { node } of this.calls) {
      const callee = unwrapCallee(node.callee);
      const name = this.canonical(node.callee);
      const isMatmul = name === 'matMul' || name === 'dot' || (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && callee.property.name === 'matMul');
      if (!isMatmul) continue;
      const operands: Node[] = [...node.arguments];
      if (callee.type === 'MemberExpression' && name === undefined) operands.push(callee.object);
      for (const operand of operands) {
        const expression = unwrap(operand as Expression);
        if (expression.type === 'Identifier') names.add(expression.name);
      }
    }
    return names;
  }

  private variablesModel(parameters: CustomParameter[]): Model {
    const first = parameters[0]!;
    const span = { start: first.span.start, end: parameters[parameters.length - 1]!.span.end };
    let parameterCount: number | null = 0;
    for (const parameter of parameters) {
      const size = parameter.shape && parameter.shape.every((dim) => dim !== null) ? (parameter.shape as number[]).reduce((a, b) => a * b, 1) : null;
      parameterCount = parameterCount === null || size === null ? null : parameterCount + size;
    }
    return {
      name: 'variables',
      framework: 'tfjs',
      span,
      nameSpan: first.span,
      layers: [],
      flow: [],
      flowKnown: false,
      inputShape: null,
      parameterCount,
      initSpans: [],
      parameters,
    };
  }
}

/** Whether a call sits under a branch or a loop inside its function. */
/**
 * The model a variable holds at a call: the last one assigned to it before the call in the call's function, else
 * in the functions around it, where a model assigned later in the text may still be the one the call sees (a
 * module-level `const model` read by a function written above it).
 */
function modelOf(assigned: ByVariable<{ start: number; model: Model }>, variable: string, scope: Scope, position: number): Model | undefined {
  for (let current: Scope | undefined = scope; current; current = current.parent) {
    const items = assigned.get(current.functionNode)?.get(variable);
    if (!items || items.length === 0) continue;
    const before = countBefore(items, position);
    if (before > 0) return items[before - 1]!.model;
    if (current !== scope) return items[0]!.model;
  }
  // `this.net`, made in the constructor and compiled or trained in another method: the one model the file holds there.
  if (variable.startsWith('this.')) {
    const held = [...assigned.values()].flatMap((byVariable) => byVariable.get(variable) ?? []);
    if (held.length === 1) return held[0]!.model;
  }
  return undefined;
}

/** A loss the code names, and whether it expects logits. */
interface KnownLoss {
  kind: LossInfo['kind'];
  fromLogits: boolean;
}

/** The loss functions custom training calls, with the predictions second, and whether they expect logits. */
const LOSS_CALLS: ReadonlyMap<string, KnownLoss> = new Map<string, KnownLoss>([
  ['losses.softmaxCrossEntropy', { kind: 'categorical_crossentropy', fromLogits: true }],
  ['losses.sigmoidCrossEntropy', { kind: 'binary_crossentropy', fromLogits: true }],
  ['losses.logLoss', { kind: 'binary_crossentropy', fromLogits: false }],
  ['metrics.categoricalCrossentropy', { kind: 'categorical_crossentropy', fromLogits: false }],
  ['metrics.binaryCrossentropy', { kind: 'binary_crossentropy', fromLogits: false }],
]);

/** The losses `compile` names, as strings (`'meanSquaredError'`) or as `tf.losses.*` and `tf.metrics.*` functions. */
const COMPILE_LOSSES: ReadonlyMap<string, KnownLoss> = new Map<string, KnownLoss>([
  ['categoricalCrossentropy', { kind: 'categorical_crossentropy', fromLogits: false }],
  ['sparseCategoricalCrossentropy', { kind: 'sparse_categorical_crossentropy', fromLogits: false }],
  ['binaryCrossentropy', { kind: 'binary_crossentropy', fromLogits: false }],
  ['meanSquaredError', { kind: 'mse', fromLogits: false }],
  ['meanAbsoluteError', { kind: 'mae', fromLogits: false }],
  ['softmaxCrossEntropy', { kind: 'categorical_crossentropy', fromLogits: true }],
  ['sigmoidCrossEntropy', { kind: 'binary_crossentropy', fromLogits: true }],
  ['huberLoss', { kind: 'huber', fromLogits: false }],
]);

/** The optimizers `compile` names as strings (`'adam'`) or `tf.train.*` creates. */
const OPTIMIZERS: ReadonlyMap<string, OptimizerInfo['kind']> = new Map([
  ['sgd', 'sgd'],
  ['momentum', 'sgd'],
  ['adam', 'adam'],
  ['adamax', 'adamax'],
  ['rmsprop', 'rmsprop'],
  ['adagrad', 'adagrad'],
  ['adadelta', 'adadelta'],
]);

/** The tensor creators a `tf.variable` is made from, by the creator they stand for. */
const VARIABLE_CREATORS: ReadonlyMap<string, CustomParameter['creator']> = new Map([
  ['randomNormal', 'randn'],
  ['randomUniform', 'rand'],
  ['truncatedNormal', 'randn'],
  ['zeros', 'zeros'],
  ['ones', 'ones'],
  ['fill', 'full'],
]);

/** The methods of a model that give its output. */
const PREDICTING_METHODS: ReadonlySet<string> = new Set(['predict', 'apply', 'predictOnBatch', 'call']);

/** A loop variable's value in the iteration being read. */
interface LoopValue {
  loop: Node;
  name: string;
  value: ConstValue;
}

/** Layers added in loops are read once per iteration up to this many in all; more leave the model's order unknown. */
const MAX_UNROLLED_ADDS = 256;

const LOOP_TESTS: Partial<Record<string, (value: number, bound: number) => boolean>> = {
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '>': (value, bound) => value > bound,
  '>=': (value, bound) => value >= bound,
};

/**
 * The loop around a node that lies directly inside `within` (the function, or an outer loop being read), undefined
 * when there is none, null when a branch or a loop that is no counting `for` stands between them.
 */
function outermostLoop(node: Node, within: Node | undefined): TSESTree.ForStatement | TSESTree.ForOfStatement | null | undefined {
  let loop: TSESTree.ForStatement | TSESTree.ForOfStatement | undefined;
  for (let current = node.parent; current && current !== within; current = current.parent) {
    if (current.type === 'ForStatement' || current.type === 'ForOfStatement') loop = current;
    else if (isBranching(current)) return null;
  }
  return loop;
}

/** The step a loop's update adds to its variable each time: `i++`, `i--`, `i += 2`, `i = i + 2`. */
function stepOf(update: TSESTree.Expression, name: string): number | undefined {
  if (update.type === 'UpdateExpression' && update.argument.type === 'Identifier' && update.argument.name === name) return update.operator === '++' ? 1 : -1;
  if (update.type !== 'AssignmentExpression' || update.left.type !== 'Identifier' || update.left.name !== name) return undefined;
  const added = update.operator === '=' && update.right.type === 'BinaryExpression' && update.right.left.type === 'Identifier' && update.right.left.name === name ? update.right : undefined;
  const operator = added ? added.operator : update.operator.slice(0, -1);
  const amount = added ? added.right : update.right;
  if (amount.type !== 'Literal' || typeof amount.value !== 'number' || amount.value === 0) return undefined;
  return operator === '+' ? amount.value : operator === '-' ? -amount.value : undefined;
}

/** Whether a loop body may end the loop or skip the rest of an iteration: a break, continue, return or throw. */
function leavesEarly(body: Node): boolean {
  return someNode(body, (node) => node.type === 'BreakStatement' || node.type === 'ContinueStatement' || node.type === 'ReturnStatement' || node.type === 'ThrowStatement');
}

/** Whether a loop body sets the loop's variable itself. */
function assigns(body: Node, name: string): boolean {
  return someNode(
    body,
    (node) =>
      (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && node.left.name === name) ||
      (node.type === 'UpdateExpression' && node.argument.type === 'Identifier' && node.argument.name === name),
  );
}

/** Whether a node runs its parts under a condition or a number of times the code does not spell out. */
function isBranching(node: Node): boolean {
  switch (node.type) {
    case 'IfStatement':
    case 'SwitchStatement':
    case 'ConditionalExpression':
    case 'LogicalExpression':
    case 'ForInStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
      return true;
    default:
      return false;
  }
}

/**
 * Gives a layer that is a model of the file (`ffn.apply(x)`) that model's weights, and its holders their sum. A
 * model built by a call with arguments (`block(128).apply(x)`) was read without them: its size stays unknown.
 */
function countSubmodels(models: readonly Model[], builtWithArguments: ReadonlySet<Layer>): void {
  const byName = new Map(models.map((model) => [model.name, model]));
  const counting = new Set<Model>();
  const count = (model: Model): number | null => {
    if (counting.has(model)) return null;
    counting.add(model);
    for (const layer of model.layers) {
      const child = layer.ref === undefined ? undefined : byName.get(layer.ref);
      if (!child || child === model || builtWithArguments.has(layer)) continue;
      layer.params = count(child);
    }
    counting.delete(model);
    if (model.flowKnown) model.parameterCount = model.layers.reduce<number | null>((total, layer) => (total === null || layer.params === null ? null : total + layer.params), 0);
    return model.parameterCount;
  };
  for (const model of models) if (model.layers.some((layer) => layer.ref !== undefined)) count(model);
}

/**
 * The name a model is looked up by where it is held: a variable (`model`), or a property of `this` (`this.net`), which
 * every method of the class reads. Undefined for other receivers.
 */
function receiverName(node: Node): string | undefined {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'ThisExpression' && node.property.type === 'Identifier') return `this.${node.property.name}`;
  return undefined;
}

/** Whether a node or one below it passes the test, not looking into the functions it defines. */
function someNode(node: Node, test: (node: Node) => boolean): boolean {
  if (test(node)) return true;
  return children(node).some((child) => child.type !== 'FunctionExpression' && child.type !== 'ArrowFunctionExpression' && child.type !== 'FunctionDeclaration' && someNode(child, test));
}

/** An options object the evaluator read whole, with snake_case keys as the Keras layer table has them. */
function snakeCaseOptions(value: ConstValue | undefined): Record<string, ConstValue> | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || 'unknown' in value) return undefined;
  const options: Record<string, ConstValue> = {};
  for (const [key, option] of Object.entries(value as Record<string, ConstValue>)) options[snakeCase(key)] = option;
  return options;
}

function unwrapCallee(node: Node): Node {
  let current = node;
  while (current.type === 'TSNonNullExpression' || current.type === 'TSAsExpression' || current.type === 'ChainExpression') {
    current = current.expression;
  }
  return current;
}

/** Extracts the models of one parsed file; `ast` must carry ranges (parent links are added when missing). */
export function extractTfjs(text: string, ast: TSESTree.Program, language: Program['language']): Program {
  return new TfjsExtractor(text, ast).run(language);
}
