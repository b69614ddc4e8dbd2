// Reuse of PyTorch class models across versions of one document. A class's model depends on the text of its
// statement, on the file's environment (FileContext.environmentKey) and on the top-level functions it calls; while
// all of them are unchanged it is copied from the last version with its spans moved, instead of built again.
import type { SyntaxNode } from '@lezer/common';
import type { ConstValue, Model } from '../../ir/types';
import type { ClassInfo, FileContext } from './context';
import { TorchClassBuilder, type TypedInit } from './pytorch';
import { liesWithin, moved, mutableCopy, unmoved, VersionCache, type Region } from './reuse';

/** What building one class gives the rest of the extraction. */
export interface ClassModel {
  model: Model;
  typeInits: readonly TypedInit[];
}

interface Entry {
  /** Where the class statement started when the model was built. */
  start: number;
  /** The top-level functions the build looked up: their start and text then, or null when there was none. */
  functions: Map<string, { start: number; text: string } | null>;
  /** The base classes of this file whose methods the build read, likewise. */
  classes: Map<string, { start: number; text: string } | null>;
  /** The model in the coordinates of that version, never handed out itself: the rest of the extraction fills it in. */
  built: ClassModel;
}

/** Offsets of a model that are not spans: where an init method or call can be inserted. */
const INSERTION_OFFSETS: ReadonlySet<string> = new Set(['initEnd', 'classEnd']);

/** Builds a class's model, with the names of the top-level functions the build looked up. */
export function buildClass(ctx: FileContext, info: ClassInfo): { built: ClassModel; functionsRead: ReadonlySet<string>; classesRead: ReadonlySet<string> } {
  const builder = new TorchClassBuilder(ctx, info);
  return { built: { model: builder.build(), typeInits: builder.typeInits }, functionsRead: builder.functionsRead, classesRead: builder.classesRead };
}

/** The statement of a class of this file: the decorated statement around it when there is one. */
function classStatement(ctx: FileContext, name: string): SyntaxNode | undefined {
  return ctx.classes.get(name)?.statement;
}

export class ClassCache {
  private readonly entries = new VersionCache<Entry>();

  /** Starts one extraction; a changed environment invalidates every entry. */
  begin(environment: string): void {
    this.entries.begin(environment);
  }

  /** Ends one extraction, keeping only the entries of classes still in the file. */
  end(): void {
    this.entries.end();
  }

  build(ctx: FileContext, info: ClassInfo): ClassModel {
    const statement = info.statement;
    // Error recovery may look past a statement, so a class with syntax errors is always built afresh.
    if (ctx.hasErrorsIn(statement)) return buildClass(ctx, info).built;
    const text = info.text;
    const entry = this.entries.get(text);
    const reused = entry ? reuse(ctx, statement, entry) : undefined;
    if (entry && reused) {
      this.entries.keep(text, entry);
      return reused;
    }
    const { built, functionsRead, classesRead } = buildClass(ctx, info);
    const functions = new Map<string, { start: number; text: string } | null>();
    const classes = new Map<string, { start: number; text: string } | null>();
    const regions: Region[] = [{ start: statement.from, end: statement.to, delta: 0 }];
    for (const [names, texts, find] of [
      [functionsRead, functions, (name: string) => ctx.topLevelFunction(name)],
      [classesRead, classes, (name: string) => classStatement(ctx, name)],
    ] as const) {
      for (const name of names) {
        const node = find(name);
        texts.set(name, node ? { start: node.from, text: ctx.source.of(node) } : null);
        if (node) regions.push({ start: node.from, end: node.to, delta: 0 });
      }
    }
    // A span outside the regions would come from text the entry does not check: such a class is not kept.
    if (!liesWithin(built, regions, INSERTION_OFFSETS)) return built;
    this.entries.keep(text, { start: statement.from, functions, classes, built });
    return handedOut(built);
  }
}

function reuse(ctx: FileContext, statement: SyntaxNode, entry: Entry): ClassModel | undefined {
  const regions: Region[] = [{ start: entry.start, end: entry.start + statement.to - statement.from, delta: statement.from - entry.start }];
  for (const [dependencies, find] of [
    [entry.functions, (name: string) => ctx.topLevelFunction(name)],
    [entry.classes, (name: string) => classStatement(ctx, name)],
  ] as const) {
    for (const [name, then] of dependencies) {
      const node = find(name);
      if (!then || !node) {
        if (then || node) return undefined;
        continue;
      }
      if (ctx.source.of(node) !== then.text) return undefined;
      regions.push({ start: then.start, end: then.start + then.text.length, delta: node.from - then.start });
    }
  }
  if (unmoved(regions)) return handedOut(entry.built);
  return moved(entry.built, regions, INSERTION_OFFSETS);
}

/** A kept model as the extraction may change it, sharing what it does not change with the cache. */
function handedOut(built: ClassModel): ClassModel {
  return { model: mutableCopy(built.model), typeInits: built.typeInits };
}

/** The text of the functions or classes a build looked up, by name (null for a name the file does not define). */
function textsOf(ctx: FileContext, names: ReadonlySet<string>, find: (name: string) => SyntaxNode | undefined): Map<string, string | null> {
  const texts = new Map<string, string | null>();
  for (const name of names) {
    const node = find(name);
    texts.set(name, node ? ctx.source.of(node) : null);
  }
  return texts;
}

/**
 * Models of classes read again with a submodule's constructor arguments (`TNet(k=64)`), kept across versions of a
 * document as class models are: by the class's text and the arguments, while the environment and the top-level
 * functions the build looked up are unchanged. Only their sizes are read, so their spans are never moved.
 */
export class RebuildCache {
  private readonly entries = new VersionCache<{ model: Model; functions: Map<string, string | null>; classes: Map<string, string | null> }>();

  begin(environment: string): void {
    this.entries.begin(environment);
  }

  end(): void {
    this.entries.end();
  }

  build(ctx: FileContext, info: ClassInfo, changed: ReadonlyMap<string, ConstValue>, argumentsKey: string): Model {
    if (ctx.hasErrorsIn(info.statement)) return new TorchClassBuilder(ctx, info, changed).build();
    const key = `${argumentsKey}\n${info.text}`;
    const entry = this.entries.get(key);
    const unchanged = (node: SyntaxNode | undefined, text: string | null) => (node ? ctx.source.of(node) : null) === text;
    const valid =
      entry &&
      [...entry.functions].every(([name, text]) => unchanged(ctx.topLevelFunction(name), text)) &&
      [...entry.classes].every(([name, text]) => unchanged(classStatement(ctx, name), text));
    if (entry && valid) {
      this.entries.keep(key, entry);
      return entry.model;
    }
    const builder = new TorchClassBuilder(ctx, info, changed);
    const model = builder.build();
    this.entries.keep(key, {
      model,
      functions: textsOf(ctx, builder.functionsRead, (name) => ctx.topLevelFunction(name)),
      classes: textsOf(ctx, builder.classesRead, (name) => classStatement(ctx, name)),
    });
    return model;
  }
}
