// What the incremental extraction reuses from one version of a document to the next: results keyed by the text
// they were built from, and copies of them with their spans moved to where that text lies now.
import { UNKNOWN, type Model } from '../../ir/types';

/** A piece of text a result was built from: where it lay then, and how far it has moved since. */
export interface Region {
  start: number;
  end: number;
  delta: number;
}

/**
 * Values by text, where the texts are new strings in every version: a Map would hash each one in full, while a
 * few characters and the length pick a short list whose texts are compared only when their lengths agree.
 */
class TextMap<T> {
  private readonly buckets = new Map<number, { text: string; value: T }[]>();

  get(text: string): T | undefined {
    const bucket = this.buckets.get(quickKey(text));
    if (bucket) for (const entry of bucket) if (entry.text === text) return entry.value;
    return undefined;
  }

  set(text: string, value: T): void {
    const key = quickKey(text);
    const bucket = this.buckets.get(key);
    if (!bucket) {
      this.buckets.set(key, [{ text, value }]);
      return;
    }
    const entry = bucket.find((candidate) => candidate.text === text);
    if (entry) entry.value = value;
    else bucket.push({ text, value });
  }
}

/** The length and three characters spread over the text, mixed into one small integer. */
function quickKey(text: string): number {
  const length = text.length;
  return (Math.imul(Math.imul(Math.imul(length, 31) + text.charCodeAt(length >> 2), 31) + text.charCodeAt(length >> 1), 31) + text.charCodeAt((3 * length) >> 2)) | 0;
}

/**
 * Results of one version of a document by the text they were built from. A changed environment (what every
 * result reads from the rest of the file) drops them all; each extraction keeps only those it used or made.
 */
export class VersionCache<T> {
  private entries = new TextMap<T>();
  private kept = new TextMap<T>();
  private environment: string | undefined;

  begin(environment: string): void {
    if (environment !== this.environment) this.entries = new TextMap();
    this.environment = environment;
    this.kept = new TextMap();
  }

  end(): void {
    this.entries = this.kept;
  }

  get(text: string): T | undefined {
    return this.entries.get(text);
  }

  keep(text: string, entry: T): void {
    this.kept.set(text, entry);
  }
}

/** Thrown inside a copy when an offset lies in none of the regions. */
class Unmapped extends Error {}

/** How far the region holding the range has moved. */
function deltaOf(regions: readonly Region[], start: number, end: number): number {
  for (const region of regions) if (region.start <= start && end <= region.end) return region.delta;
  throw new Unmapped();
}

/** Throws Unmapped when a span, or an offset `offsets` names, of a value lies in none of the regions. */
function checkWithin(value: unknown, regions: readonly Region[], offsets: ReadonlySet<string>): void {
  if (typeof value !== 'object' || value === null || value === UNKNOWN || value instanceof Set) return;
  if (Array.isArray(value)) {
    for (const item of value) checkWithin(item, regions, offsets);
    return;
  }
  const source = value as Record<string, unknown>;
  if (isSpan(source)) {
    deltaOf(regions, source.start, source.end);
    return;
  }
  for (const key in source) {
    const field = source[key];
    if (typeof field === 'object') checkWithin(field, regions, offsets);
    else if (typeof field === 'number' && offsets.has(key)) deltaOf(regions, field, field);
  }
}

/** Whether every span, and every offset `offsets` names, lies in one of the regions: what `moved` can copy. */
export function liesWithin(value: unknown, regions: readonly Region[], offsets: ReadonlySet<string> = new Set()): boolean {
  try {
    checkWithin(value, regions, offsets);
    return true;
  } catch (error) {
    if (error instanceof Unmapped) return false;
    throw error;
  }
}

/** Whether no region has moved, so that a result built from them needs no spans moved. */
export function unmoved(regions: readonly Region[]): boolean {
  return regions.every((region) => region.delta === 0);
}

/**
 * A model as the rest of the extraction may change it, sharing all else with the cached one: a model's count, and
 * its layers' and custom parameters' counts and inits, are filled in after the build (submodules, `apply` inits).
 */
export function mutableCopy(model: Model): Model {
  return { ...model, layers: model.layers.map((layer) => ({ ...layer })), parameters: model.parameters.map((parameter) => ({ ...parameter })) };
}

/**
 * A deep copy with every span (an object of exactly `start` and `end`) moved by the delta of the region it lies
 * in, and every offset `offsets` names moved alike; undefined when one lies in no region. UNKNOWN is shared, as
 * a fresh extraction shares it: it is frozen.
 */
export function moved<T>(value: T, regions: readonly Region[], offsets: ReadonlySet<string> = new Set()): T | undefined {
  const copy = (item: unknown): unknown => {
    if (typeof item !== 'object' || item === null || item === UNKNOWN) return item;
    if (Array.isArray(item)) {
      const items: unknown[] = new Array(item.length);
      for (let index = 0; index < item.length; index++) items[index] = copy(item[index]);
      return items;
    }
    const source = item as Record<string, unknown>;
    if (isSpan(source)) {
      const delta = deltaOf(regions, source.start, source.end);
      return { start: source.start + delta, end: source.end + delta };
    }
    if (item instanceof Set) return new Set(item);
    // A spread clones the object's shape in one step; only fields that hold objects or offsets are set again,
    // and setting a field the object already has is cheaper than adding one.
    const result: Record<string, unknown> = { ...source };
    for (const key in source) {
      const field = source[key];
      if (typeof field === 'object') {
        if (field !== null) result[key] = copy(field);
      } else if (typeof field === 'number' && offsets.has(key)) {
        result[key] = field + deltaOf(regions, field, field);
      }
    }
    return result;
  };
  try {
    return copy(value) as T;
  } catch (error) {
    if (error instanceof Unmapped) return undefined;
    throw error;
  }
}

/** Whether an object is a span: numbers `start` and `end` and nothing else (told without listing its keys). */
function isSpan(value: Record<string, unknown>): value is { start: number; end: number } {
  let keys = 0;
  for (const key in value) {
    if (key !== 'start' && key !== 'end') return false;
    keys++;
  }
  return keys === 2 && typeof value['start'] === 'number' && typeof value['end'] === 'number';
}
