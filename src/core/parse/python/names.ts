// Import aliases and the constant evaluator. Names resolve to qualified APIs (`nn.Linear` → `torch.nn.Linear`,
// `layers.Dense` → `keras.layers.Dense`); constants resolve to values or UNKNOWN, never to a guess.
import type { SyntaxNode } from '@lezer/common';
import { foldArithmetic } from '../../ir/arithmetic';
import { gainSquared } from '../../ir/torch-layers';
import { isUnknown, UNKNOWN, type ConstValue } from '../../ir/types';
import { assignmentParts, bodyOf, callArgs, childNamed, childrenOf, meaningfulChildren, parameterList, statementsOf, updateParts, type CallArgs, type Source } from './syntax';

// Conventional aliases assumed when a file uses them without importing (snippets, notebooks split oddly).
const CONVENTIONAL: ReadonlyMap<string, string> = new Map([
  ['nn', 'torch.nn'],
  ['F', 'torch.nn.functional'],
  ['optim', 'torch.optim'],
  ['tf', 'tensorflow'],
  ['layers', 'keras.layers'],
  ['keras', 'keras'],
  ['torch', 'torch'],
  ['math', 'math'],
  ['np', 'numpy'],
]);

const NORMALIZE: [RegExp, string][] = [
  [/^tensorflow\.keras\./, 'keras.'],
  [/^tensorflow\.python\.keras\./, 'keras.'],
  [/^keras\.src\./, 'keras.'],
  [/^keras\.models\.(Sequential|Model)$/, 'keras.$1'],
  [/^keras\.engine\.\w+\./, 'keras.'],
  [/^tensorflow\.nn\./, 'tf.nn.'],
  [/^torch\.nn\.modules\.\w+\./, 'torch.nn.'],
];

export class Names {
  /** Local name → qualified module path or object. */
  private readonly aliases = new Map<string, string>();

  constructor(private readonly source: Source) {}

  /** Reads one ImportStatement. */
  addImport(node: SyntaxNode): void {
    const items = childrenOf(node);
    if (items[0]?.name === 'from') {
      let index = 1;
      const moduleParts: string[] = [];
      while (index < items.length && items[index]!.name !== 'import') {
        const item = items[index]!;
        if (item.name === 'VariableName') moduleParts.push(this.source.of(item));
        else if (item.name === '.' && moduleParts.length === 0) moduleParts.push('');
        index++;
      }
      const module = moduleParts.filter(Boolean).join('.');
      index++;
      while (index < items.length) {
        const item = items[index]!;
        if (item.name === 'VariableName') {
          const imported = this.source.of(item);
          let local = imported;
          if (items[index + 1]?.name === 'as' && items[index + 2]?.name === 'VariableName') {
            local = this.source.of(items[index + 2]!);
            index += 2;
          }
          this.aliases.set(local, module ? `${module}.${imported}` : imported);
        }
        index++;
      }
      return;
    }
    // `import a.b.c as d, e`
    let parts: string[] = [];
    for (let index = 1; index <= items.length; index++) {
      const item = items[index];
      if (!item || item.name === ',') {
        if (parts.length > 0) this.aliases.set(parts[0]!, parts[0]!);
        parts = [];
        continue;
      }
      if (item.name === 'VariableName') parts.push(this.source.of(item));
      else if (item.name === 'as') {
        const alias = items[index + 1];
        if (alias?.name === 'VariableName') this.aliases.set(this.source.of(alias), parts.join('.'));
        parts = [];
        index++;
      }
    }
  }

  /** The import aliases as one string, to tell whether two files bind the same names. */
  key(): string {
    return [...this.aliases].map(([local, qualified]) => `${local}->${qualified}`).join('\n');
  }

  /** Whether a local name was bound by an import. */
  isImported(name: string): boolean {
    return this.aliases.has(name);
  }

  /** The local names imports bind that qualify to this name (`S` after `from torch.nn import Sequential as S`). */
  localNamesOf(qualified: string): string[] {
    return this.localNamesWhere((candidate) => candidate === qualified);
  }

  /** The local names imports bind whose qualified names pass the test. */
  localNamesWhere(test: (qualified: string) => boolean): string[] {
    return [...this.aliases.keys()].filter((local) => test(this.qualify(local)!));
  }

