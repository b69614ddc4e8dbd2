// The statement interpreter of the data flow of PyTorch forward() and Keras call(). Both walk a method's statements and
// its plain expressions the same way; attributes, calls and what a framework's tensors and modules hold are left to
// the builder of each.
import type { SyntaxNode } from '@lezer/common';
import type { ConstValue, FlowNode, Span } from '../../ir/types';
import type { FileContext } from './context';
import { assignmentParts, callArgs, childNamed, childrenOf, meaningfulChildren, spanOf, statementsOf, updateParts } from './syntax';

/** The most iterations a loop is unrolled for, and the most times a repeated block is run. */
export const MAX_UNROLL = 64;
/** Blocks and inlined helpers nested deeper than this make the flow unknown. */
const MAX_DEPTH = 12;
const MAX_NESTING = 200;

/** A tensor on the data path, named by the flow node that gives it. */
export interface FlowTensor {
  t: 'tensor';
  id: number;
  /** Set on the output sequence of a PyTorch recurrent layer, whose steps a subscript may pick. */
  sequence?: true;
}

/**
 * A value of the data flow. Each framework brings its tensor and what a module attribute holds; the one value of a
 * framework's own, PyTorch's custom parameter, has a fixed tag so that a test of the shared tags rules it out.
 */
export type FlowValue<Tensor extends FlowTensor, Entry, Own extends { t: 'param' } = never> =
  | Tensor
  | { t: 'module'; entry: Entry }
  | { t: 'tuple'; items: FlowValue<Tensor, Entry, Own>[] }
  | { t: 'const'; value: ConstValue }
  | { t: 'unknown' }
  | Own;

const UNKNOWN_VALUE = { t: 'unknown' } as const;

/** The tensors a value holds, in order: itself, or those of a tuple's items. */
export function tensorsOf<Tensor extends FlowTensor, Entry, Own extends { t: 'param' }>(value: FlowValue<Tensor, Entry, Own>): Tensor[] {
  if (value.t === 'tensor') return [value];
  if (value.t === 'tuple') return value.items.flatMap(tensorsOf);
  return [];
}

/** What unpacking gives at a position: a tuple's item, or the tensor itself when it is one (a split the IR keeps whole). */
export function itemOf<Tensor extends FlowTensor, Entry, Own extends { t: 'param' }>(value: FlowValue<Tensor, Entry, Own>, index: number): FlowValue<Tensor, Entry, Own> {
  return value.t === 'tuple' ? (value.items[index] ?? UNKNOWN_VALUE) : value.t === 'tensor' ? value : UNKNOWN_VALUE;
}

/** Runs a method's statements over an environment of values, and adds the flow nodes they make. */
export abstract class FlowInterpreter<Tensor extends FlowTensor, Entry, Own extends { t: 'param' } = never> {
  protected readonly flow: FlowNode[] = [];
  protected flowKnown = true;
  private nesting = 0;

  constructor(protected readonly ctx: FileContext) {}

  /**
   * What attributes, subscripts, conditional expressions and calls give, which each framework reads its own way
   * (any other expression gives unknown); `depth` is how deep the statements they stand in are nested.
   */
  protected abstract evalExpression(node: SyntaxNode, env: Map<string, FlowValue<Tensor, Entry, Own>>, depth: number): FlowValue<Tensor, Entry, Own>;

  /** `left op right`, for a binary operator or an augmented assignment without its `=`. */
  protected abstract combine(op: string, left: FlowValue<Tensor, Entry, Own>, right: FlowValue<Tensor, Entry, Own>, span: Span): FlowValue<Tensor, Entry, Own>;

  /** The tensor a node gives whose shape the flow does not follow. */
  protected abstract unsized(id: number): Tensor;

  /** The modules a loop over the value runs once each, or undefined when the value is no list of modules. */
  protected abstract loopEntries(value: FlowValue<Tensor, Entry, Own>): Entry[] | undefined;

  /** The number of iterations of a `range(...)` call, or null. */
  protected abstract rangeCount(node: SyntaxNode): number | null;

  protected node(op: FlowNode['op'], inputs: number[], span: Span, extra: Partial<FlowNode> = {}): number {
    const id = this.flow.length;
    this.flow.push({ id, op, inputs, span, ...extra });
    return id;
  }

