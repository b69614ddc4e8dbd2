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

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', 'AssignOp', '*', '**']);

/** Children that are expressions or statements, without brackets, commas and keywords' punctuation. */
export function meaningfulChildren(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((child) => !PUNCTUATION.has(child.name) && !child.type.isError);
}

export class Source {
  constructor(readonly text: string) {}

  of(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
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
  keywords: Map<string, { name: SyntaxNode; value: SyntaxNode }>;
  /** `*args` or `**kwargs` were passed: the call's arguments are not all visible. */
  splat: boolean;
  /** The ArgList node, for its span. */
  list: SyntaxNode | null;
}

/** Splits a CallExpression's ArgList into positional and keyword arguments. */
export function callArgs(source: Source, call: SyntaxNode): CallArgs {
  const list = call.lastChild?.name === 'ArgList' ? call.lastChild : null;
  const result: CallArgs = { positional: [], keywords: new Map(), splat: false, list };
  if (!list) return result;
  const items = childrenOf(list);
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (item.name === '(' || item.name === ')' || item.name === ',' || item.type.isError) continue;
    if (item.name === '*' || item.name === '**') {
      result.splat = true;
      index++;
      continue;
    }
    if (item.name === 'VariableName' && items[index + 1]?.name === 'AssignOp') {
      const value = items[index + 2];
      if (value && value.name !== ')' && value.name !== ',' && !value.type.isError) {
        result.keywords.set(source.of(item), { name: item, value });
      }
      index += 2;
      continue;
    }
    // A generator argument's `for` clause ends the plain arguments.
    if (item.name === 'for') break;
    result.positional.push(item);
  }
  return result;
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

export function bodyOf(node: SyntaxNode): SyntaxNode | null {
  return node.getChild('Body');
}

/** The name of a FunctionDefinition or ClassDefinition. */
export function definitionName(source: Source, node: SyntaxNode): string | undefined {
  const name = node.getChild('VariableName');
  return name ? source.of(name) : undefined;
}

/** For `a = b`, the target and value nodes; for chained or tuple targets, the first target. */
export function assignmentParts(node: SyntaxNode): { targets: SyntaxNode[]; value: SyntaxNode | null; op: string } | undefined {
  if (node.name !== 'AssignStatement' && node.name !== 'UpdateStatement') return undefined;
  const items = childrenOf(node);
  const ops = items.map((item, index) => (item.name === 'AssignOp' || item.name === 'UpdateOp' ? index : -1)).filter((index) => index >= 0);
  if (ops.length === 0) return undefined;
  const lastOp = ops[ops.length - 1]!;
  const value = items.slice(lastOp + 1).find((item) => item.name !== ':' && !item.type.isError) ?? null;
  const targets = items.slice(0, ops[0]).filter((item) => item.name !== ',' && item.name !== 'TypeDef' && item.name !== ':');
  const opNode = items[lastOp]!;
  return { targets, value, op: opNode.name === 'UpdateOp' ? 'update' : '=' };
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
