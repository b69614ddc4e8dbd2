// Small helpers over @lezer/python's syntax tree: text, children, dotted names and call arguments.
import type { SyntaxNode } from '@lezer/common';
import type { Span } from '../../ir/types';

export function spanOf(node: SyntaxNode): Span {
  return { start: node.from, end: node.to };
}

export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) result.push(child);
  return result;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', 'AssignOp', '*', '**', 'Comment']);

/** Children that are expressions or statements, without brackets, commas, keywords' punctuation and comments. */
export function meaningfulChildren(node: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (!PUNCTUATION.has(child.name) && !child.type.isError) result.push(child);
  }
  return result;
}

/** What regex `\w` matches, by character code: ASCII letters, digits and `_`. */
export function isNameChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

export class Source {
  constructor(readonly text: string) {}

  of(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** Whether a node's text is exactly `text`, told without slicing it out. */
  is(node: SyntaxNode, text: string): boolean {
    return node.to - node.from === text.length && this.text.startsWith(text, node.from);
  }

  /** `a.b.c` for a name or attribute chain, undefined for anything else. */
  dotted(node: SyntaxNode | null | undefined, depth = 0): string | undefined {
    // Real attribute chains are short; a pathological nesting must not exhaust the stack.
    if (!node || depth > 64) return undefined;
    if (node.name === 'VariableName') return this.of(node);
    if (node.name === 'MemberExpression') {
      const object = node.firstChild;
      const property = node.lastChild;
      if (!object || !property || property.name !== 'PropertyName') return undefined;
      const left = this.dotted(object, depth + 1);
      return left === undefined ? undefined : `${left}.${this.of(property)}`;
    }
    if (node.name === 'ParenthesizedExpression') return this.dotted(meaningfulChildren(node)[0], depth + 1);
    return undefined;
  }
}

export interface CallArgs {
  positional: SyntaxNode[];
  keywords: ReadonlyMap<string, { name: SyntaxNode; value: SyntaxNode }>;
  /** `*args` or `**kwargs` were passed: the call's arguments are not all visible. */
  splat: boolean;
  /** The ArgList node, for its span. */
  list: SyntaxNode | null;
}

/** Shared by the many calls without keyword arguments. */
const NO_KEYWORDS: ReadonlyMap<string, { name: SyntaxNode; value: SyntaxNode }> = new Map();

/** Splits a CallExpression's ArgList into positional and keyword arguments. */
export function callArgs(source: Source, call: SyntaxNode): CallArgs {
  const last = call.lastChild;
  const list = last?.name === 'ArgList' ? last : null;
  const result: CallArgs = { positional: [], keywords: NO_KEYWORDS, splat: false, list };
  let keywords: Map<string, { name: SyntaxNode; value: SyntaxNode }> | undefined;
  // Walks the siblings without collecting them first: every call of the file is split here, often twice.
  let item = list ? list.firstChild : null;
  while (item) {
    const name = item.name;
    if (name === '(' || name === ')' || name === ',' || name === 'Comment' || item.type.isError) {
      item = item.nextSibling;
      continue;
    }
    if (name === '*' || name === '**') {
      result.splat = true;
      item = item.nextSibling?.nextSibling ?? null;
      continue;
    }
    const op = name === 'VariableName' ? item.nextSibling : null;
    if (op?.name === 'AssignOp') {
      const value = op.nextSibling;
      if (value && value.name !== ')' && value.name !== ',' && !value.type.isError) {
        if (!keywords) result.keywords = keywords = new Map();
        keywords.set(source.of(item), { name: item, value });
      }
      item = value ? value.nextSibling : null;
      continue;
    }
    // A generator argument's `for` clause ends the plain arguments.
    if (name === 'for') break;
    result.positional.push(item);
    item = item.nextSibling;
  }
  return result;
}

/**
 * The values of a dict literal in order, each with its key, or marked `spread` for a `**mapping`. A value is what
 * follows a `:` or `**`; a key is what stands before the `:` since the last comma, if anything does.
 */
export function dictionaryItems(node: SyntaxNode): { key: SyntaxNode | undefined; value: SyntaxNode; spread: boolean }[] {
  const items: { key: SyntaxNode | undefined; value: SyntaxNode; spread: boolean }[] = [];
  let key: SyntaxNode | undefined;
  let after: string | undefined;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const name = child.name;
    if (name === ':' || name === '**') after = name;
    else if (name === ',') key = undefined;
    else if (name !== '{' && name !== '}' && name !== 'Comment' && !child.type.isError) {
      if (after) {
        items.push({ key: after === ':' ? key : undefined, value: child, spread: after === '**' });
        key = undefined;
        after = undefined;
      } else {
        key = child;
      }
    }
  }
  return items;
}