  /** A node the rules do not see through, fed by every tensor the values hold; unknown when they hold none. */
  protected opaque(values: FlowValue<Tensor, Entry, Own>[], span: Span, label: string): FlowValue<Tensor, Entry, Own> {
    const ids = [...new Set(values.flatMap((value) => tensorsOf(value).map((tensor) => tensor.id)))];
    return ids.length === 0 ? UNKNOWN_VALUE : this.unsized(this.node('opaque', ids, span, { label }));
  }

  /** What a followed method gives: its one return, or a merge of the tensors its returns give. */
  protected returnedValue(returned: FlowValue<Tensor, Entry, Own>[], span: Span): FlowValue<Tensor, Entry, Own> {
    return returned.length === 1 ? returned[0]! : this.opaque(returned, span, 'branch');
  }

  protected eval(node: SyntaxNode, env: Map<string, FlowValue<Tensor, Entry, Own>>, depth: number): FlowValue<Tensor, Entry, Own> {
    // Expressions nested thousands deep (generated code, fuzzing) must not exhaust the stack, and no rule needs them.
    if (this.nesting > MAX_NESTING) return UNKNOWN_VALUE;
    this.nesting++;
    try {
      return this.evalNode(node, env, depth);
    } finally {
      this.nesting--;
    }
  }

  private evalNode(node: SyntaxNode, env: Map<string, FlowValue<Tensor, Entry, Own>>, depth: number): FlowValue<Tensor, Entry, Own> {
    const { source } = this.ctx;
    switch (node.name) {
      case 'VariableName':
        return env.get(source.of(node)) ?? UNKNOWN_VALUE;
      case 'ParenthesizedExpression': {
        const inner = meaningfulChildren(node)[0];
        return inner ? this.eval(inner, env, depth) : UNKNOWN_VALUE;
      }
      case 'TupleExpression':
      case 'ArrayExpression':
        return { t: 'tuple', items: meaningfulChildren(node).map((item) => this.eval(item, env, depth)) };
      case 'Number':
      case 'String':
      case 'Boolean':
      case 'None':
        // A literal reads no names: the module scope gives it the value any method's scope would.
        return { t: 'const', value: this.ctx.evaluate(node, this.ctx.moduleScope) };
      case 'UnaryExpression': {
        const operand = childrenOf(node)[1];
        const value = operand ? this.eval(operand, env, depth) : UNKNOWN_VALUE;
        return value.t === 'tensor' ? value : UNKNOWN_VALUE;
      }
      case 'BinaryExpression': {
        const [left, operator, right] = childrenOf(node);
        if (!left || !operator || !right) return UNKNOWN_VALUE;
        return this.combine(source.of(operator), this.eval(left, env, depth), this.eval(right, env, depth), spanOf(node));
      }
      default:
        return this.evalExpression(node, env, depth);
    }
  }

  protected exec(statements: SyntaxNode[], env: Map<string, FlowValue<Tensor, Entry, Own>>, returned: FlowValue<Tensor, Entry, Own>[], depth: number): void {
    if (depth > MAX_DEPTH) {
      this.flowKnown = false;
      return;
    }
    const { source } = this.ctx;
    for (const statement of statements) {
      switch (statement.name) {
        case 'AssignStatement': {
          const parts = assignmentParts(statement);
          if (!parts?.value) break;
          this.assign(parts.targets, this.eval(parts.value, env, depth), env);
          break;
        }
        case 'UpdateStatement': {
          const update = updateParts(source, statement);
          if (!update) break;
          const left = env.get(update.name) ?? UNKNOWN_VALUE;
          env.set(update.name, this.combine(update.operator, left, this.eval(update.value, env, depth), spanOf(statement)));
          break;
        }
        case 'ExpressionStatement':
          if (statement.firstChild) this.eval(statement.firstChild, env, depth);
          break;
        case 'ReturnStatement': {
          const value = meaningfulChildren(statement).find((child) => child.name !== 'return');
          if (value) returned.push(this.eval(value, env, depth));
          break;
        }
        case 'IfStatement':
          this.execIf(statement, env, returned, depth);
          break;
        case 'ForStatement':
          this.execFor(statement, env, returned, depth);
          break;
        case 'WithStatement':
        case 'TryStatement':
        case 'WhileStatement':
          for (const body of statement.getChildren('Body')) this.exec(statementsOf(body), env, returned, depth + 1);
          break;
        default:
          break;
      }
    }
  }

