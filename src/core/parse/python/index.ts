import { TreeFragment, type SyntaxNode, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { isUnknown, UNKNOWN, type ConstValue, type Layer, type Model, type Program, type Span } from '../../ir/types';
import { buildClass, ClassCache, RebuildCache } from './class-cache';
import { FileContext, isKerasModelBase } from './context';
import { kerasFacts, KerasScopeCache } from './keras';
import { KerasClassBuilder, KerasClassCache } from './keras-class';
import { applyTypedInits, isTorchModelClass, layerClassNamed, layerClassValue, PASSED_MODULE, sequentialModel, TorchClassBuilder, type TypedInit } from './pytorch';
import { IncrementalRepair, repairUnclosedBrackets } from './repair';
import { constKey } from './names';
import { childNamed, parameterList, spanOf } from './syntax';
import { TrainingCache, TrainingReader } from './training';

const MAX_SYNTAX_ERRORS = 50;

/** Parses Python source into the model IR. */
export function parsePython(text: string): Program {
  return new IncrementalPythonParser(false).parse(text, undefined);
}

/** One replacement, in offsets of the text before it. */
export interface PythonChange {
  start: number;
  end: number;
  newText: string;
}

/**
 * Keeps the last syntax tree of one document so that, after an edit, lezer reuses every subtree the edit did
 * not touch. A one-character edit in a 2,000-line file then reparses a few nodes instead of the file. What the
 * extraction gave for unchanged classes and functions is kept too (see the caches), so it is not read again.
 */
export class IncrementalPythonParser {
  private previous: { text: string; tree: Tree } | undefined;
  private readonly repairs: IncrementalRepair | undefined;
  /** What the last version's extraction leaves for the classes and functions an edit leaves alone. */
  private readonly caches: Caches | undefined;

  /** `reuse` is off for one-shot parses, which would only pay for keeping what a next version reuses. */
  constructor(reuse = true) {
    this.repairs = reuse ? new IncrementalRepair() : undefined;
    this.caches = reuse
      ? { classes: new ClassCache(), kerasClasses: new KerasClassCache(), kerasScopes: new KerasScopeCache(), rebuilds: new RebuildCache(), training: new TrainingCache() }
      : undefined;
  }

  parse(text: string, changes: readonly PythonChange[] | undefined): Program {
    // Reuse only for a single edit (a keystroke, a paste): the old tree must match the text it was parsed from, and
    // one range needs no reordering between old and new coordinates.
    const previous = this.previous;
    const single = changes?.length === 1 ? changes[0]! : undefined;
    const change = previous && single && previous.text.slice(0, single.start) + single.newText + previous.text.slice(single.end) === text ? single : undefined;
    const repair = this.repairs ? this.repairs.repair(text, change && previous!.text, change) : repairUnclosedBrackets(text);
    let fragments: readonly TreeFragment[] | undefined;
    // The old tree is reused only when no repair was needed.
    if (previous && change && repair.blanked.length === 0) {
      const range = { fromA: change.start, toA: change.end, fromB: change.start, toB: change.start + change.newText.length };
      fragments = TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), [range]);
    }
    let tree = parser.parse(repair.text, fragments);
    let ctx = new FileContext(repair.text, tree);
    if (fragments && (ctx.errors.length > 0 || nestsTopLevelStatement(repair.text, tree))) {
      // Error recovery may go another way around reused subtrees, and a reused tree can even keep a block open
      // past the lines that close it; only an error-free tree whose blocks end where the text says is sure to be
      // the one a fresh parse gives.
      tree = parser.parse(repair.text);
      ctx = new FileContext(repair.text, tree);
    }
    this.previous = repair.blanked.length === 0 ? { text, tree } : undefined;
    const program = extract(ctx, this.caches);
    for (const range of repair.blanked) {
      program.syntaxErrors.unshift({ span: { start: range.start, end: range.end }, message: range.reason });
    }
    return program;
  }
}

/** The statements that hold blocks of statements; a decorated one holds the definition it decorates. */
const COMPOUND = new Set(['FunctionDefinition', 'ClassDefinition', 'DecoratedStatement', 'IfStatement', 'ForStatement', 'WhileStatement', 'WithStatement', 'TryStatement', 'MatchStatement']);

/**
 * Whether a block holds a statement that starts a line at column 0, which only the top level can. After an edit,
 * lezer has been seen to reuse the statements after a function inside the function's body (error-free, but not
 * the tree a fresh parse gives). Such statements end the innermost open block, so only the last statement of each
 * block is followed down.
 */