  private readonly qualified = new Map<string, string>();

  /** Qualifies a dotted name as written (`nn.Linear`) into a canonical API name (`torch.nn.Linear`). */
  qualify(dotted: string | undefined): string | undefined {
    if (dotted === undefined) return undefined;
    let result = this.qualified.get(dotted);
    if (result === undefined) {
      result = this.qualifyUncached(dotted);
      this.qualified.set(dotted, result);
    }
    return result;
  }

  private qualifyUncached(dotted: string): string {
    const dot = dotted.indexOf('.');
    const head = dot < 0 ? dotted : dotted.slice(0, dot);
    const rest = dot < 0 ? '' : dotted.slice(dot);
    const base = this.aliases.get(head) ?? CONVENTIONAL.get(head);
    if (base === undefined) return dotted;
    let qualified = base + rest;
    // Every pattern starts with one of these; most names (torch.nn.Linear) need no regex at all.
    if (qualified.startsWith('tensorflow.') || qualified.startsWith('keras.') || qualified.startsWith('torch.nn.modules.')) {
      for (const [pattern, replacement] of NORMALIZE) qualified = qualified.replace(pattern, replacement);
    }
    if (qualified.startsWith('tensorflow.')) qualified = `tf.${qualified.slice('tensorflow.'.length)}`;
    return qualified;
  }

  private readonly qualifiedNodes = new Map<number, string | null>();

  /** The qualified name of a callee or attribute expression. */
  qualifiedOf(node: SyntaxNode | null | undefined): string | undefined {
    if (!node) return undefined;
    // The passes ask again and again for the same callees: the answer is kept by the node's range and type,
    // which tell a node of one tree apart (the key is exact for offsets below 2^23).
    const length = node.to - node.from;
    const type = node.type.id;
    if (node.from >= 2 ** 23 || length >= 2 ** 22 || type >= 256) return this.qualify(this.source.dotted(node));
    const key = (node.from * 2 ** 22 + length) * 256 + type;
    const known = this.qualifiedNodes.get(key);
    if (known !== undefined) return known ?? undefined;
    const result = this.qualify(this.source.dotted(node));
    this.qualifiedNodes.set(key, result ?? null);
    return result;
  }
}

/** `items[start:stop]` of a list, tuple or string, the bracket being `open`; with a step, unknown. */
function slice(source: Source, container: ConstValue, open: SyntaxNode, scope: ConstScope, depth: number): ConstValue {
  if (!Array.isArray(container) && typeof container !== 'string') return UNKNOWN;
  const bounds: (SyntaxNode | undefined)[] = [undefined, undefined];
  let part = 0;
  for (let child = open.nextSibling; child && child.name !== ']'; child = child.nextSibling) {
    if (child.name === ':') part++;
    else if (part > 1) return UNKNOWN;
    else bounds[part] = child;
  }
  const [start, stop] = bounds.map((bound) => (bound ? evaluate(source, bound, scope, depth + 1) : null));
  if ((start !== null && typeof start !== 'number') || (stop !== null && typeof stop !== 'number')) return UNKNOWN;
  return container.slice(start ?? undefined, stop ?? undefined);
}

/** `range(...)` with known integer arguments; null for another range, undefined for anything but a range call. */
export function rangeBounds(source: Source, node: SyntaxNode | null | undefined, scope: ConstScope): { start: number; stop: number; step: number } | null | undefined {
  if (!node || node.name !== 'CallExpression' || source.dotted(node.firstChild) !== 'range') return undefined;
  const args = callArgs(source, node);
  const values = args.positional.map((arg) => evaluate(source, arg, scope));
  if (args.splat || values.length === 0 || values.length > 3 || !values.every((value): value is number => typeof value === 'number' && Number.isInteger(value))) return null;
  const [start, stop] = values.length === 1 ? [0, values[0]!] : [values[0]!, values[1]!];
  const step = values[2] ?? 1;
  return step === 0 ? null : { start, stop, step };
}

/** How many numbers a range gives. */
export function rangeLength(bounds: { start: number; stop: number; step: number }): number {
  return Math.max(0, Math.ceil((bounds.stop - bounds.start) / bounds.step));
}

