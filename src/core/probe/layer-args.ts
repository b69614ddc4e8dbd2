// Reading a layer's constructor arguments as the probe needs them, and the error that names the layer.
import { isUnknown, type Arg, type ConstValue, type Layer } from '../ir/types';
import { ProbeGraphError } from './graph';

export function describe(layer: Layer): string {
  return `${layer.name ? `'${layer.name}' ` : ''}(${layer.ctor}, layer ${layer.index})`;
}

export function layerError(layer: Layer, message: string): ProbeGraphError {
  return new ProbeGraphError(`cannot probe layer ${describe(layer)}: ${message}`, layer.span);
}

/** Looks up an argument by keyword (any of `names`) or by position among positional arguments. */
export function argument(layer: Layer, names: string[], position: number | null): ConstValue | undefined {
  const keyword = layer.args.find((arg: Arg) => arg.name !== undefined && names.includes(arg.name));
  if (keyword) return keyword.value;
  if (position === null) return undefined;
  return layer.args.filter((arg) => arg.name === undefined)[position]?.value;
}

export function intList(value: ConstValue | undefined, rank: number, layer: Layer, what: string): number[] | null {
  if (value === undefined || value === null) return null;
  if (isUnknown(value)) throw layerError(layer, `its ${what} is not a constant`);
  if (typeof value === 'number' && Number.isInteger(value)) return Array(rank).fill(value);
  if (Array.isArray(value) && value.length === rank && value.every((v) => typeof v === 'number' && Number.isInteger(v))) return value as number[];
  if (typeof value === 'string') return null;
  throw layerError(layer, `unsupported ${what} ${JSON.stringify(value)}`);
}

export function numberArg(layer: Layer, names: string[], position: number | null, fallback: number): number {
  const value = argument(layer, names, position);
  return typeof value === 'number' ? value : fallback;
}

/** A positive whole-number argument; `fallback` when absent, an error naming `what` when it is not a constant. */
export function countArg(layer: Layer, names: string[], position: number | null, fallback: number | null, what: string): number {
  const value = argument(layer, names, position);
  if (value === undefined || value === null) {
    if (fallback === null) throw layerError(layer, `its ${what} is unknown`);
    return fallback;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw layerError(layer, isUnknown(value) ? `its ${what} is not a constant` : `unsupported ${what} ${JSON.stringify(value)}`);
}

/** A boolean argument; `fallback` when absent, an error naming `what` when it is not a constant. */
export function flagArg(layer: Layer, names: string[], position: number | null, fallback: boolean, what: string): boolean {
  const value = argument(layer, names, position);
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  throw layerError(layer, isUnknown(value) ? `its ${what} is not a constant` : `unsupported ${what} ${JSON.stringify(value)}`);
}

export function product(values: number[]): number {
  return values.reduce((p, v) => p * v, 1);
}