function nestsTopLevelStatement(text: string, tree: Tree): boolean {
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    let node: SyntaxNode | null = statement;
    for (let depth = 0; node && COMPOUND.has(node.name) && depth < 64; depth++) {
      const last: SyntaxNode | null = node.lastChild;
      if (last?.name !== 'Body') {
        node = node.name === 'DecoratedStatement' ? last : null;
        continue;
      }
      for (let child = last.firstChild; child; child = child.nextSibling) {
        const startsLine = child.from > 0 && text.charCodeAt(child.from - 1) === 10;
        if (startsLine && child.name !== 'Comment' && !child.type.isError && /Statement|Definition/.test(child.name)) return true;
      }
      node = last.lastChild;
    }
  }
  return false;
}

function syntaxErrors(ctx: FileContext): Program['syntaxErrors'] {
  return ctx.errors.slice(0, MAX_SYNTAX_ERRORS).map((error) => ({ span: { start: error.from, end: error.to }, message: 'syntax error' }));
}

/** Where a free-standing `nn.Sequential(...)` gets its name: the variable, or the function that returns it. */
function sequentialName(ctx: FileContext, call: SyntaxNode): { name: string; nameSpan: Span } {
  const parent = call.parent;
  if (parent?.name === 'AssignStatement' && parent.firstChild?.name === 'VariableName') {
    return { name: ctx.source.of(parent.firstChild), nameSpan: spanOf(parent.firstChild) };
  }
  // `self.net = nn.Sequential(...)` in a class that is no module: named after the class and the attribute.
  const attribute = parent?.name === 'AssignStatement' ? ctx.source.dotted(parent.firstChild) : undefined;
  if (attribute?.startsWith('self.')) {
    for (let node = parent!.parent; node; node = node.parent) {
      if (node.name !== 'ClassDefinition') continue;
      const className = childNamed(node, 'VariableName');
      if (className) return { name: `${ctx.source.of(className)}.${attribute.slice('self.'.length)}`, nameSpan: spanOf(parent!.firstChild!) };
    }
  }
  for (let node = call.parent; node; node = node.parent) {
    if (node.name === 'FunctionDefinition') {
      const name = childNamed(node, 'VariableName');
      if (name) return { name: ctx.source.of(name), nameSpan: spanOf(name) };
    }
  }
  const line = ctx.lines.positionAt(call.from).line + 1;
  return { name: `Sequential@${line}`, nameSpan: spanOf(call.firstChild!) };
}

/**
 * The calls outside the classes (spans in document order) whose callee names torch.nn.Sequential, in document order.
 * They are found from where the class's name, or a local name an import binds to it, stands in the text: walking
 * every call of the file would cost more.
 */
function sequentialCalls(ctx: FileContext, classes: readonly Span[]): SyntaxNode[] {
  const calls = new Map<number, SyntaxNode>();
  for (const word of new Set(['Sequential', ...ctx.names.localNamesOf('torch.nn.Sequential')])) {
    let nextClass = 0;
    // Word characters around it make it part of a longer name: those are passed over before the tree is asked.
    for (const match of ctx.text.matchAll(new RegExp(`(?<!\\w)${word}(?!\\w)`, 'g'))) {
      const at = match.index;
      // Classes are top-level statements, so a call holding a name in one lies in it too.
      while (nextClass < classes.length && classes[nextClass]!.end <= at) nextClass++;
      if (nextClass < classes.length && classes[nextClass]!.start <= at) continue;
      const name = ctx.tree.resolveInner(at, 1);
      // Other parts of longer names, strings and comments resolve to other nodes.
      if (name.from !== at || name.to !== at + word.length) continue;
      let callee: SyntaxNode | null = null;
      // Only the class's own name is read as an attribute (`nn.Sequential`): an alias is a bare name.
      if (word === 'Sequential' && name.name === 'PropertyName' && name.parent?.name === 'MemberExpression') callee = name.parent;
      // A bare name is torch.nn.Sequential only when an import binds it; other callees name no class.
      else if (name.name === 'VariableName' && ctx.names.isImported(word)) callee = name;
      const call = callee?.parent;
      // The callee is the call's first child: it starts where the call does.
      if (call?.name !== 'CallExpression' || call.from !== callee!.from || calls.has(call.from)) continue;
      if (ctx.names.qualifiedOf(callee) === 'torch.nn.Sequential') calls.set(call.from, call);
    }
  }
  return [...calls.values()].sort((a, b) => a.from - b.from);
}

/** Free-standing Sequential literals: outside model classes (spans in document order) and not nested in another Sequential. */
function sequentialLiterals(ctx: FileContext, classes: readonly Span[]): Model[] {
  const models: Model[] = [];
  let skipUntil = -1;
  for (const call of sequentialCalls(ctx, classes)) {
    if (call.from < skipUntil) continue;
    const { name, nameSpan } = sequentialName(ctx, call);
    const model = sequentialModel(ctx, call, name, nameSpan);
    if (model) models.push(model);
    skipUntil = call.to;
  }
  return models;
}