/** Python's truth of a known value; undefined for an unknown one. */
export function truthy(value: ConstValue): boolean | undefined {
  if (isUnknown(value)) return undefined;
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

/** `a and b`, `a or b`, `a is None`, `a is not None`, `a in b`, `a not in b`, `a == b`, `a < b` and the like. */
function evaluateTest(source: Source, items: SyntaxNode[], scope: ConstScope, depth: number): ConstValue {
  const [leftNode, op] = items;
  const rightNode = items[items.length - 1];
  const operator = op!.name;
  // `1 < x <= 3` chains comparisons, which the tree nests as if the first gave a number: not read.
  if (operator === 'CompareOp' && leftNode?.name === 'BinaryExpression' && childNamed(leftNode, 'CompareOp')) return UNKNOWN;
  const left = evaluate(source, leftNode, scope, depth + 1);
  if (operator === 'and' || operator === 'or') {
    const test = truthy(left);
    if (test === undefined) return UNKNOWN;
    // Python gives the deciding operand, not a boolean.
    return (operator === 'and') === test ? evaluate(source, rightNode, scope, depth + 1) : left;
  }
  const right = evaluate(source, rightNode, scope, depth + 1);
  if (isUnknown(left) || isUnknown(right)) return UNKNOWN;
  const negated = items.length === 4 && (items[2]!.name === 'not' || items[1]!.name === 'not');
  switch (operator) {
    case 'is':
      // Identity is only told for singletons and plain values, which compare as equal.
      return (constKey(left) === constKey(right)) !== negated;
    case 'in':
    case 'not': {
      const member = Array.isArray(right) ? right.some((item) => constKey(item) === constKey(left)) : typeof right === 'string' && typeof left === 'string' ? right.includes(left) : typeof right === 'object' && right !== null && typeof left === 'string' ? Object.hasOwn(right, left) : undefined;
      return member === undefined ? UNKNOWN : member !== (operator === 'not');
    }
    default: {
      const comparison = source.of(op!);
      if (comparison === '==' || comparison === '!=') return (constKey(left) === constKey(right)) === (comparison === '==');
      if (typeof left !== 'number' || typeof right !== 'number') return UNKNOWN;
      if (comparison === '<') return left < right;
      if (comparison === '<=') return left <= right;
      if (comparison === '>') return left > right;
      if (comparison === '>=') return left >= right;
      return UNKNOWN;
    }
  }
}

/** A constant as a string that tells apart every two different values (JSON would merge NaN and null, -0 and 0). */
export function constKey(value: ConstValue): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(constKey).join(',')}]`;
  if (isUnknown(value)) return '?';
  return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${constKey(item)}`).join(',')}}`;
}

/** Where the constant evaluator looks names up: innermost scope first. */
export interface ConstScope {
  lookup(name: string): ConstValue | undefined;
  /**
   * A function of the file that calls may be evaluated through (`_make_divisible(32 * width, 8)`), with the scope
   * its body reads module names from; undefined where calls of the file's functions are not followed.
   */
  helper?(name: string): { fn: SyntaxNode; scope: ConstScope } | undefined;
  /** The library name a dotted name stands for through the file's imports (`to_2tuple` as timm's), if any. */
  qualify?(dotted: string): string | undefined;
}

export class MapScope implements ConstScope {
  readonly values = new Map<string, ConstValue>();
  private frozen: MapScope | undefined;
  constructor(private readonly parent?: ConstScope) {}

  lookup(name: string): ConstValue | undefined {
    return this.values.has(name) ? this.values.get(name) : this.parent?.lookup(name);
  }

  helper(name: string): { fn: SyntaxNode; scope: ConstScope } | undefined {
    return this.parent?.helper?.(name);
  }

  qualify(dotted: string): string | undefined {
    return this.parent?.qualify?.(dotted);
  }

  set(name: string, value: ConstValue): void {
    this.values.set(name, value);
    this.frozen = undefined;
  }

  /** The values as they are now, which later assignments leave alone; shared until the next one. */
  snapshot(): MapScope {
    if (!this.frozen) {
      this.frozen = new MapScope(this.parent);
      for (const [name, value] of this.values) this.frozen.values.set(name, value);
    }
    return this.frozen;
  }
}

/** The functions the evaluator folds, besides `calculate_gain`. */
const FOLDED_CALLS = new Set(['int', 'float', 'len', 'tuple', 'list', 'math.sqrt', 'np.sqrt', 'numpy.sqrt', 'math.ceil', 'math.floor', 'math.log2', 'math.log', 'math.pow', 'max', 'min', 'round', 'sum', 'abs']);

/** The libraries' helpers that repeat a value into an n-tuple unless it already is a sequence, by qualified name. */
const TUPLE_HELPERS: ReadonlyMap<string, number> = new Map([
  ['torch.nn._single', 1],
  ['torch.nn._pair', 2],
  ['torch.nn._triple', 3],
  ['torch.nn._quadruple', 4],
  ...['timm.layers', 'timm.layers.helpers', 'timm.models.layers', 'timm.models.layers.helpers'].flatMap((module) =>
    [1, 2, 3, 4].map((n): [string, number] => [`${module}.to_${n}tuple`, n]),
  ),
]);

function parseNumber(text: string): number | undefined {
  // Short decimal integers, most of the numbers in model code, need none of the regexes below.
  if (text.length < 16 && /^\d+$/.test(text)) return Number(text);
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(clean)) return parseInt(clean.slice(2), 16);
  if (/^0[oO][0-7]+$/.test(clean)) return parseInt(clean.slice(2), 8);
  if (/^0[bB][01]+$/.test(clean)) return parseInt(clean.slice(2), 2);
  const value = Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

function parseString(text: string): string | undefined {
  // Most strings in model code are short and plain (`"relu"`, `'same'`): one quote at each end, no prefix, no
  // escape and no other quote. They need none of the regexes below.
  const quote = text.charAt(0);
  if ((quote === '"' || quote === "'") && text.length >= 2 && text.charAt(text.length - 1) === quote && text.indexOf('\\') < 0) {
    const body = text.slice(1, -1);
    if (body.indexOf(quote) < 0) return body;
  }
  const match = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text);
  if (!match) return undefined;
  const prefix = match[1]!.toLowerCase();
  if (prefix.includes('b')) return undefined;
  const body = match[3]!;
  return prefix.includes('r') ? body : body.replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

const MAX_DEPTH = 100;

/**
 * What an augmented assignment to a name (`channels *= 2`) leaves in it: the operation folded when both sides are
 * numbers, unknown otherwise, with the statement's parts. Undefined for any other statement or target
 * (`self.count += 1`, `x[0] += 1`).
 */
export function updatedConstant(source: Source, statement: SyntaxNode, scope: ConstScope): { name: string; value: ConstValue; parts: NonNullable<ReturnType<typeof updateParts>> } | undefined {
  const update = updateParts(source, statement);
  if (!update) return undefined;
  const left = scope.lookup(update.name);
  const right = evaluate(source, update.value, scope);
  const value = typeof left === 'number' && typeof right === 'number' ? foldArithmetic(update.operator, left, right, 'python') : UNKNOWN;
  return { name: update.name, value, parts: update };
}

/** Evaluates literal arithmetic, tuples and lists, and names the scope knows; everything else is UNKNOWN. */
export function evaluate(source: Source, node: SyntaxNode | null | undefined, scope: ConstScope, depth = 0): ConstValue {
  if (!node || depth > MAX_DEPTH) return UNKNOWN;
  switch (node.name) {
    case 'Number': {
      const value = parseNumber(source.of(node));
      return value === undefined ? UNKNOWN : value;
    }
    case 'String': {
      const value = parseString(source.of(node));
      return value === undefined ? UNKNOWN : value;
    }
    case 'FormatString':
      return UNKNOWN;
    case 'Boolean':
      return source.of(node) === 'True';
    case 'None':
      return null;
    case 'ParenthesizedExpression':
      return evaluate(source, meaningfulChildren(node)[0], scope, depth + 1);
    case 'TupleExpression':
    case 'ArrayExpression': {
      const items = childrenOf(node);
      if (items.some((item) => item.name === '*' || item.name === '**' || item.name === 'for')) return UNKNOWN;
      return meaningfulChildren(node).map((item) => evaluate(source, item, scope, depth + 1));
    }
    case 'VariableName': {
      const value = scope.lookup(source.of(node));
      return value === undefined ? UNKNOWN : value;
    }
    case 'DictionaryExpression': {
      const result: Record<string, ConstValue> = {};
      let key: ConstValue | undefined;
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.name === '**' || child.name === 'for') return UNKNOWN;
        if (child.name === '{' || child.name === '}' || child.name === ',' || child.name === ':' || child.name === 'Comment') continue;
        if (key === undefined) key = evaluate(source, child, scope, depth + 1);
        else {
          // A key named `unknown` would read as the UNKNOWN marker.
          if (typeof key !== 'string' || key === 'unknown') return UNKNOWN;
          result[key] = evaluate(source, child, scope, depth + 1);
          key = undefined;
        }
      }
      return key === undefined ? result : UNKNOWN;
    }
    case 'MemberExpression': {
      const open = node.firstChild?.nextSibling;
      if (open?.name === '[') {
        // `widths[0]`, `cfg["dim"]`, `widths[1:]`, `widths[:-1]`; steps and tuple indices are not read.
        const index = open.nextSibling;
        const container = evaluate(source, node.firstChild, scope, depth + 1);
        if (index?.name === ':' || index?.nextSibling?.name === ':') return slice(source, container, open, scope, depth);
        if (!index || index.nextSibling?.name !== ']') return UNKNOWN;
        const key = evaluate(source, index, scope, depth + 1);
        if (Array.isArray(container) && typeof key === 'number' && Number.isInteger(key)) {
          const item = container[key < 0 ? container.length + key : key];
          return item === undefined ? UNKNOWN : item;
        }
        if (typeof container === 'object' && container !== null && !Array.isArray(container) && !isUnknown(container) && typeof key === 'string') {
          return Object.hasOwn(container, key) ? container[key]! : UNKNOWN;
        }
        return UNKNOWN;
      }
      const dotted = source.dotted(node);
      if (dotted === 'math.pi') return Math.PI;
      if (dotted === 'math.e') return Math.E;
      if (dotted === undefined) return UNKNOWN;
      const value = scope.lookup(dotted);
      return value === undefined ? UNKNOWN : value;
    }
    case 'ConditionalExpression': {
      // `2 if i == 0 else 1`
      const [then, , condition, , otherwise] = childrenOf(node);
      const test = truthy(evaluate(source, condition, scope, depth + 1));
      if (test !== undefined) return evaluate(source, test ? then : otherwise, scope, depth + 1);
      const [a, b] = [evaluate(source, then, scope, depth + 1), evaluate(source, otherwise, scope, depth + 1)];
      return !isUnknown(a) && constKey(a) === constKey(b) ? a : UNKNOWN;
    }
    case 'UnaryExpression': {
      const [op, operand] = childrenOf(node);
      const value = evaluate(source, operand, scope, depth + 1);
      const operator = op ? source.of(op) : '';
      if (operator === 'not') {
        const test = truthy(value);
        return test === undefined ? UNKNOWN : !test;
      }
      if (typeof value !== 'number') return UNKNOWN;
      return operator === '-' ? -value : operator === '+' ? value : UNKNOWN;
    }
    case 'BinaryExpression': {
      const items = childrenOf(node);
      const logical = items[1]?.name;
      if (logical === 'and' || logical === 'or' || logical === 'is' || logical === 'in' || logical === 'not' || logical === 'CompareOp') {
        return evaluateTest(source, items, scope, depth);
      }
      if (items.length !== 3) return UNKNOWN;
      const left = evaluate(source, items[0], scope, depth + 1);
      const right = evaluate(source, items[2], scope, depth + 1);
      const operator = source.of(items[1]!);
      if (operator === '+' && Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      if (operator === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
      if (typeof left !== 'number' || typeof right !== 'number') {
        if (operator === '*' && Array.isArray(left) && typeof right === 'number' && Number.isInteger(right) && right >= 0 && right * left.length < 10_000) {
          return Array.from({ length: right }, () => left).flat();
        }
        return UNKNOWN;
      }
      return foldArithmetic(operator, left, right, 'python');
    }
    case 'CallExpression': {
      const callee = source.dotted(node.firstChild);
      const helper = callee !== undefined && !callee.includes('.') && !FOLDED_CALLS.has(callee) ? scope.helper?.(callee) : undefined;
      // A helper's call counts as many levels: helpers calling helpers (or themselves) stop a few calls deep.
      if (helper) return evaluateHelper(source, helper.fn, node, scope, helper.scope, depth + HELPER_DEPTH);
      const repeated = callee === undefined || helper ? undefined : TUPLE_HELPERS.get(scope.qualify?.(callee) ?? '');
      if (repeated !== undefined) {
        const args = callArgs(source, node);
        if (args.splat || args.positional.length !== 1 || args.keywords.size > 0) return UNKNOWN;
        const value = evaluate(source, args.positional[0], scope, depth + 1);
        // A string is a sequence to one library and a value to the other: not told.
        if (Array.isArray(value)) return value;
        return isUnknown(value) || typeof value === 'string' || (typeof value === 'object' && value !== null) ? UNKNOWN : Array.from({ length: repeated }, () => value);
      }
      // Calls of anything else are unknown whatever their arguments: most calls (layers) end here.
      if (callee === undefined || !(FOLDED_CALLS.has(callee) || callee.endsWith('init.calculate_gain'))) return UNKNOWN;
      const args = callArgs(source, node);
      if (args.splat) return UNKNOWN;
      const values = args.positional.map((arg) => evaluate(source, arg, scope, depth + 1));
      const first = values[0];
      if (callee.endsWith('init.calculate_gain') && typeof first === 'string') {
        const slope = typeof values[1] === 'number' ? values[1] : 0.01;
        const squared = gainSquared(first, slope);
        return squared === null ? UNKNOWN : Math.sqrt(squared);
      }
      if (args.keywords.size > 0) return UNKNOWN;
      switch (callee) {
        case 'int':
          return typeof first === 'number' ? Math.trunc(first) : UNKNOWN;
        case 'float':
          return typeof first === 'number' ? first : UNKNOWN;
        case 'tuple':
        case 'list':
          return values.length === 1 && Array.isArray(first) ? first : UNKNOWN;
        case 'len':
          return Array.isArray(first) ? first.length : typeof first === 'string' ? first.length : UNKNOWN;
        case 'math.sqrt':
        case 'np.sqrt':
        case 'numpy.sqrt':
          return typeof first === 'number' && first >= 0 ? Math.sqrt(first) : UNKNOWN;
        case 'max':
        case 'min': {
          const numbers = values.length === 1 && Array.isArray(first) ? first : values;
          if (numbers.length === 0 || !numbers.every((value): value is number => typeof value === 'number')) return UNKNOWN;
          return callee === 'max' ? Math.max(...numbers) : Math.min(...numbers);
        }
        case 'round':
          return typeof first === 'number' && values.length === 1 ? Math.round(first) : UNKNOWN;
        case 'math.ceil':
          return typeof first === 'number' ? Math.ceil(first) : UNKNOWN;
        case 'math.floor':
          return typeof first === 'number' ? Math.floor(first) : UNKNOWN;
        case 'abs':
          return typeof first === 'number' ? Math.abs(first) : UNKNOWN;
        case 'math.log2':
          return typeof first === 'number' && first > 0 ? Math.log2(first) : UNKNOWN;
        case 'math.log': {
          // `math.log(x)` is natural; `math.log(x, base)` in that base.
          const base = values.length === 1 ? Math.E : values[1];
          return typeof first === 'number' && first > 0 && typeof base === 'number' && base > 0 && base !== 1 ? Math.log(first) / Math.log(base) : UNKNOWN;
        }
        case 'math.pow':
          return typeof first === 'number' && typeof values[1] === 'number' ? Math.pow(first, values[1]) : UNKNOWN;
        case 'sum':
          return values.length === 1 && Array.isArray(first) && first.every((value): value is number => typeof value === 'number') ? first.reduce((a, b) => a + b, 0) : UNKNOWN;
        default:
          return UNKNOWN;
      }
    }
    default:
      return UNKNOWN;
  }
}

/**
 * Binds parameters in `scope` to a call's arguments, evaluated in `caller`, and to their defaults otherwise, evaluated
 * in `module` (unknown after a `*args` or `**kwargs` splat); gives each parameter with the argument passed to it.
 */
export function bindParameters(
  source: Source,
  params: readonly { name: string; defaultValue?: SyntaxNode }[],
  args: CallArgs,
  caller: ConstScope,
  module: ConstScope,
  scope: MapScope,
  depth = 0,
): { name: string; argument: SyntaxNode | undefined }[] {
  return params.map(({ name, defaultValue }, position) => {
    const argument = args.keywords.get(name)?.value ?? args.positional[position];
    const fallback = defaultValue ? evaluate(source, defaultValue, module, depth) : UNKNOWN;
    scope.set(name, argument ? evaluate(source, argument, caller, depth) : args.splat ? UNKNOWN : fallback);
    return { name, argument };
  });
}

/** The evaluation depth a call of a helper of the file takes up. */
const HELPER_DEPTH = 20;

/** Statements a numeric helper's body may run before its result is unknown: enough for `_make_divisible`. */
const MAX_HELPER_STEPS = 64;

/**
 * The value a call of a function of the file returns, when its body only computes numbers: assignments, augmented
 * assignments, `if` tests the values settle and a `return` (torchvision's and timm's `_make_divisible`). Anything
 * else in it (a loop, another call's side effects, a test not settled) leaves the value unknown.
 */
function evaluateHelper(source: Source, fn: SyntaxNode, call: SyntaxNode, caller: ConstScope, module: ConstScope, depth: number): ConstValue {
  const list = childNamed(fn, 'ParamList');
  const args = callArgs(source, call);
  if (args.splat || (list && childrenOf(list).some((child) => child.name === '*' || child.name === '**'))) return UNKNOWN;
  const params = parameterList(source, list);
  if (args.positional.length > params.length || [...args.keywords.keys()].some((key) => !params.some((param) => param.name === key))) return UNKNOWN;
  const scope = new MapScope(module);
  bindParameters(source, params, args, caller, module, scope, depth + 1);
  const body = bodyOf(fn);
  let steps = 0;
  const run = (statements: SyntaxNode[]): { returned: ConstValue } | 'unknown' | undefined => {
    for (const statement of statements) {
      if (++steps > MAX_HELPER_STEPS) return 'unknown';
      switch (statement.name) {
        case 'AssignStatement': {
          const parts = assignmentParts(statement);
          if (!parts?.value || parts.op !== '=' || !parts.targets.every((target) => target.name === 'VariableName')) return 'unknown';
          const value = evaluate(source, parts.value, scope, depth + 1);
          for (const target of parts.targets) scope.set(source.of(target), value);
          break;
        }
        case 'UpdateStatement': {
          const update = updatedConstant(source, statement, scope);
          if (!update) return 'unknown';
          scope.set(update.name, update.value);
          break;
        }
        case 'IfStatement': {
          const items = childrenOf(statement);
          let taken: SyntaxNode | undefined;
          for (let index = 0; index < items.length && !taken; index++) {
            const keyword = items[index]!.name;
            if (keyword !== 'if' && keyword !== 'elif' && keyword !== 'else') continue;
            const branch = items.slice(index + 1).find((item) => item.name === 'Body');
            if (keyword === 'else') {
              taken = branch;
              break;
            }
            const settled = truthy(evaluate(source, items[index + 1], scope, depth + 1));
            if (settled === undefined) return 'unknown';
            if (settled) taken = branch;
          }
          const result = taken ? run(statementsOf(taken)) : undefined;
          if (result) return result;
          break;
        }
        case 'ReturnStatement': {
          const value = meaningfulChildren(statement).find((child) => child.name !== 'return');
          return { returned: value ? evaluate(source, value, scope, depth + 1) : null };
        }
        case 'ExpressionStatement':
          // A docstring; any other expression may act on something not followed here.
          if (statement.firstChild?.name !== 'String') return 'unknown';
          break;
        case 'PassStatement':
        case 'AssertStatement':
          break;
        default:
          return 'unknown';
      }
    }
    return undefined;
  };
  const result = body && depth < MAX_DEPTH ? run(statementsOf(body)) : 'unknown';
  return result === undefined ? null : result === 'unknown' ? UNKNOWN : result.returned;
}
