// What every part of the Python front end shares about one file: its text, imports, module constants,
// class definitions and dataclass defaults.
import { Tree, type SyntaxNode, type TreeBuffer } from '@lezer/common';
import { parser } from '@lezer/python';
import { countBelow } from '../../ir/sorted';
import { LineIndex } from '../../ir/text';
import { isUnknown, UNKNOWN, type ConstValue } from '../../ir/types';
import { bindParameters, constKey, evaluate, MapScope, Names, type ConstScope } from './names';
import { assignmentParts, bodyOf, childNamed, childrenOf, definitionName, definitionOf, parameterList, Source, statementsOf, type CallArgs } from './syntax';

export interface ClassInfo {
  name: string;
  node: SyntaxNode;
  /** The top-level statement: the class itself, or the decorated statement around it. */
  statement: SyntaxNode;
  /** The statement's text, the same string as in FileContext.topLevelTexts. */
  text: string;
  /** Base classes as written, qualified. */
  bases: string[];
  /** Methods by name; read on first use, as a class whose model is reused needs none. */
  readonly methods: Map<string, SyntaxNode>;
  decorators: string[];
}

/** A class as the file defines it; the getter lives on the prototype, so each class costs one plain object. */
class ParsedClass implements ClassInfo {
  private methodsByName: Map<string, SyntaxNode> | undefined;

  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly statement: SyntaxNode,
    readonly text: string,
    readonly bases: string[],
    readonly decorators: string[],
    private readonly source: Source,
    private readonly body: SyntaxNode | null,
  ) {}

  get methods(): Map<string, SyntaxNode> {
    return (this.methodsByName ??= methodsOf(this.source, this.body));
  }
}

/** Looks up `config.field` in the defaults of the file's dataclasses when no nearer scope binds it. */
class DataclassScope implements ConstScope {
  constructor(
    private readonly inner: ConstScope,
    private readonly fields: Map<string, ConstValue>,
    private readonly helpers?: (name: string) => SyntaxNode | undefined,
    private readonly names?: Names,
  ) {}

  helper(name: string): { fn: SyntaxNode; scope: ConstScope } | undefined {
    const fn = this.helpers?.(name);
    return fn ? { fn, scope: this } : undefined;
  }

  qualify(dotted: string): string | undefined {
    return this.names?.qualify(dotted);
  }

  lookup(name: string): ConstValue | undefined {
    const own = this.inner.lookup(name);
    if (own !== undefined) return own;
    const dot = name.indexOf('.');
    if (dot > 0 && name.indexOf('.', dot + 1) < 0) return this.fields.get(name.slice(dot + 1));
    return undefined;
  }
}

/** The position of the first node that starts at or after `offset`, in nodes in document order (by bisection). */
export function firstNodeFrom(nodes: readonly { from: number }[], offset: number): number {
  return countBelow(nodes.length, (index) => nodes[index]!.from, offset);
}

/** Nodes of interest in a part of the tree, in document order, gathered in one walk so later passes do not walk it again. */
export interface NodeIndex {
  calls: SyntaxNode[];
  assignments: SyntaxNode[];
  loops: SyntaxNode[];
  withs: SyntaxNode[];
  decorated: SyntaxNode[];
  functions: SyntaxNode[];
}

function emptyIndex(): NodeIndex {
  return { calls: [], assignments: [], loops: [], withs: [], decorated: [], functions: [] };
}

/** The nodes of an index that start in a range, found by bisection of each list. */
function indexWithin(index: NodeIndex, from: number, to: number): NodeIndex {
  const result = emptyIndex();
  for (const key of INDEX_KEYS) {
    const nodes = index[key];
    for (let at = firstNodeFrom(nodes, from); at < nodes.length && nodes[at]!.from < to; at++) result[key].push(nodes[at]!);
  }
  return result;
}

export class FileContext {
  /** The syntax errors, in document order. */
  readonly errors: { from: number; to: number }[] = [];
  readonly source: Source;
  readonly names: Names;
  readonly moduleScope = new MapScope();
  readonly classes = new Map<string, ClassInfo>();
  /** Field defaults of @dataclass classes; a field two dataclasses define differently is ambiguous. */
  private readonly dataclassFields = new Map<string, ConstValue>();
  /** The names of each class's constant attributes, whose values are in the module scope as `Class.name`. */
  readonly classConstants = new Map<string, string[]>();
  readonly topLevel: SyntaxNode[];
  /** The top node's children: the statements (a line of several is one group), comments and syntax errors. */
  readonly topLevelNodes: SyntaxNode[] = [];
  /** The indexes of the top node's children walked so far, by their position in topLevelNodes. */
  private readonly childIndexes = new Map<number, NodeIndex>();
  private wholeIndex: NodeIndex | undefined;
  /**
   * The text of each top-level statement. The caches key their entries by these strings: one string per
   * statement means its hash is computed once however many caches look it up.
   */
  readonly topLevelTexts: string[];
  private readonly moduleAssignments = new Map<string, number>();
  /** Top-level functions by name, the first definition of each name. */
  private readonly functions = new Map<string, SyntaxNode>();