/**
 * The property name of an attribute (`x.step` gives `step`), '' for an attribute without one, undefined for
 * any other node. Qualifying a dotted name keeps its last part, so this tells cheaply what a callee can be.
 */
export function memberProperty(source: Source, node: SyntaxNode | null | undefined): string | undefined {
  if (node?.name !== 'MemberExpression') return undefined;
  const property = node.lastChild;
  return property?.name === 'PropertyName' ? source.of(property) : '';
}

export function isCall(node: SyntaxNode | null | undefined): node is SyntaxNode {
  return node?.name === 'CallExpression';
}

/** The callee of a CallExpression. */
export function calleeOf(call: SyntaxNode): SyntaxNode | null {
  return call.firstChild;
}

/** Statements of a Body (or the Script), descending into StatementGroup lines (`a = 1; b = 2`). */
export function statementsOf(body: SyntaxNode): SyntaxNode[] {
  const result: SyntaxNode[] = [];
  for (let child = body.firstChild; child; child = child.nextSibling) {
    if (child.name === 'StatementGroup') result.push(...meaningfulChildren(child));
    else if (child.name !== ':' && !child.type.isError && child.name !== 'Comment') result.push(child);
  }
  return result;
}

/**
 * The first child of a node type. A walk of the siblings: lezer's getChild makes a cursor and an array for each
 * call, several times the cost for the few children a definition or a call has.
 */
export function childNamed(node: SyntaxNode, name: string): SyntaxNode | null {
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.name === name) return child;
  return null;
}

/** The definition a statement is: itself, or the function or class a decorated statement wraps. */
export function definitionOf(statement: SyntaxNode): SyntaxNode | null {
  return statement.name === 'DecoratedStatement' ? statement.lastChild : statement;
}

export function bodyOf(node: SyntaxNode): SyntaxNode | null {
  return childNamed(node, 'Body');
}

/** The name of a FunctionDefinition or ClassDefinition. */
export function definitionName(source: Source, node: SyntaxNode): string | undefined {
  const name = childNamed(node, 'VariableName');
  return name ? source.of(name) : undefined;
}

/** For `a = b`, the target and value nodes; for chained or tuple targets, the first target. */
export function assignmentParts(node: SyntaxNode): { targets: SyntaxNode[]; value: SyntaxNode | null; op: string } | undefined {
  if (node.name !== 'AssignStatement' && node.name !== 'UpdateStatement') return undefined;
  // One pass without intermediate arrays: every assignment of the file comes through here.
  const targets: SyntaxNode[] = [];
  let lastOp: SyntaxNode | null = null;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === 'AssignOp' || child.name === 'UpdateOp') lastOp = child;
    else if (!lastOp && child.name !== ',' && child.name !== 'TypeDef' && child.name !== ':') targets.push(child);
  }
  if (!lastOp) return undefined;
  let value: SyntaxNode | null = lastOp.nextSibling;
  while (value && (value.name === ':' || value.type.isError)) value = value.nextSibling;
  return { targets, value, op: lastOp.name === 'UpdateOp' ? 'update' : '=' };
}

/**
 * The value each target of `a, b = x, y` gets (also `= (x, y)` and `= [x, y]`), when the value spells out one item
 * per target; undefined for each when it does not (`a, b = pair`). A single target gets the whole value.
 */