  /** Binds the targets of `a = b = value`: each takes the whole value, and only a bracketed tuple target unpacks it. */
  protected assign(targets: SyntaxNode[], value: FlowValue<Tensor, Entry, Own>, env: Map<string, FlowValue<Tensor, Entry, Own>>): void {
    for (const target of targets) this.bind(target, value, env);
  }

  protected bind(target: SyntaxNode, value: FlowValue<Tensor, Entry, Own>, env: Map<string, FlowValue<Tensor, Entry, Own>>): void {
    if (target.name === 'VariableName') {
      env.set(this.ctx.source.of(target), value);
      return;
    }
    if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      meaningfulChildren(target).forEach((element, index) => this.bind(element, itemOf(value, index), env));
    }
  }

  /** Runs each branch on its own copy; a name the branches set to different tensors becomes a merge the rules do not see through. */
  private execIf(statement: SyntaxNode, env: Map<string, FlowValue<Tensor, Entry, Own>>, returned: FlowValue<Tensor, Entry, Own>[], depth: number): void {
    const branches = statement.getChildren('Body').map((body) => {
      const copy = new Map(env);
      this.exec(statementsOf(body), copy, returned, depth + 1);
      return copy;
    });
    if (!childrenOf(statement).some((child) => child.name === 'else')) branches.push(new Map(env));
    for (const name of new Set(branches.flatMap((branch) => [...branch.keys()]))) {
      const values = branches.map((branch) => branch.get(name) ?? UNKNOWN_VALUE);
      const tensors = values.filter((value): value is Tensor => value.t === 'tensor');
      const ids = new Set(tensors.map((tensor) => tensor.id));
      if (tensors.length === values.length && ids.size === 1) env.set(name, values[0]!);
      else if (tensors.length > 0) env.set(name, this.opaque(tensors, spanOf(statement), 'branch'));
      else env.set(name, values.find((value) => value.t === 'module') ?? values[0] ?? UNKNOWN_VALUE);
    }
  }

  private execFor(statement: SyntaxNode, env: Map<string, FlowValue<Tensor, Entry, Own>>, returned: FlowValue<Tensor, Entry, Own>[], depth: number): void {
    const { source } = this.ctx;
    const items = childrenOf(statement);
    const inIndex = items.findIndex((item) => item.name === 'in');
    const targets = items.slice(1, inIndex).filter((item) => item.name !== ',');
    let iterable = items[inIndex + 1];
    const body = childNamed(statement, 'Body');
    if (!body || !iterable) return;
    const statements = statementsOf(body);
    const enumerated = iterable.name === 'CallExpression' && source.dotted(iterable.firstChild) === 'enumerate';
    if (enumerated) iterable = callArgs(source, iterable).positional[0] ?? iterable;
    const entries = this.loopEntries(this.eval(iterable, env, depth));
    if (entries) {
      // `for block in self.blocks:` runs once per block, repeated blocks included.
      entries.forEach((entry, index) => {
        if (enumerated && targets.length === 2) {
          this.bind(targets[0]!, { t: 'const', value: index }, env);
          this.bind(targets[1]!, { t: 'module', entry }, env);
        } else if (targets.length === 1) this.bind(targets[0]!, { t: 'module', entry }, env);
        this.exec(statements, env, returned, depth + 1);
      });
      return;
    }
    const count = enumerated ? null : this.rangeCount(iterable);
    if (count !== null && count <= MAX_UNROLL && targets.length === 1) {
      for (let index = 0; index < count; index++) {
        this.bind(targets[0]!, { t: 'const', value: index }, env);
        this.exec(statements, env, returned, depth + 1);
      }
      return;
    }
    for (const target of targets) this.bind(target, UNKNOWN_VALUE, env);
    this.exec(statements, env, returned, depth + 1);
  }
}