/** Builds the IR from an already parsed tree. */
export function extractPython(text: string, tree: Tree): Program {
  return extract(new FileContext(text, tree), undefined);
}

/** Results of one version of a document that the extraction of the next reuses. */
interface Caches {
  classes: ClassCache;
  kerasClasses: KerasClassCache;
  kerasScopes: KerasScopeCache;
  /** Classes read again with a submodule's arguments. */
  rebuilds: RebuildCache;
  /** What the training code's top-level statements gave; they also depend on the file's models. */
  training: TrainingCache;
}

/** Builds the IR of one file, taking what unchanged classes and functions give from the caches when there are. */
function extract(ctx: FileContext, caches: Caches | undefined): Program {
  const models: Model[] = [];
  const typeInits = new Map<string, readonly TypedInit[]>();
  const classSpans: Span[] = [];
  const classes = caches?.classes;
  const environment = caches ? ctx.environmentKey() : '';
  caches?.classes.begin(environment);
  caches?.kerasClasses.begin(environment);
  caches?.kerasScopes.begin(environment);
  for (const info of ctx.classes.values()) {
    if (isTorchModelClass(ctx, info.name)) {
      const { model, typeInits: inits } = classes ? classes.build(ctx, info) : buildClass(ctx, info).built;
      typeInits.set(info.name, inits);
      models.push(model);
      classSpans.push(spanOf(info.node));
    } else if (ctx.derivesFrom(info.name, isKerasModelBase)) {
      models.push(caches ? caches.kerasClasses.build(ctx, info) : new KerasClassBuilder(ctx, info).build());
      classSpans.push(spanOf(info.node));
    }
  }
  classes?.end();
  caches?.kerasClasses.end();
  propagateInits(models, typeInits);
  models.push(...sequentialLiterals(ctx, classSpans.sort((a, b) => a.start - b.start)));
  const keras = kerasFacts(ctx, caches?.kerasScopes);
  caches?.kerasScopes.end();
  models.push(...keras.models);
  caches?.rebuilds.begin(environment);
  resolveParameterCounts(ctx, models, caches?.rebuilds);
  caches?.rebuilds.end();
  caches?.training.begin(environment, models, ctx.topLevelFunctionNames());
  const training = new TrainingReader(ctx, models).read(caches?.training);
  caches?.training.end();
  models.sort((a, b) => a.span.start - b.span.start);
  return {
    language: 'python',
    models,
    losses: [...training.losses, ...keras.losses].sort((a, b) => a.span.start - b.span.start),
    optimizers: [...training.optimizers, ...keras.optimizers].sort((a, b) => a.span.start - b.span.start),
    loops: [...training.loops, ...keras.fits].sort((a, b) => a.span.start - b.span.start),
    noGrad: training.noGrad.sort((a, b) => a.span.start - b.span.start),
    modeCalls: training.modeCalls.sort((a, b) => a.span.start - b.span.start),
    syntaxErrors: syntaxErrors(ctx),
    ...(ctx.errors.length > MAX_SYNTAX_ERRORS ? { moreSyntaxErrors: true as const } : {}),
  };
}

/** A parent's `self.apply(init_fn)` reaches the layers and parameters of the submodules it holds. */
function propagateInits(models: Model[], typeInits: Map<string, readonly TypedInit[]>): void {
  const byName = new Map(models.map((model) => [model.name, model]));
  for (const [name, inits] of typeInits) {
    if (inits.length === 0) continue;
    const seen = new Set<string>([name]);
    const queue = byName.get(name)!.layers.flatMap((layer) => (layer.ref ? [layer.ref] : []));
    while (queue.length > 0) {
      const child = queue.shift()!;
      if (seen.has(child)) continue;
      seen.add(child);
      const model = byName.get(child);
      if (!model) continue;
      applyTypedInits(model, inits);
      queue.push(...model.layers.flatMap((layer) => (layer.ref ? [layer.ref] : [])));
    }
  }
}

/** Submodules built with their own arguments are read again only this deep, and this many per file. */
const MAX_REBUILD_DEPTH = 4;
const MAX_REBUILDS = 64;

/**
 * The constructor arguments a PyTorch submodule of a class of this file is built with, by parameter name, where they
 * differ from what the class's model was read with (an unknown value as unknown): an empty map when they do not,
 * undefined when they cannot be told (more arguments than parameters, a class without `__init__`).
 */