  constructor(
    readonly text: string,
    readonly tree: Tree,
  ) {
    this.source = new Source(text);
    this.names = new Names(this.source);
    for (let child = tree.topNode.firstChild; child; child = child.nextSibling) this.topLevelNodes.push(child);
    this.topLevel = statementsOf(tree.topNode);
    this.topLevelTexts = this.topLevel.map((statement) => this.source.of(statement));
    this.collect();
  }

  /** A scope for evaluating code in a function of this file, above the module constants and dataclass fields. */
  scope(parent?: ConstScope): MapScope {
    return new MapScope(parent ?? new DataclassScope(this.moduleScope, this.dataclassFields, this.helperLookup, this.names));
  }

  /**
   * The names of the top-level functions a class build evaluates calls of, which its cached model depends on; calls
   * of the file's functions are evaluated only while it is set (see TorchClassBuilder.build).
   */
  functionReads: Set<string> | undefined;

  private readonly helperLookup = (name: string): SyntaxNode | undefined => {
    if (!this.functionReads) return undefined;
    this.functionReads.add(name);
    return this.functions.get(name);
  };

  /**
   * A scope binding a function's parameters to a call's arguments, evaluated in the caller's scope, and to their
   * defaults otherwise (unknown after a `*args` or `**kwargs` splat); with each parameter and the argument passed.
   * A method's scope skips `self` and lies over the class's (`parent`), whose `self.*` it reads.
   */
  bindArguments(
    params: SyntaxNode | null,
    args: CallArgs,
    caller: ConstScope,
    method?: { parent: ConstScope },
  ): { scope: MapScope; passed: { name: string; argument: SyntaxNode | undefined }[] } {
    const scope = method ? new MapScope(method.parent) : this.scope();
    const list = parameterList(this.source, params);
    const passed = bindParameters(this.source, method ? list.slice(1) : list, args, caller, this.moduleScope, scope);
    return { scope, passed };
  }

  evaluate(node: SyntaxNode | null | undefined, scope: ConstScope): ConstValue {
    return evaluate(this.source, node, scope);
  }

  private collect(): void {
    this.scanErrorsAndImports();
    this.collectTopLevel();
  }

  /**
   * Finds the syntax errors and reads the imports. The tree's raw arrays are scanned instead of walked with a
   * cursor: no node object is made, so this costs little next to the parse, and most passes then walk only the
   * statements they read (see nodesIn). What a subtree holds is kept with it, so that after an edit only the
   * subtrees the parse did not reuse are scanned again.
   */
  private scanErrorsAndImports(): void {
    const { errors, imports } = scanned(this.tree);
    for (let index = 0; index < errors.length; index += 2) this.errors.push({ from: errors[index]!, to: errors[index + 1]! });
    // Imports anywhere (inside functions and try blocks too) bind names for the whole file in practice.
    for (const at of imports) {
      const cursor = this.tree.cursorAt(at, 1);
      while (SCANNED[cursor.type.id] !== IMPORT || cursor.from !== at) if (!cursor.parent()) break;
      if (SCANNED[cursor.type.id] === IMPORT) this.names.addImport(cursor.node);
    }
  }

  /** The nodes of interest in the whole file. */
  get index(): NodeIndex {
    if (!this.wholeIndex) {
      const whole = emptyIndex();
      this.topLevelNodes.forEach((_, position) => {
        const part = this.childIndex(position);
        for (const key of INDEX_KEYS) for (const node of part[key]) whole[key].push(node);
      });
      this.wholeIndex = whole;
    }
    return this.wholeIndex;
  }

  /**
   * The nodes of interest inside a node (the node itself included). Each top-level statement is walked once, when a
   * pass first asks about it: a pass that reads a few statements does not pay for walking the file.
   */
  nodesIn(node: SyntaxNode): NodeIndex {
    if (node.type.isTop) return this.index;
    const position = firstNodeFrom(this.topLevelNodes, node.from + 1) - 1;
    const child = this.topLevelNodes[position];
    if (!child || child.to < node.to) return indexWithin(this.index, node.from, node.to);
    const index = this.childIndex(position);
    return child.from === node.from && child.to === node.to && child.type === node.type ? index : indexWithin(index, node.from, node.to);
  }

  private childIndex(position: number): NodeIndex {
    let index = this.childIndexes.get(position);
    if (!index) {
      index = walkIndex(this.topLevelNodes[position]!);
      this.childIndexes.set(position, index);
    }
    return index;
  }