export function unpackedValues(targets: readonly SyntaxNode[], first: SyntaxNode): (SyntaxNode | undefined)[] {
  if (targets.length === 1) return [first];
  let items: SyntaxNode[] = [];
  for (let child: SyntaxNode | null = first; child; child = child.nextSibling) if (child.name !== ',' && child.name !== 'Comment' && !child.type.isError) items.push(child);
  if (items.length === 1 && (first.name === 'TupleExpression' || first.name === 'ArrayExpression')) items = meaningfulChildren(first);
  return targets.map((_, index) => (items.length === targets.length ? items[index] : undefined));
}

/** A function's named parameters in order (`self` included, `*args`/`**kwargs` skipped), with their defaults. */
export function parameterList(source: Source, params: SyntaxNode | null): { name: string; defaultValue?: SyntaxNode }[] {
  const result: { name: string; defaultValue?: SyntaxNode }[] = [];
  const items = params ? childrenOf(params) : [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (item.name === '*' || item.name === '**') {
      index++;
      continue;
    }
    if (item.name !== 'VariableName') continue;
    let cursor = index + 1;
    if (items[cursor]?.name === 'TypeDef') cursor++;
    const defaultValue = items[cursor]?.name === 'AssignOp' ? items[cursor + 1] : undefined;
    if (defaultValue) index = cursor + 1;
    result.push({ name: source.of(item), ...(defaultValue ? { defaultValue } : {}) });
  }
  return result;
}

/**
 * How many items a comprehension gives: the product of its `for` clauses' iteration counts (`for _ in range(a) for i
 * in range(b)` gives a·b); null when one is unknown, or when an `if` clause keeps an unknown number of them.
 * `children` are the comprehension's children; `count` reads one clause's iterable.
 */
export function comprehensionLength(children: readonly SyntaxNode[], count: (iterable: SyntaxNode | undefined) => number | null): number | null {
  let length: number | null = 1;
  let clauses = 0;
  for (let index = 0; index < children.length && length !== null; index++) {
    const clause = children[index]!.name;
    if (clause === 'if') length = null;
    if (clause !== 'for') continue;
    clauses++;
    const inIndex = children.findIndex((child, position) => position > index && child.name === 'in');
    const times = inIndex < 0 ? null : count(children[inIndex + 1]);
    length = times === null || length === null ? null : length * times;
  }
  return clauses === 0 ? null : length;
}

/** The variables a compound statement assigns, plainly or augmented, outside the functions and classes it defines. */
export function assignedNames(source: Source, statement: SyntaxNode): string[] {
  const names = new Set<string>();
  // Statements hold statements only through bodies and compound statements; expressions are not entered.
  const visit = (node: SyntaxNode): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'AssignStatement' || child.name === 'UpdateStatement') {
        for (const target of assignmentParts(child)?.targets ?? []) if (target.name === 'VariableName') names.add(source.of(target));
      } else if (child.name === 'Body' || child.name === 'StatementGroup' || (child.name.endsWith('Statement') && child.name !== 'DecoratedStatement')) {
        visit(child);
      }
    }
  };
  visit(statement);
  return [...names];
}

/** `name op= value` on a plain name: the name, its node, the operator without its `=` (`//`), and the value. */
export function updateParts(source: Source, statement: SyntaxNode): { name: string; target: SyntaxNode; operator: string; value: SyntaxNode } | undefined {
  if (statement.name !== 'UpdateStatement') return undefined;
  const target = statement.firstChild;
  const operator = target?.nextSibling;
  const value = operator?.nextSibling;
  if (target?.name !== 'VariableName' || operator?.name !== 'UpdateOp' || !value) return undefined;
  return { name: source.of(target), target, operator: source.of(operator).slice(0, -1), value };
}

/** The value a conditional expression takes when its test holds, the test, and the value otherwise. */
export function conditionalParts(node: SyntaxNode): { taken?: SyntaxNode; test?: SyntaxNode; otherwise?: SyntaxNode } {
  const [taken, test, otherwise] = meaningfulChildren(node).filter((child) => child.name !== 'if' && child.name !== 'else');
  return { ...(taken ? { taken } : {}), ...(test ? { test } : {}), ...(otherwise ? { otherwise } : {}) };
}
