// Reads PyTorch initialization calls (`nn.init.kaiming_normal_(w, ...)`, `w.data.normal_(0, 0.02)`) into
// precise InitInfo values.
import type { SyntaxNode } from '@lezer/common';
import { gainSquared } from '../../ir/torch-layers';
import type { ConstValue, InitDist, InitInfo } from '../../ir/types';
import { evaluate, type ConstScope, type Names } from './names';
import { callArgs, spanOf, type Source } from './syntax';

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

/** Maps a call's arguments onto parameter names, the first being the tensor. */
function bind(source: Source, call: SyntaxNode, params: string[], scope: ConstScope): { target: SyntaxNode | undefined; args: Record<string, ConstValue>; rest: string } {
  const parsed = callArgs(source, call);
  const args: Record<string, ConstValue> = {};
  parsed.positional.slice(1).forEach((node, index) => {
    const param = params[index];
    if (param) args[param] = evaluate(source, node, scope);
  });
  for (const [name, { value }] of parsed.keywords) args[name] = evaluate(source, value, scope);
  const rest = [
    ...parsed.positional.slice(1).map((node) => source.of(node)),
    ...[...parsed.keywords].map(([name, { value }]) => `${name}=${source.of(value)}`),
  ].join(', ');
  return { target: parsed.positional[0], args, rest };
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
 */
export function readInitCall(source: Source, names: Names, call: SyntaxNode, scope: ConstScope): InitCall | undefined {
  const callee = call.firstChild;
  if (!callee) return undefined;
  const qualified = names.qualifiedOf(callee) ?? '';
  const fn = qualified.split('.').pop() ?? '';
  const isInitModule = /(^|\.)init\.[a-z_]+$/.test(qualified) || (fn === 'trunc_normal_' && !qualified.includes('.data.'));
  if ((isInitModule && INIT_FUNCTIONS.has(fn)) || fn === 'trunc_normal_') {
    const base = fn.replace(/_$/, '');
    const { target, args, rest } = bind(source, call, PARAMS[base] ?? [], scope);
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
  const argsText = source.of(call.lastChild!).slice(1, -1);
  return { target, info: { name: `${method}(${argsText})`, dist, source: 'explicit', span: spanOf(call) } };
}
