// Reads PyTorch initialization calls (`nn.init.kaiming_normal_(w, ...)`, `w.data.normal_(0, 0.02)`) into
// precise InitInfo values.
import type { SyntaxNode } from '@lezer/common';
import { gainSquared } from '../../ir/torch-layers';
import type { ConstValue, InitDist, InitInfo } from '../../ir/types';
import { evaluate, type ConstScope, type MapScope, type Names } from './names';
import { assignmentParts, bodyOf, callArgs, childNamed, childrenOf, meaningfulChildren, parameterList, spanOf, statementsOf, type Source } from './syntax';

const INIT_FUNCTIONS = new Set([
  'kaiming_uniform_',
  'kaiming_normal_',
  'xavier_uniform_',
  'xavier_normal_',
  'normal_',
  'uniform_',
  'constant_',
  'zeros_',
  'ones_',
  'orthogonal_',
  'trunc_normal_',
  'eye_',
  'dirac_',
  'sparse_',
  'kaiming_uniform',
  'kaiming_normal',
  'xavier_uniform',
  'xavier_normal',
  'normal',
  'uniform',
  'constant',
]);

const TENSOR_METHODS = new Set(['normal_', 'uniform_', 'fill_', 'zero_']);

export interface InitCall {
  /** The tensor expression initialised (`self.fc.weight`, `m.weight`, `self.w`). */
  target: SyntaxNode;
  info: InitInfo;
}

function named(args: Record<string, ConstValue>, key: string, fallback: ConstValue): ConstValue {
  return args[key] === undefined ? fallback : args[key]!;
}

function num(value: ConstValue): number | null {
  return typeof value === 'number' ? value : null;
}

/** How an init call's arguments are shown in its name: as written, or as the values they have at a call of a helper. */
type Display = 'text' | 'values';

