import { TreeFragment, type SyntaxNode, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Model, Program, Span } from '../../ir/types';
import { FileContext, isKerasModelBase } from './context';
import { kerasFacts } from './keras';
import { isTorchModelClass, sequentialModel, TorchClassBuilder } from './pytorch';
import { repairUnclosedBrackets } from './repair';
import { spanOf } from './syntax';
import { TrainingReader } from './training';

const MAX_SYNTAX_ERRORS = 50;

/** Parses Python source into the model IR. */
export function parsePython(text: string): Program {
  return new IncrementalPythonParser().parse(text, undefined);
}

/** One replacement, in offsets of the text before it. */
export interface PythonChange {
  start: number;
  end: number;
  newText: string;
}

/**
 * Keeps the last syntax tree of one document so that, after an edit, lezer reuses every subtree the edit did
 * not touch. A one-character edit in a 2,000-line file then reparses a few nodes instead of the file.
 */
export class IncrementalPythonParser {
  private previous: { text: string; tree: Tree } | undefined;

  parse(text: string, changes: readonly PythonChange[] | undefined): Program {
    const repair = repairUnclosedBrackets(text);
    let fragments: readonly TreeFragment[] | undefined;
    // Reuse only for a single edit (a keystroke, a paste) and when no repair was needed: the old tree must
    // match the text it was parsed from, and one range needs no reordering between old and new coordinates.
    const change = changes?.length === 1 ? changes[0]! : undefined;
    if (this.previous && change && repair.blanked.length === 0) {
      const range = { fromA: change.start, toA: change.end, fromB: change.start, toB: change.start + change.newText.length };
      fragments = TreeFragment.applyChanges(TreeFragment.addTree(this.previous.tree), [range]);
    }
    const tree = parser.parse(repair.text, fragments);
    this.previous = repair.blanked.length === 0 ? { text, tree } : undefined;
    const program = extractPython(repair.text, tree);
    for (const range of repair.blanked) {
      program.syntaxErrors.unshift({ span: { start: range.start, end: range.end }, message: range.reason });
    }
    return program;
  }
}

function syntaxErrors(ctx: FileContext): Program['syntaxErrors'] {
  return ctx.index.errors.slice(0, MAX_SYNTAX_ERRORS).map((error) => ({ span: { start: error.from, end: error.to }, message: 'syntax error' }));
}

/** Where a free-standing `nn.Sequential(...)` gets its name: the variable, or the function that returns it. */
function sequentialName(ctx: FileContext, call: SyntaxNode): { name: string; nameSpan: Span } {
  const parent = call.parent;
  if (parent?.name === 'AssignStatement' && parent.firstChild?.name === 'VariableName') {
    return { name: ctx.source.of(parent.firstChild), nameSpan: spanOf(parent.firstChild) };
  }
  for (let node = call.parent; node; node = node.parent) {
    if (node.name === 'FunctionDefinition') {
      const name = node.getChild('VariableName');
      if (name) return { name: ctx.source.of(name), nameSpan: spanOf(name) };
    }
  }
  const line = ctx.text.slice(0, call.from).split('\n').length;
  return { name: `Sequential@${line}`, nameSpan: spanOf(call.firstChild!) };
}

/** Free-standing Sequential literals: outside model classes and not nested in another Sequential. */
function sequentialLiterals(ctx: FileContext, insideClasses: Span[]): Model[] {
  const models: Model[] = [];
  if (!ctx.text.includes('Sequential')) return models;
  let skipUntil = -1;
  for (const call of ctx.index.calls) {
    if (call.from < skipUntil) continue;
    if (insideClasses.some((span) => span.start <= call.from && call.to <= span.end)) continue;
    if (ctx.names.qualifiedOf(call.firstChild) !== 'torch.nn.Sequential') continue;
    const { name, nameSpan } = sequentialName(ctx, call);
    const model = sequentialModel(ctx, call, name, nameSpan);
    if (model) models.push(model);
    skipUntil = call.to;
  }
  return models;
}

/** Builds the IR from an already parsed tree (the editor reuses trees across edits). */
export function extractPython(text: string, tree: Tree): Program {
  const ctx = new FileContext(text, tree);
  const models: Model[] = [];
  const builders = new Map<string, TorchClassBuilder>();
  const classSpans: Span[] = [];
  for (const info of ctx.classes.values()) {
    if (isTorchModelClass(ctx, info.name)) {
      const builder = new TorchClassBuilder(ctx, info);
      builders.set(info.name, builder);
      models.push(builder.build());
      classSpans.push(spanOf(info.node));
    } else if (ctx.derivesFrom(info.name, isKerasModelBase)) {
      classSpans.push(spanOf(info.node));
    }
  }
  propagateInits(models, builders);
  models.push(...sequentialLiterals(ctx, classSpans));
  const keras = kerasFacts(ctx);
  models.push(...keras.models);
  resolveParameterCounts(models);
  const training = new TrainingReader(ctx, models).read();
  models.sort((a, b) => a.span.start - b.span.start);
  return {
    language: 'python',
    models,
    losses: [...training.losses, ...keras.losses].sort((a, b) => a.span.start - b.span.start),
    optimizers: [...training.optimizers, ...keras.optimizers].sort((a, b) => a.span.start - b.span.start),
    loops: [...training.loops, ...keras.fits].sort((a, b) => a.span.start - b.span.start),
    noGrad: training.noGrad.sort((a, b) => a.span.start - b.span.start),
    modeCalls: training.modeCalls.sort((a, b) => a.span.start - b.span.start),
    syntaxErrors: syntaxErrors(ctx),
  };
}

/** A parent's `self.apply(init_fn)` reaches the layers of the submodules it holds. */
function propagateInits(models: Model[], builders: Map<string, TorchClassBuilder>): void {
  const byName = new Map(models.map((model) => [model.name, model]));
  for (const [name, builder] of builders) {
    if (builder.typeInits.length === 0) continue;
    const seen = new Set<string>([name]);
    const queue = byName.get(name)!.layers.flatMap((layer) => (layer.ref ? [layer.ref] : []));
    while (queue.length > 0) {
      const child = queue.shift()!;
      if (seen.has(child)) continue;
      seen.add(child);
      const model = byName.get(child);
      if (!model) continue;
      builder.applyTypedInits(model.layers);
      queue.push(...model.layers.flatMap((layer) => (layer.ref ? [layer.ref] : [])));
    }
  }
}

/** Sums layer parameters, counting repeats and submodules defined in the same file. */
function resolveParameterCounts(models: Model[]): void {
  const byName = new Map(models.map((model) => [model.name, model]));
  const resolving = new Set<string>();
  const count = (model: Model): number | null => {
    if (model.parameterCount !== null) return model.parameterCount;
    if (resolving.has(model.name)) return null;
    resolving.add(model.name);
    let total: number | null = 0;
    for (const layer of model.layers) {
      if (layer.ref && layer.params === null) {
        const child = byName.get(layer.ref);
        layer.params = child ? count(child) : null;
      }
      const repeat = layer.repeat === undefined ? 1 : layer.repeat;
      total = total === null || layer.params === null || repeat === null ? null : total + layer.params * repeat;
    }
    for (const parameter of model.parameters) {
      const size = parameter.shape && parameter.shape.every((dim) => dim !== null) ? (parameter.shape as number[]).reduce((a, b) => a * b, 1) : null;
      total = total === null || size === null ? null : total + size;
    }
    resolving.delete(model.name);
    model.parameterCount = total;
    return total;
  };
  models.forEach(count);
}
