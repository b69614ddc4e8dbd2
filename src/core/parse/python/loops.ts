// `for` loops as the constant evaluator sees them: what they iterate over, the values their targets take, and
// binding those values, shared by the PyTorch and Keras readers so that both unroll a loop the same way.
import type { SyntaxNode } from '@lezer/common';
import { UNKNOWN, type ConstValue } from '../../ir/types';
import { evaluate, rangeBounds, rangeLength, type ConstScope, type MapScope } from './names';
import { callArgs, childNamed, childrenOf, meaningfulChildren, type Source } from './syntax';

/** Loops longer than this are not counted: a model holds fewer modules. */
const MAX_RANGE = 100_000;

export interface ForParts {
  /** The last target when it is a plain name (`m` in `for name, m in ...`). */
  variable?: string;
  iterable?: SyntaxNode;
  body: SyntaxNode | null;
  targets: SyntaxNode[];
}

export function forParts(source: Source, statement: SyntaxNode): ForParts {
  const items = childrenOf(statement);
  const inIndex = items.findIndex((item) => item.name === 'in');
  const targets = inIndex < 0 ? [] : items.slice(1, inIndex).filter((item) => item.name !== ',');
  const last = targets[targets.length - 1];
  return {
    ...(last && last.name === 'VariableName' ? { variable: source.of(last) } : {}),
    ...(inIndex >= 0 && items[inIndex + 1] ? { iterable: items[inIndex + 1]! } : {}),
    body: childNamed(statement, 'Body'),
    targets,
  };
}

/**
 * The values a loop over an iterable takes, when they are known: the numbers of `range(...)`, the items of a list or
 * tuple (`for c in (16, 32, 64)`, `for w in widths`), `[index, item]` pairs of `enumerate` and tuples of `zip`.
 */
export function loopValues(source: Source, node: SyntaxNode | null | undefined, scope: ConstScope, depth = 0): ConstValue[] | null {
  if (!node || depth > 4) return null;
  const bounds = rangeBounds(source, node, scope);
  if (bounds !== undefined) {
    const count = bounds ? rangeLength(bounds) : 0;
    return bounds && count <= MAX_RANGE ? Array.from({ length: count }, (_, index) => bounds.start + index * bounds.step) : null;
  }
  const callee = node.name === 'CallExpression' ? source.dotted(node.firstChild) : undefined;
  const args = callee ? callArgs(source, node) : undefined;
  if ((callee === 'enumerate' || callee === 'zip') && args && !args.splat && args.keywords.size === 0) {
    const sequences = args.positional.map((arg) => loopValues(source, arg, scope, depth + 1));
    if (sequences.length === 0 || sequences.some((sequence) => sequence === null)) return null;
    if (callee === 'enumerate') return sequences.length === 1 ? sequences[0]!.map((item, index) => [index, item]) : null;
    const length = Math.min(...sequences.map((sequence) => sequence!.length));
    return Array.from({ length }, (_, index) => sequences.map((sequence) => sequence![index]!));
  }
  const value = evaluate(source, node, scope);
  return Array.isArray(value) && value.length <= MAX_RANGE ? value : null;
}

/** The number of iterations of a loop over `range(...)`, a known list or tuple, `enumerate` or `zip` of them, or null. */
export function loopCount(source: Source, node: SyntaxNode | null | undefined, scope: ConstScope): number | null {
  const bounds = rangeBounds(source, node, scope);
  if (bounds) return rangeLength(bounds);
  return bounds === undefined ? (loopValues(source, node, scope)?.length ?? null) : null;
}

/** Binds a loop's targets to one iteration's value, unpacking tuples (`for i, (cin, cout) in enumerate(...)`). */
export function bindTargets(source: Source, scope: MapScope, targets: readonly SyntaxNode[], value: ConstValue): void {
  const bind = (target: SyntaxNode, item: ConstValue): void => {
    if (target.name === 'VariableName') {
      scope.set(source.of(target), item);
      return;
    }
    if (target.name !== 'TupleExpression' && target.name !== 'ParenthesizedExpression' && target.name !== 'ArrayExpression') return;
    const parts = meaningfulChildren(target);
    parts.forEach((part, index) => bind(part, Array.isArray(item) && item.length === parts.length ? item[index]! : UNKNOWN));
  };
  if (targets.length === 1) bind(targets[0]!, value);
  else targets.forEach((target, index) => bind(target, Array.isArray(value) && value.length === targets.length ? value[index]! : UNKNOWN));
}

/** Whether a loop body reads the names its loop binds (`for c in widths: ... nn.Conv2d(c, c, 3)`). */
export function readsTargets(source: Source, body: SyntaxNode, targets: readonly SyntaxNode[]): boolean {
  const text = source.of(body);
  return targets.some((target) => {
    const names = source.of(target).match(/\w+/g) ?? [];
    return names.some((name) => name !== '_' && new RegExp(`\\b${name}\\b`).test(text));
  });
}