  /** Module constants, classes and functions, from the top-level statements. */
  private collectTopLevel(): void {
    this.topLevel.forEach((statement, position) => {
      const definition = definitionOf(statement);
      if (definition?.name === 'ClassDefinition') this.addClass(definition, statement, this.topLevelTexts[position]!);
      if (definition?.name === 'FunctionDefinition') {
        const name = definitionName(this.source, definition);
        if (name !== undefined && !this.functions.has(name)) this.functions.set(name, definition);
      }
      const parts = assignmentParts(statement);
      if (parts && parts.op === '=' && parts.targets.length === 1 && parts.targets[0]!.name === 'VariableName') {
        const name = this.source.of(parts.targets[0]!);
        const count = (this.moduleAssignments.get(name) ?? 0) + 1;
        this.moduleAssignments.set(name, count);
        // A name assigned twice at module level has no single value.
        this.moduleScope.set(name, count > 1 ? UNKNOWN : this.evaluate(parts.value, this.moduleScope));
      }
    });
  }

  private addClass(node: SyntaxNode, statement: SyntaxNode, text: string): void {
    const name = definitionName(this.source, node);
    if (!name) return;
    const argList = childNamed(node, 'ArgList');
    const bases = argList
      ? childrenOf(argList)
          .filter((child) => child.name === 'VariableName' || child.name === 'MemberExpression')
          .map((child) => this.names.qualifiedOf(child) ?? this.source.of(child))
      : [];
    const decorators =
      statement.name === 'DecoratedStatement'
        ? statement.getChildren('Decorator').map((decorator) => this.source.of(decorator).replace(/^@\s*/, '').replace(/\(.*$/s, '').trim())
        : [];
    const body = bodyOf(node);
    // `expansion = 4` in a ResNet block: read as `self.expansion` in its methods and as `Bottleneck.expansion`.
    const constants: string[] = [];
    for (const member of body ? statementsOf(body) : []) {
      const parts = member.name === 'AssignStatement' ? assignmentParts(member) : undefined;
      if (!parts?.value || parts.targets.length !== 1 || parts.targets[0]!.name !== 'VariableName') continue;
      const value = this.evaluate(parts.value, this.moduleScope);
      if (isUnknown(value)) continue;
      const attribute = this.source.of(parts.targets[0]!);
      this.moduleScope.set(`${name}.${attribute}`, value);
      constants.push(attribute);
    }
    if (constants.length > 0) this.classConstants.set(name, constants);
    if (body && decorators.some((decorator) => /(^|\.)dataclass$/.test(decorator))) {
      const fields = new Map<string, ConstValue>();
      for (const member of statementsOf(body)) {
        const parts = assignmentParts(member);
        if (parts && parts.targets.length === 1 && parts.targets[0]!.name === 'VariableName') {
          fields.set(this.source.of(parts.targets[0]!), this.evaluate(parts.value, this.moduleScope));
        }
      }
      for (const [field, value] of fields) {
        const previous = this.dataclassFields.get(field);
        this.dataclassFields.set(field, previous === undefined || JSON.stringify(previous) === JSON.stringify(value) ? value : UNKNOWN);
      }
    }
    this.classes.set(name, new ParsedClass(name, node, statement, text, bases, decorators, this.source, body));
  }

  /** For each syntax error, the furthest end of it and the errors before it. */
  private errorReach: number[] | undefined;

  /** Whether a syntax error touches the node. */
  hasErrorsIn(node: SyntaxNode): boolean {
    // Errors are in document order: count those starting before the node ends, then see how far they reach.
    const errors = this.errors;
    // Offsets are whole numbers: starting at or before `to` is starting below `to + 1`.
    const low = countBelow(errors.length, (index) => errors[index]!.from, node.to + 1);
    if (low === 0) return false;
    if (!this.errorReach) {
      let reach = -1;
      this.errorReach = errors.map((error) => (reach = Math.max(reach, error.to)));
    }
    return this.errorReach[low - 1]! >= node.from;
  }

  private lineIndex: LineIndex | undefined;

  /** Line positions of the text, worked out on first use: most files never ask. */
  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  /** The first top-level function of that name. */
  topLevelFunction(name: string): SyntaxNode | undefined {
    return this.functions.get(name);
  }

  /** The names of the top-level functions, in document order. */
  topLevelFunctionNames(): string[] {
    return [...this.functions.keys()];
  }

  /**
   * A key for what the results the incremental extraction reuses read from the rest of the file: import
   * aliases, module constants, dataclass defaults and class names. (A class's model also reads the top-level
   * functions it calls; its builder records those.)
   */
  environmentKey(): string {
    const parts = [this.names.key()];
    for (const [name, value] of this.moduleScope.values) parts.push(`${name}=${constKey(value)}`);
    parts.push('dataclass');
    for (const [name, value] of this.dataclassFields) parts.push(`${name}=${constKey(value)}`);
    parts.push('classes', ...this.classes.keys());
    return parts.join('\n');
  }

  /** Whether a class derives (through classes of this file) from a base matching the test. */
  derivesFrom(name: string, test: (qualified: string) => boolean, seen = new Set<string>()): boolean {
    const info = this.classes.get(name);
    if (!info || seen.has(name)) return false;
    seen.add(name);
    return info.bases.some((base) => test(base) || this.derivesFrom(base, test, seen));
  }
}

/** The methods of a class body by name (a later definition of a name wins). */
function methodsOf(source: Source, body: SyntaxNode | null): Map<string, SyntaxNode> {
  const methods = new Map<string, SyntaxNode>();
  for (const member of body ? statementsOf(body) : []) {
    const definition = definitionOf(member);
    const methodName = definition?.name === 'FunctionDefinition' ? definitionName(source, definition) : undefined;
    if (methodName) methods.set(methodName, definition!);
  }
  return methods;
}

/** `torch.nn.Module`, and Lightning's module, which is one (`pl.LightningModule`, `L.LightningModule`). */
export function isTorchModuleBase(qualified: string): boolean {
  return qualified === 'torch.nn.Module' || qualified === 'torch.nn.Sequential' || /^(pytorch_lightning|lightning(\.pytorch)?)(\.core(\.module)?)?\.LightningModule$/.test(qualified);
}

export function isKerasModelBase(qualified: string): boolean {
  return /^keras\.(Model|layers\.Layer|Layer)$/.test(qualified);
}

const INDEX_KEYS = ['calls', 'assignments', 'loops', 'withs', 'decorated', 'functions'] as const;

const ERROR = 1;
const IMPORT = 2;
/** What the scan for errors and imports looks for, by node type id. */
const SCANNED = Uint8Array.from(parser.nodeSet.types, (type) => (type.isError ? ERROR : type.name === 'ImportStatement' ? IMPORT : 0));

/** The syntax errors (start and end, one after the other) and the starts of imports in a subtree, from its start. */
interface Scan {
  errors: readonly number[];
  imports: readonly number[];
}

const NOTHING: Scan = { errors: [], imports: [] };

/** Scans by subtree. Subtrees never change, and an edit's parse takes those it reuses from the last tree. */
const SCANS = new WeakMap<Tree | TreeBuffer, Scan>();

function scanned(subtree: Tree | TreeBuffer): Scan {
  let scan = SCANS.get(subtree);
  if (!scan) {
    scan = subtree instanceof Tree ? scanTree(subtree) : scanBuffer(subtree);
    SCANS.set(subtree, scan);
  }
  return scan;
}

function scanBuffer(buffer: TreeBuffer): Scan {
  const errors: number[] = [];
  const imports: number[] = [];
  const data = buffer.buffer;
  for (let at = 0; at < data.length; at += 4) {
    const kind = SCANNED[data[at]!];
    if (kind === ERROR) errors.push(data[at + 1]!, data[at + 2]!);
    else if (kind === IMPORT) imports.push(data[at + 1]!);
  }
  return errors.length > 0 || imports.length > 0 ? { errors, imports } : NOTHING;
}

function scanTree(tree: Tree): Scan {
  const errors: number[] = [];
  const imports: number[] = [];
  const kind = SCANNED[tree.type.id];
  if (kind === ERROR) errors.push(0, tree.length);
  else if (kind === IMPORT) imports.push(0);
  for (let index = 0; index < tree.children.length; index++) {
    const inner = scanned(tree.children[index]!);
    const at = tree.positions[index]!;
    for (const offset of inner.errors) errors.push(at + offset);
    for (const offset of inner.imports) imports.push(at + offset);
  }
  return errors.length > 0 || imports.length > 0 ? { errors, imports } : NOTHING;
}

/** The nodes of interest in one subtree, in one walk. */
function walkIndex(node: SyntaxNode): NodeIndex {
  const index = emptyIndex();
  const cursor = node.cursor();
  // Pre-order by hand: firstChild/nextSibling/parent is cheaper than cursor.next() on every node.
  let depth = 0;
  for (;;) {
    switch (cursor.name) {
      case 'CallExpression':
        index.calls.push(cursor.node);
        break;
      case 'AssignStatement':
        index.assignments.push(cursor.node);
        break;
      case 'ForStatement':
      case 'WhileStatement':
        index.loops.push(cursor.node);
        break;
      case 'WithStatement':
        index.withs.push(cursor.node);
        break;
      case 'DecoratedStatement':
        index.decorated.push(cursor.node);
        break;
      case 'FunctionDefinition':
        index.functions.push(cursor.node);
        break;
    }
    if (cursor.firstChild()) {
      depth++;
      continue;
    }
    for (;;) {
      if (depth === 0) return index;
      if (cursor.nextSibling()) break;
      cursor.parent();
      depth--;
    }
  }
}