/** An argument for a name: its value when the text names something else (a helper's parameter), else the text. */
function shown(text: string, value: ConstValue): string {
  if (typeof value === 'number' && !/^-?[\d.]+(e-?\d+)?$/.test(text)) return String(Number(value.toPrecision(4)));
  if (typeof value === 'string' && !/^['"]/.test(text)) return JSON.stringify(value);
  return text;
}

/** Maps a call's arguments onto parameter names, the first being the tensor. */
function bind(
  source: Source,
  call: SyntaxNode,
  params: string[],
  scope: ConstScope,
  display: Display,
): { target: SyntaxNode | undefined; args: Record<string, ConstValue>; rest: string } {
  const parsed = callArgs(source, call);
  const args: Record<string, ConstValue> = {};
  const parts: string[] = [];
  parsed.positional.slice(1).forEach((node, index) => {
    const param = params[index];
    const value = evaluate(source, node, scope);
    if (param) args[param] = value;
    parts.push(display === 'values' && param ? `${param}=${shown(source.of(node), value)}` : source.of(node));
  });
  for (const [name, { value: node }] of parsed.keywords) {
    const value = evaluate(source, node, scope);
    args[name] = value;
    parts.push(`${name}=${display === 'values' ? shown(source.of(node), value) : source.of(node)}`);
  }
  return { target: parsed.positional[0], args, rest: parts.join(', ') };
}

function distFor(fn: string, args: Record<string, ConstValue>): InitDist {
  const base = fn.replace(/_$/, '');
  switch (base) {
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const slope = num(named(args, 'a', 0));
      const nonlinearity = named(args, 'nonlinearity', 'leaky_relu');
      const mode = named(args, 'mode', 'fan_in');
      const gain = slope === null || typeof nonlinearity !== 'string' ? null : gainSquared(nonlinearity, slope);
      if (gain === null || (mode !== 'fan_in' && mode !== 'fan_out')) return { family: 'unknown' };
      return { family: 'variance_scaling', scale: gain, mode, distribution: base === 'kaiming_uniform' ? 'uniform' : 'normal' };
    }
    case 'xavier_uniform':
    case 'xavier_normal': {
      const gain = num(named(args, 'gain', 1));
      if (gain === null) return { family: 'unknown' };
      return { family: 'variance_scaling', scale: gain * gain, mode: 'fan_avg', distribution: base === 'xavier_uniform' ? 'uniform' : 'normal' };
    }
    case 'normal': {
      const mean = num(named(args, 'mean', 0));
      const std = num(named(args, 'std', 1));
      return mean === null || std === null ? { family: 'unknown' } : { family: 'normal', mean, std };
    }
    case 'trunc_normal': {
      const mean = num(named(args, 'mean', 0));
      const std = num(named(args, 'std', 1));
      const high = num(named(args, 'b', 2));
      if (mean === null || std === null || high === null) return { family: 'unknown' };
      // The bounds are absolute; with timm's usual std=0.02 and ±2 they cut nothing.
      return high - mean <= 3 * std ? { family: 'normal', mean, std, truncated: true } : { family: 'normal', mean, std };
    }
    case 'uniform': {
      const low = num(named(args, 'a', 0));
      const high = num(named(args, 'b', 1));
      return low === null || high === null ? { family: 'unknown' } : { family: 'uniform', low, high };
    }
    case 'constant': {
      const value = num(named(args, 'val', UNKNOWN_VALUE));
      return value === null ? { family: 'unknown' } : { family: 'constant', value };
    }
    case 'zeros':
      return { family: 'constant', value: 0 };
    case 'ones':
      return { family: 'constant', value: 1 };
    case 'orthogonal': {
      const gain = num(named(args, 'gain', 1));
      return gain === null ? { family: 'unknown' } : { family: 'orthogonal', gain };
    }
    default:
      return { family: 'unknown' };
  }
}

const UNKNOWN_VALUE: ConstValue = { unknown: true };

const PARAMS: Record<string, string[]> = {
  kaiming_uniform: ['a', 'mode', 'nonlinearity'],
  kaiming_normal: ['a', 'mode', 'nonlinearity'],
  xavier_uniform: ['gain'],
  xavier_normal: ['gain'],
  normal: ['mean', 'std'],
  trunc_normal: ['mean', 'std', 'a', 'b'],
  uniform: ['a', 'b'],
  constant: ['val'],
  orthogonal: ['gain'],
};

/**
 * Reads one call as an init call, or returns undefined. Handles `nn.init.<fn>(t, ...)` (any alias of
 * torch.nn.init, and timm's `trunc_normal_`) and tensor methods `t.normal_()`, `t.data.fill_(0)`, `t.zero_()`.
 * Another `trunc_normal_` is an init of unknown distribution.
 */
export function readInitCall(source: Source, names: Names, call: SyntaxNode, scope: ConstScope, display: Display = 'text'): InitCall | undefined {
  const callee = call.firstChild;
  if (!callee) return undefined;
  const qualified = names.qualifiedOf(callee) ?? '';
  const fn = qualified.split('.').pop() ?? '';
  // timm's trunc_normal_ has torch's signature and defaults; another of that name (a project's helper module, a
  // name never imported) may not.
  const isInitModule = /(^|\.)init\.[a-z_]+$/.test(qualified) || (fn === 'trunc_normal_' && /^timm\./.test(qualified));
  if (fn === 'trunc_normal_' && !isInitModule) {
    const target = callArgs(source, call).positional[0];
    return target ? { target, info: { name: `${source.of(callee)}(…)`, dist: { family: 'unknown' }, source: 'explicit', span: spanOf(call) } } : undefined;
  }
  if (isInitModule && INIT_FUNCTIONS.has(fn)) {
    const base = fn.replace(/_$/, '');
    const { target, args, rest } = bind(source, call, PARAMS[base] ?? [], scope, display);
    if (!target) return undefined;
    const info: InitInfo = { name: `${fn}(${rest})`, dist: distFor(fn, args), source: 'explicit', span: spanOf(call) };
    const nonlinearity = args['nonlinearity'];
    if (typeof nonlinearity === 'string') info.nonlinearity = nonlinearity;
    else if (base.startsWith('kaiming') && nonlinearity === undefined) info.nonlinearity = 'leaky_relu';
    return { target, info };
  }
  // Tensor methods: `w.normal_(mean, std)`, `w.data.uniform_(-r, r)`, `w.data.fill_(v)`, `b.data.zero_()`.
  if (callee.name !== 'MemberExpression') return undefined;
  const method = callee.lastChild ? source.of(callee.lastChild) : '';
  if (!TENSOR_METHODS.has(method)) return undefined;
  let target = callee.firstChild;
  if (!target) return undefined;
  if (target.name === 'MemberExpression' && target.lastChild && source.of(target.lastChild) === 'data') target = target.firstChild;
  if (!target) return undefined;
  const parsed = callArgs(source, call);
  const values = parsed.positional.map((node) => evaluate(source, node, scope));
  const keywords: Record<string, ConstValue> = {};
  for (const [name, { value }] of parsed.keywords) keywords[name] = evaluate(source, value, scope);
  let dist: InitDist;
  if (method === 'zero_') dist = { family: 'constant', value: 0 };
  else if (method === 'fill_') {
    const value = num(values[0] ?? keywords['value'] ?? UNKNOWN_VALUE);
    dist = value === null ? { family: 'unknown' } : { family: 'constant', value };
  } else if (method === 'normal_') {
    const mean = num(values[0] ?? keywords['mean'] ?? 0);
    const std = num(values[1] ?? keywords['std'] ?? 1);
    dist = mean === null || std === null ? { family: 'unknown' } : { family: 'normal', mean, std };
  } else {
    const low = num(values[0] ?? keywords['from'] ?? 0);
    const high = num(values[1] ?? keywords['to'] ?? 1);
    dist = low === null || high === null ? { family: 'unknown' } : { family: 'uniform', low, high };
  }
  const argsText =
    display === 'values'
      ? [...parsed.positional.map((node, index) => shown(source.of(node), values[index]!)), ...[...parsed.keywords].map(([name, { value }]) => `${name}=${shown(source.of(value), keywords[name]!)}`)].join(', ')
      : source.of(call.lastChild!).slice(1, -1);
  return { target, info: { name: `${method}(${argsText})`, dist, source: 'explicit', span: spanOf(call) } };
}

/** What one call initialises: the tensor `target` itself, or the `weight` or `bias` of the module `target`. */
export interface InitWrite {
  /** The expression passed, in the caller's text. */
  target: SyntaxNode;
  part?: 'weight' | 'bias';
  info: InitInfo;
}

/** The file's own top-level functions, as the init reader follows them. */
export interface LocalFunctions {
  /** A top-level function by name; results depend on its text, so the caller notes every lookup. */
  lookup(name: string): SyntaxNode | undefined;
  /** A scope binding the function's parameters to the call's arguments evaluated in `caller`, defaults otherwise. */
  bind(call: SyntaxNode, fn: SyntaxNode, caller: ConstScope): MapScope;
}

const MAX_HELPER_DEPTH = 4;

type Part = '' | 'weight' | 'bias';

/**
 * The inits one call makes, or undefined when it makes none: an init call itself, or a call of a function of this
 * file followed into its body (a `trunc_normal_(t, std=.02)` wrapper, CleanRL's `layer_init(layer, std)`). A helper
 * that touches what it is passed in a way this reader cannot follow gives an explicit init of unknown distribution:
 * rules never read torch's defaults into a local function that only shares a name.
 */
export function readInitWrites(source: Source, names: Names, functions: LocalFunctions, call: SyntaxNode, scope: ConstScope, depth = 0): InitWrite[] | undefined {
  const callee = call.firstChild;
  if (callee?.name === 'VariableName') {
    const fn = functions.lookup(source.of(callee));
    if (fn) return depth < MAX_HELPER_DEPTH ? helperWrites(source, names, functions, call, fn, scope, depth) : unknownWrites(source, call, callArgs(source, call).positional);
  }
  const init = readInitCall(source, names, call, scope, depth > 0 ? 'values' : 'text');
  return init ? [{ target: init.target, info: init.info }] : undefined;
}

/** Every argument taken as a tensor or a module initialised in a way nobody can tell. */
function unknownWrites(source: Source, call: SyntaxNode, targets: SyntaxNode[]): InitWrite[] {
  const info: InitInfo = { name: `${source.of(call.firstChild!)}(…)`, dist: { family: 'unknown' }, source: 'explicit', span: spanOf(call) };
  return targets.flatMap((target) => [{ target, info }, { target, part: 'weight' as const, info }, { target, part: 'bias' as const, info }]);
}

/** The last statement's `return <parameter>`: a helper that hands back the module it was passed. */
export function returnedParameter(source: Source, fn: SyntaxNode): string | undefined {
  const body = bodyOf(fn);
  const statements = body ? statementsOf(body) : [];
  const last = statements[statements.length - 1];
  const value = last?.name === 'ReturnStatement' ? meaningfulChildren(last).find((child) => child.name !== 'return') : undefined;
  if (value?.name !== 'VariableName') return undefined;
  const name = source.of(value);
  return parameterList(source, childNamed(fn, 'ParamList')).some((param) => param.name === name) ? name : undefined;
}

function helperWrites(source: Source, names: Names, functions: LocalFunctions, call: SyntaxNode, fn: SyntaxNode, caller: ConstScope, depth: number): InitWrite[] | undefined {
  const params = parameterList(source, childNamed(fn, 'ParamList')).map((param) => param.name);
  const args = callArgs(source, call);
  // With `*args` the arguments cannot be matched to parameters.
  if (args.splat) return unknownWrites(source, call, [...args.positional, ...[...args.keywords.values()].map(({ value }) => value)]);
  const scope = functions.bind(call, fn, caller);
  const mention = params.length > 0 ? new RegExp(`\\b(${params.join('|')})\\b`, 'g') : undefined;
  const mentioned = (node: SyntaxNode): string[] => (mention ? [...source.of(node).matchAll(mention)].map((match) => match[1]!) : []);
  /** What the body does to each parameter, by `param` or `param.part`: an init, or null when it cannot be told. */
  const effects = new Map<string, InitInfo | null>();
  const tainted = new Set<string>();
  const taint = (node: SyntaxNode): void => {
    for (const name of mentioned(node)) tainted.add(name);
  };
  const readCall = (node: SyntaxNode, guard: string | undefined): void => {
    const writes = readInitWrites(source, names, functions, node, scope, depth + 1);
    if (!writes) {
      taint(node);
      return;
    }
    for (const write of writes) {
      const full = source.of(write.target).replace(/\s+/g, '').replace(/\.data$/, '') + (write.part ? `.${write.part}` : '');
      const match = /^(\w+)(?:\.(weight|bias)(?:\.data)?)?$/.exec(full);
      if (!match || !params.includes(match[1]!)) {
        taint(write.target);
        continue;
      }
      const key = match[2] ? `${match[1]}.${match[2]}` : match[1]!;
      // A write under a condition may not happen, except `if layer.bias is not None:` around the bias.
      effects.set(key, guard === undefined || guard === key ? write.info : null);
    }
  };
  const walk = (statements: SyntaxNode[], guard: string | undefined): void => {
    for (const statement of statements) {
      switch (statement.name) {
        case 'ExpressionStatement':
        case 'ReturnStatement': {
          const value = statement.name === 'ReturnStatement' ? meaningfulChildren(statement).find((child) => child.name !== 'return') : statement.firstChild;
          if (value?.name === 'CallExpression') readCall(value, guard);
          // A docstring, or `return layer`, does nothing to what was passed.
          else if (value && value.name !== 'String' && value.name !== 'VariableName') taint(statement);
          break;
        }
        case 'AssignStatement': {
          // Local constants such as `std = gain / math.sqrt(fan_in)` feed the init calls after them.
          const parts = assignmentParts(statement);
          if (parts && parts.targets.every((target) => target.name === 'VariableName' && !params.includes(source.of(target)))) {
            for (const target of parts.targets) scope.set(source.of(target), evaluate(source, parts.value, scope));
          } else taint(statement);
          break;
        }
        case 'WithStatement':
          for (const body of statement.getChildren('Body')) walk(statementsOf(body), guard);
          break;
        case 'IfStatement': {
          if (childrenOf(statement).some((child) => child.name === 'elif' || child.name === 'else')) {
            taint(statement);
            break;
          }
          const condition = childrenOf(statement)[1];
          const biasGuard = condition ? /^(\w+)\.bias(isnotNone)?$/.exec(source.of(condition).replace(/\s+/g, '')) : null;
          const inner = guard === undefined && biasGuard ? `${biasGuard[1]}.bias` : '';
          for (const body of statement.getChildren('Body')) walk(statementsOf(body), inner);
          break;
        }
        default:
          taint(statement);
      }
    }
  };
  const body = bodyOf(fn);
  walk(body ? statementsOf(body) : [], undefined);
  const helper = source.of(call.firstChild!);
  const writes: InitWrite[] = [];
  params.forEach((param, position) => {
    const target = args.keywords.get(param)?.value ?? args.positional[position];
    if (!target) return;
    if (tainted.has(param)) {
      writes.push(...unknownWrites(source, call, [target]));
      return;
    }
    for (const part of ['', 'weight', 'bias'] as Part[]) {
      const effect = effects.get(part ? `${param}.${part}` : param);
      if (effect === undefined) continue;
      const info: InitInfo = effect
        ? { ...effect, name: `${helper} → ${effect.name}`, span: spanOf(call) }
        : { name: `${helper}(…)`, dist: { family: 'unknown' }, source: 'explicit', span: spanOf(call) };
      writes.push(part ? { target, part, info } : { target, info });
    }
  });
  return writes.length > 0 ? writes : undefined;
}