function constructorArguments(ctx: FileContext, layer: Layer): Map<string, ConstValue> | undefined {
  const changed = new Map<string, ConstValue>();
  if (layer.args.length === 0) return changed;
  const init = layer.ref === undefined ? undefined : ctx.classes.get(layer.ref)?.methods.get('__init__');
  if (!init) return undefined;
  const params = parameterList(ctx.source, childNamed(init, 'ParamList')).slice(1);
  let position = 0;
  for (const arg of layer.args) {
    const param = arg.name === undefined ? params[position++] : params.find((candidate) => candidate.name === arg.name);
    if (!param) return undefined;
    if (arg.module) {
      changed.set(param.name, PASSED_MODULE);
      continue;
    }
    if (arg.layerClass !== undefined) {
      // The class the parameter defaults to builds the same layers.
      if (!param.defaultValue || layerClassNamed(ctx, param.defaultValue) !== arg.layerClass) changed.set(param.name, layerClassValue(arg.layerClass));
      continue;
    }
    // A parameter without a default was unknown when the class was read; a known value now can only tell more.
    if (!param.defaultValue) {
      if (!isUnknown(arg.value)) changed.set(param.name, arg.value);
      continue;
    }
    // An unknown value is read as unknown: a size that depends on it is unknown, one that does not is still read
    // (ConvNeXt's blocks, given a drop-path rate from torch.linspace).
    if (isUnknown(arg.value)) {
      changed.set(param.name, UNKNOWN);
      continue;
    }
    const defaultValue = ctx.evaluate(param.defaultValue, ctx.moduleScope);
    if (isUnknown(defaultValue) || constKey(defaultValue) !== constKey(arg.value)) changed.set(param.name, arg.value);
  }
  return changed;
}

/**
 * Sums layer parameters, counting repeats and submodules defined in the same file. A submodule built with other
 * arguments than its class's defaults (`TNet(k=64)`) is read again with them, as its size is its own.
 */
function resolveParameterCounts(ctx: FileContext, models: Model[], cache: RebuildCache | undefined): void {
  const byName = new Map(models.map((model) => [model.name, model]));
  const rebuilt = new Map<string, number | null>();
  const resolving = new Set<string>();
  const sum = (model: Model, depth: number): number | null => {
    let total: number | null = 0;
    for (const layer of model.layers) {
      let params = layer.params;
      if (layer.ref && params === null) {
        const child = byName.get(layer.ref);
        if (model.framework === 'keras') {
          // The child was read with its own defaults, and a Keras layer class is sized by its arguments (`Linear(64)`).
          params = child && layer.args.length === 0 ? count(child) : null;
        } else if (child && model.framework === 'pytorch') {
          const changed = constructorArguments(ctx, layer);
          params = changed === undefined ? null : changed.size === 0 ? count(child) : rebuiltCount(layer.ref, changed, depth);
          // Tied weights inside the child are counted on the layer whose tensor they are.
          if (layer.sharedParams !== undefined) params = params === null || layer.sharedParams === null ? null : params - layer.sharedParams;
        } else {
          params = child ? count(child) : null;
        }
        if (depth === 0) layer.params = params;
        if (layer.frozen) {
          // Frozen whole: what its class holds is not trained.
          if (depth === 0) {
            layer.nonTrainable = params;
            layer.params = 0;
          }
          params = 0;
        }
      }
      const repeat = layer.repeat === undefined ? 1 : layer.repeat;
      total = total === null || params === null || repeat === null ? null : total + params * repeat;
    }
    for (const parameter of model.parameters) {
      if (parameter.frozen) continue;
      const size = parameter.shape && parameter.shape.every((dim) => dim !== null) ? (parameter.shape as number[]).reduce((a, b) => a * b, 1) : null;
      total = total === null || size === null ? null : total + size;
    }
    return total;
  };
  const rebuiltCount = (name: string, changed: Map<string, ConstValue>, depth: number): number | null => {
    const argumentsKey = [...changed].map(([param, value]) => `${param}=${constKey(value)}`).join(',');
    const key = `${name}(${argumentsKey})`;
    const known = rebuilt.get(key);
    if (known !== undefined) return known;
    if (depth >= MAX_REBUILD_DEPTH || rebuilt.size >= MAX_REBUILDS) return null;
    // Marks the key first: a class that builds itself again with the same arguments has no finite size.
    rebuilt.set(key, null);
    const info = ctx.classes.get(name)!;
    const model = cache ? cache.build(ctx, info, changed, argumentsKey) : new TorchClassBuilder(ctx, info, changed).build();
    const total = sum(model, depth + 1);
    rebuilt.set(key, total);
    return total;
  };
  const count = (model: Model): number | null => {
    if (model.parameterCount !== null) return model.parameterCount;
    if (resolving.has(model.name)) return null;
    resolving.add(model.name);
    const total = sum(model, 0);
    resolving.delete(model.name);
    model.parameterCount = total;
    return total;
  };
  models.forEach(count);
}
