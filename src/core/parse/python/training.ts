// Training code around PyTorch models: model instances, losses and what feeds them, optimizers, training loops,
// no_grad regions and train/eval mode calls.
import type { SyntaxNode } from '@lezer/common';
import type { ActivationFn, LossInfo, ModeCall, Model, NoGradRegion, OptimizerInfo, Span, TrainingLoop } from '../../ir/types';
import type { FileContext } from './context';
import { moved, VersionCache } from './reuse';
import { TORCH_FUNCTIONAL_ACTIVATIONS } from '../../ir/torch-layers';
import { assignmentParts, bodyOf, callArgs, childNamed, childrenOf, definitionName, definitionOf, isNameChar, meaningfulChildren, memberProperty, parameterList, spanOf, type Source } from './syntax';

function lastSegment(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

const LOSS_CLASSES: ReadonlyMap<string, LossInfo['kind']> = new Map([
  ['CrossEntropyLoss', 'cross_entropy'],
  ['NLLLoss', 'nll'],
  ['BCELoss', 'bce'],
  ['BCEWithLogitsLoss', 'bce_with_logits'],
  ['MSELoss', 'mse'],
  ['L1Loss', 'mae'],
  ['SmoothL1Loss', 'huber'],
  ['HuberLoss', 'huber'],
  ['KLDivLoss', 'kl_div'],
]);

const LOSS_FUNCTIONS: ReadonlyMap<string, LossInfo['kind']> = new Map([
  ['cross_entropy', 'cross_entropy'],
  ['nll_loss', 'nll'],
  ['binary_cross_entropy', 'bce'],
  ['binary_cross_entropy_with_logits', 'bce_with_logits'],
  ['mse_loss', 'mse'],
  ['l1_loss', 'mae'],
  ['smooth_l1_loss', 'huber'],
  ['huber_loss', 'huber'],
  ['kl_div', 'kl_div'],
]);

/** Tensor methods that change a tensor's shape or type but none of its values. */
const RESHAPING_METHODS: ReadonlySet<string> = new Set(['view', 'reshape', 'squeeze', 'unsqueeze', 'flatten', 'contiguous', 'float', 'double', 'to']);

const OPTIMIZERS: ReadonlyMap<string, { kind: OptimizerInfo['kind']; decay: number }> = new Map([
  ['SGD', { kind: 'sgd', decay: 0 }],
  ['Adam', { kind: 'adam', decay: 0 }],
  ['AdamW', { kind: 'adamw', decay: 0.01 }],
  ['RMSprop', { kind: 'rmsprop', decay: 0 }],
  ['Adagrad', { kind: 'adagrad', decay: 0 }],
  ['Adadelta', { kind: 'adadelta', decay: 0 }],
  ['Adamax', { kind: 'adamax', decay: 0 }],
  ['NAdam', { kind: 'nadam', decay: 0 }],
  ['LBFGS', { kind: 'lbfgs', decay: 0 }],
]);

/** The last names of the calls and blocks the training facts come from. */
const TRAINING_WORDS: ReadonlySet<string> = new Set([
  'backward',
  'eval',
  'train',
  'no_grad',
  'inference_mode',
  'set_grad_enabled',
  'enable_grad',
  ...LOSS_CLASSES.keys(),
  ...LOSS_FUNCTIONS.keys(),
  ...OPTIMIZERS.keys(),
]);

/** The method names a call that can be a functional loss, an optimizer or a mode switch is made by. */
const CALLEE_METHODS: ReadonlySet<string> = new Set([...LOSS_FUNCTIONS.keys(), ...OPTIMIZERS.keys(), 'eval', 'train']);

/** The test of whether a text calls one of some names as functions (`criterion(out, y)`). */
function callsInText(text: string): Footprint['calls'] {
  // The footprint is kept across edits and asked again after each: each name's answer is kept with it.
  const answers = new Map<string, boolean>();
  return (names) => {
    for (const name of names) {
      let calls = answers.get(name);
      if (calls === undefined) answers.set(name, (calls = callsName(text, name)));
      if (calls) return true;
    }
    return false;
  };
}

/** Whether `name` stands in the text as a whole word, not an attribute, followed by `(`. */
function callsName(text: string, name: string): boolean {
  // A few names (the file's loss variables) are looked for: finding each is cheaper than listing every call.
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : NaN;
    let after = at + name.length;
    if (isNameChar(before) || before === DOT || isNameChar(text.charCodeAt(after))) continue;
    while (/\s/.test(text.charAt(after))) after++;
    if (text.charCodeAt(after) === OPEN_PAREN) return true;
  }
  return false;
}

const DOT = 46;
const OPEN_PAREN = 40;

export interface TrainingFacts {
  losses: LossInfo[];
  optimizers: OptimizerInfo[];
  loops: TrainingLoop[];
  noGrad: NoGradRegion[];
  modeCalls: ModeCall[];
}

/**
 * What reading one top-level statement's nodes could give the training facts. A quiet statement gives none of
 * them and binds nothing outside its functions and classes, unless one of the names it calls is a loss object.
 */
export interface Footprint {
  quiet: boolean;
  /** Whether it calls one of the names as a function. */
  calls: (names: ReadonlySet<string>) => boolean;
}

/** A call of a loss object by its variable's name: the first such call in the file tells the loss what feeds it. */
interface LossCall {
  variable: string;
  span: Span;
  inputActivation: { fn: ActivationFn; span: Span } | undefined;
  model: string | undefined;
}

/** What one top-level statement gives the training facts; its loss objects are not yet told how they are called. */
interface StatementPart {
  facts: TrainingFacts;
  /** The variables it binds to model instances, in document order, with the model's name. */
  instances: [string, string][];
  /** The variables it binds to loss objects, in document order, with the loss's position in facts.losses. */
  lossObjects: [string, number][];
  lossCalls: LossCall[];
  /** What its calls of the file's top-level functions pass them (`train(net, loader, loss_fn)`). */
  passes: Pass[];
}

/**
 * An argument of a call of a top-level function of the file: the function called, the argument's position or
 * keyword, the variable passed (a model or loss made in the call by its bracketed text, '' for any other expression)
 * and the top-level function the call is in ('' for none).
 */
type Pass = [callee: string, at: number | string, variable: string, caller: string];

/** What the calls of a function pass its parameters: the model each one holds, and the variable of a loss object. */
interface Arguments {
  models: Map<string, string>;
  losses: Map<string, string>;
}

/** What reading a statement looked up from the rest of the file, with what it found. */
interface StatementReads {
  instances: Map<string, string | undefined>;
  /** For each name asked about, the variable of the loss object it holds, if any. */
  lossObjects: Map<string, string | undefined>;
  /** The text of the top-level function of each name it asked about. */
  helpers: Map<string, string | undefined>;
}

interface StatementEntry {
  /** Where the statement started when it was read. */
  start: number;
  part: StatementPart;
  reads: StatementReads;
}

/** A top-level statement the reader reads, with what the last version left for it. */
interface ReadUnit {
  node: SyntaxNode;
  /** The key of its cache entry; undefined when its text does not tell its facts. */
  text: string | undefined;
  entry: StatementEntry | undefined;
  part: StatementPart | undefined;
}

/**
 * What the training reader keeps from one version of a document for the next: each top-level statement's
 * footprint, and what each function definition gave. A function's facts depend on its text, on the environment
 * (imports, module constants, the models and how they end), on which variables of the file hold models or loss
 * objects and on the text of the top-level functions it calls; while these are unchanged they are copied with
 * their spans moved instead of read again.
 */
export class TrainingCache {
  readonly footprints = new VersionCache<Footprint>();
  readonly statements = new VersionCache<StatementEntry>();

  /** `functions`: the names of the file's top-level functions, which tell what a statement's calls pass arguments to. */
  begin(environment: string, models: readonly Model[], functions: readonly string[]): void {
    this.footprints.begin(`${environment}\nmodels ${models.map((model) => model.name).join(' ')}\nfunctions ${functions.join(' ')}`);
    this.statements.begin(`${environment}\nmodels ${models.map((model) => `${model.name}:${finalActivation(model)?.fn ?? ''}`).join(' ')}\nfunctions ${functions.join(' ')}`);
  }

  end(): void {
    this.footprints.end();
    this.statements.end();
  }
}

/** A variable and what was last assigned to it, in source order within one function. */
interface Binding {
  value: SyntaxNode;
  at: number;
}

class FunctionScope {
  readonly bindings = new Map<string, Binding[]>();

  assigned(name: string, before: number): SyntaxNode | undefined {
    const list = this.bindings.get(name);
    if (!list) return undefined;
    let found: Binding | undefined;
    for (const binding of list) if (binding.at < before) found = binding;
    return found?.value;
  }
}

function emptyFacts(): TrainingFacts {
  return { losses: [], optimizers: [], loops: [], noGrad: [], modeCalls: [] };
}

function emptyPart(): StatementPart {
  return { facts: emptyFacts(), instances: [], lossObjects: [], lossCalls: [], passes: [] };
}

function emptyReads(): StatementReads {
  return { instances: new Map(), lossObjects: new Map(), helpers: new Map() };
}

/** Module methods that return the module they are called on, so that a chain of them is still that module. */
const SELF_RETURNING_METHODS: ReadonlySet<string> = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'train', 'eval', 'requires_grad_']);

export class TrainingReader {
  /** Variable → model name (`model = Net()`), file-wide: training scripts pass models around by these names. */
  private readonly instances = new Map<string, string>();
  /** The variables holding loss objects, file-wide. */
  private readonly lossNames = new Set<string>();
  /** What the statements read so far pass to the file's functions (see StatementPart.passes). */
  private readonly passes: Pass[] = [];
  /** By top-level function, the models and loss objects its calls pass in (see linkArguments). */
  private readonly passed = new Map<string, Arguments>();
  /** What the calls of the function being read pass in, when it is a top-level function. */
  private received: Arguments | undefined;
  /** Function scopes keyed by the function's start offset (-1 for module level): tree nodes are not stable keys. */
  private readonly scopes = new Map<number, FunctionScope>();
  /** The statement being read, and what its reading looks up when it is to be kept. */
  private part: StatementPart = emptyPart();
  private reads: StatementReads | undefined;

  private readonly modelNames: Set<string>;
  /** Free-standing models (`nn.Sequential(...)` outside a class) by where their call starts. */
  private readonly modelsAt: Map<number, string>;
  /** Where each model starts: for a model class, where its class definition does. */
  private readonly modelClassStarts: Set<number>;

  constructor(
    private readonly ctx: FileContext,
    private readonly models: Model[],
  ) {
    this.modelNames = new Set(models.map((model) => model.name));
    this.modelsAt = new Map(models.filter((model) => model.framework === 'pytorch').map((model) => [model.span.start, model.name]));
    this.modelClassStarts = new Set(models.map((model) => model.span.start));
  }

  /**
   * Reads the training facts, one top-level statement at a time. Every statement's bindings are read first:
   * which variables hold models and loss objects is file-wide. With the cache of the last version, statements that
   * give nothing are left out and function definitions whose inputs are unchanged are not read again.
   */
  read(cache?: TrainingCache): TrainingFacts {
    const facts = emptyFacts();
    // A file without any of these words gives no facts; functional losses named without "loss" are among them.
    if (!/backward|no_grad|inference_mode|optim|Loss|loss|cross_entropy|kl_div|\.eval\(|\.train\(/.test(this.ctx.text)) return facts;
    // Nor does one that names no PyTorch (Keras code says "loss" and "optimizer" too): what else this reader finds
    // is a backward or mode call, or a name that qualifies to torch, through an import or `nn`, `F` and `optim`.
    if (!/torch|(?<![.\w])(?:nn|F|optim)\.|backward|\.eval\(|\.train\(/.test(this.ctx.text)) return facts;
    const { units, quiet } = this.units(cache);
    for (const unit of units) this.bindUnit(unit, cache);
    this.linkArguments();
    // A quiet statement still counts when it calls a loss object by name (or a parameter given one); then its
    // (function-local) bindings too.
    const lossNames = new Set([...this.lossNames, ...[...this.passed.values()].flatMap((received) => [...received.losses.keys()])]);
    const calling = quiet.filter((candidate) => candidate.calls(lossNames));
    if (calling.length > 0) {
      for (const { unit } of calling) this.bindUnit(unit, cache);
      units.push(...calling.map((candidate) => candidate.unit));
      units.sort((a, b) => a.node.from - b.node.from);
    }
    const parts = units.map((unit) => this.readUnit(unit, cache));
    const lossObjects = new Map<string, LossInfo>();
    for (const part of parts) {
      for (const [variable, position] of part.lossObjects) lossObjects.set(variable, part.facts.losses[position]!);
      facts.losses.push(...part.facts.losses);
      facts.optimizers.push(...part.facts.optimizers);
      facts.loops.push(...part.facts.loops);
      facts.noGrad.push(...part.facts.noGrad);
      facts.modeCalls.push(...part.facts.modeCalls);
    }
    // In document order, as the first call of a loss object is the one that tells what feeds it.
    for (const part of parts) {
      for (const call of part.lossCalls) {
        tellLoss(lossObjects.get(call.variable)!, call);
      }
    }
    return facts;
  }

  /**
   * The top-level statements to read, in document order, and the quiet ones with a test of whether they call a name.
   * A statement with a syntax error is read every time: error recovery may look past a statement, so only error-free
   * statements are known by their text. So is what the parser could not make a statement of. A model class that
   * names nothing of training is quiet without being walked: the variables its methods bind to other models are
   * its submodules, not models the training code uses. With the cache of the last version, so is any statement
   * whose footprint says so.
   */
  private units(cache: TrainingCache | undefined): { units: ReadUnit[]; quiet: { unit: ReadUnit; calls: Footprint['calls'] }[] } {
    const quiet: { unit: ReadUnit; calls: Footprint['calls'] }[] = [];
    const units: ReadUnit[] = this.ctx.topLevelNodes.filter((node) => node.type.isError).map((node) => ({ node, text: undefined, entry: undefined, part: undefined }));
    const { topLevel, topLevelTexts } = this.ctx;
    // Built only when a class's footprint is not kept from the last version: most keystrokes need none.
    let trainingWords: RegExp | undefined;
    topLevel.forEach((node, position) => {
      if (this.ctx.hasErrorsIn(node)) {
        units.push({ node, text: undefined, entry: undefined, part: undefined });
        return;
      }
      // An import calls nothing and binds no model or loss object (the names it binds are read with the file's).
      if (node.name === 'ImportStatement') return;
      const text = topLevelTexts[position]!;
      // Only a function keeps all it reads to itself: code at module level, or in a class body, reads module names.
      const definition = definitionOf(node);
      const key = cache && definition?.name === 'FunctionDefinition' ? text : undefined;
      const unit: ReadUnit = { node, text: key, entry: undefined, part: undefined };
      let footprint = cache?.footprints.get(text);
      if (!footprint && definition?.name === 'ClassDefinition' && this.modelClassStarts.has(definition.from) && !(trainingWords ??= this.trainingWords()).test(text)) {
        footprint = { quiet: true, calls: callsInText(text) };
      }
      if (cache) {
        footprint ??= this.footprint(node);
        cache.footprints.keep(text, footprint);
      }
      if (footprint?.quiet) quiet.push({ unit, calls: footprint.calls });
      else units.push(unit);
    });
    units.sort((a, b) => a.node.from - b.node.from);
    return { units, quiet };
  }

  /**
   * Matches a word without which a class's code can give no training facts: what a loss, an optimizer, a backward
   * pass, a no-grad region or a mode switch is called by, or a name an import binds to one of them.
   */
  private trainingWords(): RegExp {
    const aliases = this.ctx.names.localNamesWhere((qualified) => TRAINING_WORDS.has(lastSegment(qualified)));
    return new RegExp(`\\b(?:${[...TRAINING_WORDS, ...aliases].join('|')})\\b`);
  }

  /** Takes what a statement binds from its cache entry, or reads its bindings; then adds them to the file's. */
  private bindUnit(unit: ReadUnit, cache: TrainingCache | undefined): void {
    unit.entry = unit.text === undefined ? undefined : cache!.statements.get(unit.text);
    if (!unit.entry) unit.part = this.bindings(unit.node);
    const part = unit.part ?? unit.entry!.part;
    for (const [variable, model] of part.instances) this.instances.set(variable, model);
    for (const [variable] of part.lossObjects) this.lossNames.add(variable);
    this.passes.push(...part.passes);
  }

  /**
   * Gives the parameters of each top-level function the model or loss object its calls pass in by variable
   * (`train(net, loader, loss_fn)` into `def train(model, loader, criterion)`), when every call passes the same one;
   * through chains of calls too (main → train → step). A parameter also passed anything else is left alone: a guess
   * would let the rules judge the wrong model. Only the function's own code sees its parameters so.
   */
  private linkArguments(): void {
    const signatures = new Map<string, { names: string[]; starred: boolean }>();
    const parameterAt = (fn: string, at: number | string): string | undefined => {
      let signature = signatures.get(fn);
      if (!signature) {
        const definition = this.ctx.topLevelFunction(fn);
        const list = definition ? childNamed(definition, 'ParamList') : null;
        const starred = list !== null && childrenOf(list).some((child) => child.name === '*' || child.name === '**');
        signature = { names: parameterList(this.ctx.source, list).map((parameter) => parameter.name), starred };
        signatures.set(fn, signature);
      }
      // After `*args` the positions no longer name parameters; keywords still do.
      if (typeof at === 'number') return signature.starred ? undefined : signature.names[at];
      return signature.names.includes(at) ? at : undefined;
    };
    for (let round = 0; round < MAX_LINKED_CALLS; round++) {
      // By function and parameter, what each call passes: a model or a loss object's variable, undefined for else.
      const candidates = new Map<string, Map<string, { models: Set<string | undefined>; losses: Set<string | undefined> }>>();
      for (const [callee, at, variable, caller] of this.passes) {
        const parameter = parameterAt(callee, at);
        if (parameter === undefined) continue;
        const received = this.passed.get(caller);
        let byParameter = candidates.get(callee);
        if (!byParameter) candidates.set(callee, (byParameter = new Map()));
        let held = byParameter.get(parameter);
        if (!held) byParameter.set(parameter, (held = { models: new Set(), losses: new Set() }));
        held.models.add(variable === '' ? undefined : (received?.models.get(variable) ?? this.instances.get(variable)));
        held.losses.add(variable === '' ? undefined : (received?.losses.get(variable) ?? (this.lossNames.has(variable) ? variable : undefined)));
      }
      let linked = false;
      for (const [callee, byParameter] of candidates) {
        let received = this.passed.get(callee);
        for (const [parameter, held] of byParameter) {
          for (const kind of ['models', 'losses'] as const) {
            const [value] = held[kind];
            if (held[kind].size !== 1 || value === undefined || received?.[kind].has(parameter)) continue;
            if (!received) this.passed.set(callee, (received = { models: new Map(), losses: new Map() }));
            received[kind].set(parameter, value);
            linked = true;
          }
        }
      }
      if (!linked) return;
    }
  }

  /** What a statement gives: a copy of its cache entry's when nothing it read has changed, or else read now. */
  private readUnit(unit: ReadUnit, cache: TrainingCache | undefined): StatementPart {
    const { node, entry, text } = unit;
    this.received = this.passed.get(functionName(this.ctx.source, node));
    if (entry && this.unchanged(entry.reads)) {
      const regions = [{ start: entry.start, end: entry.start + (node.to - node.from), delta: node.from - entry.start }];
      const part = moved(entry.part, regions);
      if (part) {
        cache!.statements.keep(text!, entry);
        return part;
      }
    }
    const part = unit.part ?? this.bindings(node);
    this.part = part;
    this.reads = text === undefined ? undefined : emptyReads();
    this.readNodes(node);
    keepInnermostLoops(part.facts);
    if (text === undefined) return part;
    // The kept part stays as read; a copy is handed out, as the loss calls of other statements change its losses.
    const copy = moved(part, [{ start: node.from, end: node.to, delta: 0 }]);
    if (!copy) return part;
    cache!.statements.keep(text, { start: node.from, part, reads: this.reads! });
    return copy;
  }

  /** Whether what a statement's reading looked up is still what it found then. */
  private unchanged(reads: StatementReads): boolean {
    for (const [variable, model] of reads.instances) if (this.heldModel(variable) !== model) return false;
    for (const [name, variable] of reads.lossObjects) if (this.lossVariable(name) !== variable) return false;
    for (const [name, text] of reads.helpers) if (this.topLevelFunctionText(name) !== text) return false;
    return true;
  }

  /** Reads a statement's calls, loops, with blocks and decorated functions into the current part. */
  private readNodes(statement: SyntaxNode): void {
    const index = this.ctx.nodesIn(statement);
    for (const node of index.calls) this.call(node);
    for (const node of index.loops) this.loop(node);
    for (const node of index.withs) this.withStatement(node);
    for (const node of index.decorated) this.decorated(node);
  }

  /** What reading a top-level statement's nodes could give: see Footprint. */
  private footprint(statement: SyntaxNode): Footprint {
    const { source } = this.ctx;
    const index = this.ctx.nodesIn(statement);
    const callees = new Set<string>();
    let quiet = true;
    for (const node of index.assignments) {
      const parts = assignmentParts(node);
      if (!parts?.value || !parts.targets.some((target) => target.name === 'VariableName')) continue;
      if (this.scopeKey(node) < 0 || this.instantiated(parts.value) !== undefined || this.lossKind(parts.value) !== undefined) quiet = false;
    }
    for (const node of index.calls) {
      const callee = node.firstChild;
      if (!callee) continue;
      if (callee.name === 'VariableName') {
        const name = source.of(callee);
        callees.add(name);
        // Variables passed to a function of the file may give its parameters models or loss objects.
        if (this.ctx.topLevelFunction(name)) {
          const args = callArgs(source, node);
          if (args.positional.length > 0 || args.keywords.size > 0) quiet = false;
        }
      }
      if (this.calleeName(callee)?.relevant) quiet = false;
    }
    for (const node of index.loops) if (this.backwardLoopBody(node)) quiet = false;
    for (const node of index.withs) if (this.noGradBlock(node)) quiet = false;
    for (const node of index.decorated) if (this.noGradDecorators(node).length > 0) quiet = false;
    const called = [...callees];
    return { quiet, calls: (names) => called.some((name) => names.has(name)) };
  }

  /** The start of the function or class a node is in, or -1 at module level: a class body's names are the class's. */
  private scopeKey(node: SyntaxNode): number {
    let parent = node.parent;
    while (parent && parent.name !== 'FunctionDefinition' && parent.name !== 'ClassDefinition') parent = parent.parent;
    return parent ? parent.from : -1;
  }

  private scopeOf(node: SyntaxNode): FunctionScope {
    const key = this.scopeKey(node);
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = new FunctionScope();
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** Reads a statement's assignments: its function scopes' bindings, and the models and loss objects it binds. */
  private bindings(statement: SyntaxNode): StatementPart {
    const part = emptyPart();
    this.part = part;
    for (const node of this.ctx.nodesIn(statement).assignments) {
      const parts = assignmentParts(node);
      if (!parts?.value) continue;
      let scope: FunctionScope | undefined;
      let model: string | undefined;
      for (const target of parts.targets) {
        if (target.name !== 'VariableName') continue;
        const name = this.ctx.source.of(target);
        if (!scope) {
          scope = this.scopeOf(node);
          model = this.instantiated(parts.value);
        }
        const list = scope.bindings.get(name) ?? [];
        list.push({ value: parts.value, at: node.from });
        scope.bindings.set(name, list);
        if (model) part.instances.push([name, model]);
        if (this.lossObject(parts.value)) part.lossObjects.push([name, part.facts.losses.length - 1]);
      }
    }
    const caller = functionName(this.ctx.source, statement);
    for (const node of this.ctx.nodesIn(statement).calls) {
      const callee = node.firstChild;
      const fn = callee?.name === 'VariableName' ? this.ctx.source.of(callee) : undefined;
      if (fn !== undefined && this.ctx.topLevelFunction(fn)) part.passes.push(...passedArguments(this.ctx.source, node, fn, caller, (arg) => this.madeInCall(arg)));
    }
    return part;
  }

  /**
   * A model or a loss object made right in a call's arguments (`train(Net(), loader, nn.CrossEntropyLoss())`): it
   * is bound under its text in brackets, which no variable can be named, so that the parameter given it is linked
   * as one given a variable is. '' for any other expression.
   */
  private madeInCall(argument: SyntaxNode): string {
    if (argument.name !== 'CallExpression') return '';
    const key = `(${this.ctx.source.of(argument)})`;
    const model = this.instantiated(argument);
    if (model) {
      this.part.instances.push([key, model]);
      return key;
    }
    if (!this.lossObject(argument)) return '';
    this.part.lossObjects.push([key, this.part.facts.losses.length - 1]);
    return key;
  }

  /** The model a construction expression makes: `Net()`, `Net(cfg).to(device)`, `MyModel().cuda()`. */
  private instantiated(value: SyntaxNode): string | undefined {
    const node = this.chainRoot(value);
    if (node?.name !== 'CallExpression') return undefined;
    // `model = nn.Sequential(...)`: the model that call is.
    const built = this.modelsAt.get(node.from);
    if (built) return built;
    const name = this.ctx.source.dotted(node.firstChild);
    return name && this.modelNames.has(name) ? name : undefined;
  }

  /** What a chain of module methods that return the module itself (`Net().to(device).eval()`) is called on. */
  private chainRoot(value: SyntaxNode): SyntaxNode | null {
    let node: SyntaxNode | null = value;
    while (node?.name === 'CallExpression' && node.firstChild?.name === 'MemberExpression') {
      const method = node.firstChild.lastChild ? this.ctx.source.of(node.firstChild.lastChild) : '';
      if (!SELF_RETURNING_METHODS.has(method)) break;
      node = node.firstChild.firstChild;
    }
    return node;
  }

  /** The model a variable holds, if any; what it finds is noted as read. */
  private instanceOf(variable: string): string | undefined {
    const model = this.heldModel(variable);
    this.reads?.instances.set(variable, model);
    return model;
  }

  private modelName(variable: string): string {
    return this.instanceOf(variable) ?? variable;
  }

  /** The model a variable holds: one passed in to a parameter of the function being read, or the file's. */
  private heldModel(variable: string): string | undefined {
    return this.received?.models.get(variable) ?? this.instances.get(variable);
  }

  /** The variable of the loss object a name holds: one passed in to a parameter, or the name's own. */
  private lossVariable(name: string): string | undefined {
    return this.received?.losses.get(name) ?? (this.lossNames.has(name) ? name : undefined);
  }

  /** The variable of the loss object a name holds, if any; what it finds is noted as read. */
  private lossObjectVariable(name: string): string | undefined {
    const variable = this.lossVariable(name);
    this.reads?.lossObjects.set(name, variable);
    return variable;
  }

  private topLevelFunctionText(name: string): string | undefined {
    const fn = this.ctx.topLevelFunction(name);
    return fn ? this.ctx.source.of(fn) : undefined;
  }

  /** The text of the first top-level function of that name, if any; what it finds is noted as read. */
  private helperText(name: string): string | undefined {
    const text = this.topLevelFunctionText(name);
    this.reads?.helpers.set(name, text);
    return text;
  }

  /** The kind of loss a construction expression makes (`nn.CrossEntropyLoss()`), if it makes one. */
  private lossKind(value: SyntaxNode): LossInfo['kind'] | undefined {
    if (value.name !== 'CallExpression') return undefined;
    // An attribute whose last name is no loss class does not qualify to one.
    const property = memberProperty(this.ctx.source, value.firstChild);
    if (property !== undefined && !LOSS_CLASSES.has(property)) return undefined;
    const qualified = this.ctx.names.qualifiedOf(value.firstChild) ?? '';
    return qualified.startsWith('torch.nn.') ? LOSS_CLASSES.get(lastSegment(qualified)) : undefined;
  }

  private lossObject(value: SyntaxNode): LossInfo | undefined {
    const kind = this.lossKind(value);
    if (!kind) return undefined;
    const loss: LossInfo = { kind, ctor: this.ctx.source.of(value.firstChild!), span: spanOf(value), fromLogits: null, inputActivation: null };
    this.part.facts.losses.push(loss);
    return loss;
  }

  /** The activation that produced an expression's value, when the code shows it. */
  private producer(node: SyntaxNode | undefined, depth = 0): { fn: ActivationFn; span: Span; model?: string } | null | undefined {
    if (!node || depth > 6) return undefined;
    const { source, names } = this.ctx;
    if (node.name === 'ParenthesizedExpression') return this.producer(meaningfulChildren(node)[0], depth + 1);
    // Indexing picks some of the values an activation gave: `torch.sigmoid(pred)[mask]` is still its output.
    if (node.name === 'MemberExpression' && childNamed(node, '[')) return this.producer(node.firstChild ?? undefined, depth + 1);
    if (node.name === 'VariableName') {
      const assigned = this.scopeOf(node).assigned(source.of(node), node.from);
      return assigned ? this.producer(assigned, depth + 1) : undefined;
    }
    if (node.name !== 'CallExpression') return null;
    const callee = node.firstChild!;
    // So do the methods that only reshape it: `probs.view(-1)`, `torch.sigmoid(out).squeeze(1)`.
    const method = memberProperty(source, callee);
    if (method !== undefined && RESHAPING_METHODS.has(method) && callee.firstChild) return this.producer(callee.firstChild, depth + 1);
    const qualified = names.qualifiedOf(callee) ?? '';
    const fn = lastSegment(qualified);
    const activation = TORCH_FUNCTIONAL_ACTIVATIONS.get(fn);
    if (activation && (qualified.startsWith('torch.nn.functional.') || /^torch\.[a-z_]+$/.test(qualified))) {
      return { fn: activation, span: spanOf(node) };
    }
    // Tensor methods: `out.softmax(dim=1)`, `logits.sigmoid()`.
    if (callee.name === 'MemberExpression' && activation && !qualified.startsWith('torch.')) {
      const object = callee.firstChild;
      if (object && (object.name === 'VariableName' || object.name === 'CallExpression')) return { fn: activation, span: spanOf(node) };
    }
    // A model call: its forward's last activation feeds the loss.
    const variable = source.dotted(callee);
    const model = variable ? this.models.find((candidate) => candidate.name === this.modelName(variable)) : undefined;
    if (model) {
      const ending = finalActivation(model);
      return ending ? { ...ending, model: model.name } : null;
    }
    return null;
  }

  /**
   * A callee's qualified name and its last part, and whether the call can be a loss, an optimizer, a mode switch
   * or a call on a loss construction; undefined when its method name already rules all of these out.
   */
  private calleeName(callee: SyntaxNode): { qualified: string; fn: string; relevant: boolean } | undefined {
    // Most calls in a file are none of these; the method name tells so even before qualifying.
    const property = memberProperty(this.ctx.source, callee);
    if (property !== undefined && !CALLEE_METHODS.has(property)) return undefined;
    const qualified = this.ctx.names.qualifiedOf(callee) ?? '';
    // A method of a call's result (`Net().eval()`) has no dotted name: its method name is all there is.
    const fn = qualified === '' ? (property ?? '') : lastSegment(qualified);
    const relevant =
      (qualified.startsWith('torch.') && (LOSS_FUNCTIONS.has(fn) || OPTIMIZERS.has(fn))) || callee.name === 'CallExpression' || fn === 'eval' || fn === 'train';
    return { qualified, fn, relevant };
  }

  private call(node: SyntaxNode): void {
    const { source } = this.ctx;
    const callee = node.firstChild;
    if (!callee) return;
    const named = this.calleeName(callee);
    // The cheap tests run before any argument is read; a loss object is also called by its variable's name.
    const held = callee.name === 'VariableName' ? this.lossObjectVariable(source.of(callee)) : undefined;
    if (!named || !(named.relevant || held !== undefined)) return;
    const { qualified, fn } = named;
    const args = callArgs(source, node);
    // Functional losses: F.cross_entropy(logits, y).
    const lossFunction = qualified.startsWith('torch.nn.functional.') ? LOSS_FUNCTIONS.get(fn) : undefined;
    if (lossFunction) {
      const produced = this.producer(args.positional[0]);
      const model = produced?.model ?? this.calledModel(args.positional[0]);
      this.part.facts.losses.push({
        kind: lossFunction,
        ctor: source.of(callee),
        span: spanOf(node),
        fromLogits: null,
        inputActivation: produced ? { fn: produced.fn, span: produced.span } : null,
        ...(model ? { model } : {}),
      });
      return;
    }
    // A loss object called on outputs: criterion(out, y), or nn.CrossEntropyLoss()(out, y).
    const lossObject = callee.name === 'CallExpression' ? this.lossObjectAt(callee) : undefined;
    if (held !== undefined || lossObject) {
      const produced = this.producer(args.positional[0]);
      const call: LossCall = {
        variable: held ?? '',
        span: spanOf(node),
        inputActivation: produced ? { fn: produced.fn, span: produced.span } : undefined,
        model: produced?.model ?? this.calledModel(args.positional[0]),
      };
      // A loss made in the call is this statement's own; one held by a variable may be another statement's.
      if (lossObject) tellLoss(lossObject, call);
      else this.part.lossCalls.push(call);
      return;
    }
    if (qualified.startsWith('torch.optim.') && OPTIMIZERS.has(fn)) {
      this.optimizer(node, fn, args);
      return;
    }
    if (callee.name === 'MemberExpression') {
      const method = callee.lastChild ? source.of(callee.lastChild) : '';
      const object = callee.firstChild;
      // On a variable, or at the end of a chain (`model = Net().to(device).eval()`, `net.cpu().eval()`).
      const root = (method === 'eval' || method === 'train') && object ? this.chainRoot(object) : null;
      const built = root?.name === 'CallExpression' ? this.instantiated(root) : undefined;
      const models = root?.name === 'VariableName' ? this.modelsNamed(root) : built !== undefined ? [built] : [];
      if (models.length > 0) {
        const argument = args.positional[0] ? this.ctx.evaluate(args.positional[0], this.ctx.moduleScope) : true;
        const mode = method === 'eval' || argument === false ? 'eval' : 'train';
        for (const model of models) this.part.facts.modeCalls.push({ model, mode, span: spanOf(node) });
      }
    }
  }

  /** The model a call like `net(x)` applies, when the variable holds one. */
  private calledModel(node: SyntaxNode | undefined): string | undefined {
    const called = node?.name === 'CallExpression' ? this.ctx.source.dotted(node.firstChild) : undefined;
    return called && this.instanceOf(called) !== undefined ? this.modelName(called) : undefined;
  }

  /**
   * The models a variable stands for: its model, or for the variable of a loop over models (`for tower in (query,
   * doc): tower.eval()`) each of them; `*` for a loop over a collection the code does not spell out (`towers`).
   */
  private modelsNamed(variable: SyntaxNode): string[] {
    const name = this.ctx.source.of(variable);
    for (let node = variable.parent; node && node.name !== 'FunctionDefinition'; node = node.parent) {
      if (node.name !== 'ForStatement') continue;
      const children = childrenOf(node);
      const inIndex = children.findIndex((child) => child.name === 'in');
      const targets = children.slice(1, inIndex);
      if (targets.length !== 1 || targets[0]!.name !== 'VariableName' || this.ctx.source.of(targets[0]!) !== name) continue;
      const iterable = children[inIndex + 1];
      if (iterable && (iterable.name === 'TupleExpression' || iterable.name === 'ArrayExpression')) {
        const items = meaningfulChildren(iterable);
        if (items.every((item) => item.name === 'VariableName')) return items.map((item) => this.modelName(this.ctx.source.of(item)));
      }
      return ['*'];
    }
    return [this.modelName(name)];
  }

  private lossObjectAt(construction: SyntaxNode): LossInfo | undefined {
    return this.part.facts.losses.find((loss) => loss.span.start === construction.from) ?? this.lossObject(construction);
  }

  private optimizer(node: SyntaxNode, fn: string, args: ReturnType<typeof callArgs>): void {
    const { source } = this.ctx;
    const known = OPTIMIZERS.get(fn)!;
    const read = (key: string, position?: number): number | null | undefined => {
      const value = args.keywords.get(key)?.value ?? (position === undefined ? undefined : args.positional[position]);
      if (!value) return undefined;
      const result = this.ctx.evaluate(value, this.ctx.moduleScope);
      return typeof result === 'number' ? result : null;
    };
    const decay = read('weight_decay');
    const momentum = read('momentum');
    // `optim.SGD(model.parameters(), ...)` names the model it trains.
    const params = args.positional[0] ?? args.keywords.get('params')?.value;
    const owner = params?.name === 'CallExpression' && params.firstChild?.name === 'MemberExpression' ? params.firstChild.firstChild : undefined;
    const groupsVariable = params?.name === 'VariableName' ? this.scopeOf(params).assigned(source.of(params), params.from) : undefined;
    // Parameter groups: a list of them, a variable holding one, or a helper of the file that builds them (`param_groups(model, 0.05)`).
    const helper = params?.name === 'CallExpression' && params.firstChild?.name === 'VariableName' ? this.helperText(source.of(params.firstChild)) : undefined;
    const groupsText = [params ? source.of(params) : '', groupsVariable ? source.of(groupsVariable) : '', helper ?? ''].join('\n');
    // Groups built from `model.named_parameters()`, or a helper given the model, name the model too.
    const mentioned = /(?<![.\w])(?!self\b)(\w+)\.(?:named_)?parameters\(\)/.exec(params && helper === undefined ? groupsText : '')?.[1];
    const passed = helper !== undefined ? callArgs(source, params!).positional.find((arg) => arg.name === 'VariableName' && this.instanceOf(source.of(arg)) !== undefined) : undefined;
    const named = owner?.name === 'VariableName' ? source.of(owner) : (mentioned ?? (passed ? source.of(passed) : undefined));
    const model = named !== undefined ? this.modelName(named) : undefined;
    // Parameter groups with their own weight decay (nanoGPT's configure_optimizers) count as decay.
    const groupDecay = /weight_decay['"]?\s*[:=]/.test(groupsText) ? null : undefined;
    this.part.facts.optimizers.push({
      kind: known.kind,
      ctor: source.of(node.firstChild!),
      span: spanOf(node),
      lr: read('lr', 1) ?? null,
      weightDecay: decay === undefined ? (groupDecay === null ? null : known.decay) : decay,
      ...(momentum !== undefined ? { momentum } : {}),
      ...(model ? { model } : {}),
    });
  }

  /** A loop's body when it can call backward: only such loops are kept, and such a call names it. */
  private backwardLoopBody(node: SyntaxNode): { body: SyntaxNode; bodyText: string } | undefined {
    const body = bodyOf(node);
    const bodyText = body ? this.ctx.source.of(body) : '';
    return body && bodyText.includes('backward') ? { body, bodyText } : undefined;
  }

  private loop(node: SyntaxNode): void {
    const found = this.backwardLoopBody(node);
    if (!found) return;
    const { body, bodyText } = found;
    const calls = this.callsIn(body);
    const backward = calls.filter((call) => call.method === 'backward').map((call) => call.span);
    if (backward.length === 0) return;
    const step = calls.filter((call) => call.method === 'step' && !call.scheduler).map((call) => call.span);
    const zeroGrad = calls.filter((call) => call.method === 'zero_grad').map((call) => call.span);
    const clip = calls.filter((call) => /^clip_grad_(norm|value)_?$/.test(call.method)).map((call) => call.span);
    // A helper of this file called in the loop (`zero_grad_all(optimizers)`, `clip_gradients(model, 1.0)`) does it too.
    for (const call of calls) {
      const effects = this.helperEffects(call.method);
      if (effects?.zeroGrad) zeroGrad.push(call.span);
      if (effects?.clip) clip.push(call.span);
    }
    // `p.grad = None` for every parameter clears gradients as zero_grad does.
    if (/\.grad\s*=\s*None/.test(bodyText)) zeroGrad.push(spanOf(body));
    const accumulation =
      calls.some((call) => call.method === 'step' && call.guardedByModulo) ||
      /\bloss\w*\s*(\/=|=\s*\w+\s*\/)/.test(bodyText) ||
      calls.some((call) => call.method === 'backward' && call.nestedLoop);
    const models = [...new Set(calls.filter((call) => call.model).map((call) => call.model!))];
    const header = childrenOf(node).find((child) => child.name === 'Body');
    this.part.facts.loops.push({
      kind: 'loop',
      span: spanOf(node),
      headerSpan: { start: node.from, end: header ? header.from : node.to },
      zeroGrad,
      backward,
      step,
      clip,
      accumulation,
      models,
    });
  }

  private readonly helpers = new Map<string, { zeroGrad: boolean; clip: boolean } | undefined>();

  /** Whether a top-level function of this file clears gradients or clips them, told from its text. */
  private helperEffects(name: string): { zeroGrad: boolean; clip: boolean } | undefined {
    if (!/^\w+$/.test(name)) return undefined;
    const text = this.helperText(name);
    if (!this.helpers.has(name)) {
      this.helpers.set(name, text === undefined ? undefined : { zeroGrad: /\.zero_grad\(|\.grad\s*=\s*None/.test(text), clip: /clip_grad_(norm|value)_?\(/.test(text) });
    }
    return this.helpers.get(name);
  }

  /** Calls inside a loop body, skipping nested function definitions. */
  private callsIn(body: SyntaxNode): { method: string; span: Span; guardedByModulo: boolean; nestedLoop: boolean; scheduler: boolean; model?: string }[] {
    const { source, text } = this.ctx;
    const result: { method: string; span: Span; guardedByModulo: boolean; nestedLoop: boolean; scheduler: boolean; model?: string }[] = [];
    // A cursor walk in document order, with each level's flags on a stack: only calls need node objects.
    const cursor = body.cursor();
    const modulo = [false];
    const nested = [false];
    let depth = 0;
    for (;;) {
      const name = cursor.name;
      if (name !== 'FunctionDefinition' && name !== 'ClassDefinition') {
        if (name === 'CallExpression') {
          const node = cursor.node;
          const callee = node.firstChild;
          let method = '';
          let owner = '';
          if (callee?.name === 'MemberExpression') {
            // Qualifying rewrites only the head of a dotted name, so the attribute named is the method.
            method = callee.lastChild ? source.of(callee.lastChild) : '';
            owner = callee.firstChild ? source.of(callee.firstChild) : '';
          } else if (callee?.name === 'VariableName') {
            method = source.of(callee);
            if (this.instanceOf(method) !== undefined) result.push({ method: '', span: spanOf(node), guardedByModulo: modulo[depth]!, nestedLoop: nested[depth]!, scheduler: false, model: this.modelName(method) });
            // An imported name may be clipping under another name (`clip_grad_norm_ as clip`).
            const qualified = this.ctx.names.qualifiedOf(callee) ?? '';
            if (/clip_grad_(norm|value)_?$/.test(qualified)) method = lastSegment(qualified);
          }
          if (method) result.push({ method, span: spanOf(node), guardedByModulo: modulo[depth]!, nestedLoop: nested[depth]!, scheduler: /sched|lr_/i.test(owner) });
        }
        let isIf = false;
        if (name === 'IfStatement') {
          const lineEnd = text.indexOf('\n', cursor.from);
          isIf = text.slice(cursor.from, lineEnd < 0 ? cursor.to : Math.min(lineEnd, cursor.to)).includes('%');
        }
        const isLoop = depth > 0 && (name === 'ForStatement' || name === 'WhileStatement');
        if (cursor.firstChild()) {
          modulo[depth + 1] = modulo[depth]! || isIf;
          nested[depth + 1] = nested[depth]! || isLoop;
          depth++;
          continue;
        }
      }
      for (;;) {
        if (depth === 0) return result;
        if (cursor.nextSibling()) break;
        cursor.parent();
        depth--;
      }
    }
  }

  private noGradKind(node: SyntaxNode | null | undefined): NoGradRegion['kind'] | undefined {
    if (!node) return undefined;
    const target = node.name === 'CallExpression' ? node.firstChild : node;
    const qualified = this.ctx.names.qualifiedOf(target) ?? '';
    if (qualified === 'torch.no_grad') return 'no_grad';
    if (qualified === 'torch.inference_mode') return 'inference_mode';
    if (qualified === 'torch.set_grad_enabled' && node.name === 'CallExpression') {
      const flag = callArgs(this.ctx.source, node).positional[0];
      return flag && this.ctx.source.of(flag) === 'False' ? 'no_grad' : undefined;
    }
    return undefined;
  }

  /** A `with` statement's no-grad kind and body, when one of its items turns gradients off. */
  private noGradBlock(node: SyntaxNode): { kind: NoGradRegion['kind']; body: SyntaxNode } | undefined {
    const items = childrenOf(node);
    const bodyIndex = items.findIndex((item) => item.name === 'Body');
    const kind = items.slice(1, bodyIndex).map((item) => this.noGradKind(item)).find(Boolean);
    const body = items[bodyIndex];
    return kind && body ? { kind, body } : undefined;
  }

  private withStatement(node: SyntaxNode): void {
    const block = this.noGradBlock(node);
    if (block) this.region(block.kind, node, { start: node.from, end: block.body.from }, block.body);
  }

  /** The no-grad decorators of a decorated function, with the function and its body. */
  private noGradDecorators(node: SyntaxNode): { kind: NoGradRegion['kind']; decorator: SyntaxNode; fn: SyntaxNode; body: SyntaxNode }[] {
    const fn = node.lastChild;
    if (fn?.name !== 'FunctionDefinition') return [];
    return node.getChildren('Decorator').flatMap((decorator) => {
      const text = this.ctx.source.of(decorator).replace(/^@\s*/, '').replace(/\(.*$/s, '').trim();
      const qualified = this.ctx.names.qualify(text) ?? text;
      const kind = qualified === 'torch.no_grad' ? 'no_grad' : qualified === 'torch.inference_mode' ? 'inference_mode' : undefined;
      const body = bodyOf(fn);
      return kind && body ? [{ kind, decorator, fn, body }] : [];
    });
  }

  private decorated(node: SyntaxNode): void {
    for (const { kind, decorator, fn, body } of this.noGradDecorators(node)) this.region(kind, fn, spanOf(decorator), body);
  }

  /**
   * The bodies of the `with torch.enable_grad():` (or `set_grad_enabled(...)` not given False) blocks inside a body:
   * gradients are on again there, as in an adversarial step inside a `@torch.no_grad()` function.
   */
  private gradEnabledIn(body: SyntaxNode): Span[] {
    const spans: Span[] = [];
    for (const node of this.ctx.nodesIn(body).withs) {
      const items = childrenOf(node);
      const bodyIndex = items.findIndex((item) => item.name === 'Body');
      const enables = items.slice(1, bodyIndex).some((item) => {
        const target = item.name === 'CallExpression' ? item.firstChild : item;
        const qualified = this.ctx.names.qualifiedOf(target);
        return qualified === 'torch.enable_grad' || (qualified === 'torch.set_grad_enabled' && this.noGradKind(item) === undefined);
      });
      if (enables && items[bodyIndex]) spans.push(spanOf(items[bodyIndex]!));
    }
    return spans;
  }

  private region(kind: NoGradRegion['kind'], node: SyntaxNode, headerSpan: Span, body: SyntaxNode): void {
    // Inference mode stays on under enable_grad; no_grad does not.
    const enabled = kind === 'no_grad' ? this.gradEnabledIn(body) : [];
    const calls = this.callsIn(body).filter((call) => !enabled.some((span) => span.start <= call.span.start && call.span.end <= span.end));
    this.part.facts.noGrad.push({
      kind,
      span: spanOf(node),
      headerSpan,
      calls: calls.filter((call) => call.model).map((call) => ({ model: call.model!, span: call.span })),
      backward: calls.filter((call) => call.method === 'backward').map((call) => call.span),
    });
  }
}

/**
 * The arguments of a call of the top-level function `fn` made in the top-level function `caller` (see Pass); `made`
 * names an argument that is no variable.
 */
function passedArguments(source: Source, call: SyntaxNode, fn: string, caller: string, made: (argument: SyntaxNode) => string): Pass[] {
  const args = callArgs(source, call);
  const passes: Pass[] = [];
  const variable = (node: SyntaxNode) => (node.name === 'VariableName' ? source.of(node) : made(node));
  args.positional.forEach((arg, position) => passes.push([fn, position, variable(arg), caller]));
  for (const [keyword, { value }] of args.keywords) passes.push([fn, keyword, variable(value), caller]);
  return passes;
}

/** The name of a top-level statement's function, '' for any other statement. */
function functionName(source: Source, statement: SyntaxNode): string {
  const definition = definitionOf(statement);
  return definition?.name === 'FunctionDefinition' ? (definitionName(source, definition) ?? '') : '';
}

/** Calls of top-level functions followed from a parameter to the next when linking arguments. */
const MAX_LINKED_CALLS = 4;

/** Tells a loss of a call on it: the first call tells where it is called, the first that shows them what feeds it. */
function tellLoss(loss: LossInfo, call: LossCall): void {
  loss.callSpan ??= call.span;
  if (call.inputActivation && !loss.inputActivation) loss.inputActivation = call.inputActivation;
  if (call.model && !loss.model) loss.model = call.model;
}

/** Keeps, of nested loops that both call backward, the one that also steps (or else the innermost). */
function keepInnermostLoops(facts: TrainingFacts): void {
  const loops = facts.loops;
  const contains = (outer: TrainingLoop, inner: TrainingLoop) => outer !== inner && outer.span.start <= inner.span.start && inner.span.end <= outer.span.end;
  facts.loops = loops.filter((loop) => {
    // An inner loop that only accumulates gradients belongs to the outer loop that steps.
    if (loop.step.length === 0 && loops.some((outer) => contains(outer, loop) && outer.step.length > 0)) return false;
    const inner = loops.filter((candidate) => contains(loop, candidate));
    if (inner.length === 0) return true;
    // An epoch loop around the real training loop is not a training loop of its own.
    return inner.every((candidate) => candidate.step.length === 0) && loop.step.length > 0;
  });
  for (const loop of facts.loops) {
    if (loops.some((candidate) => contains(loop, candidate) && candidate.step.length === 0)) loop.accumulation = true;
  }
}

/** The activation a model's forward ends in (softmax, log_softmax, sigmoid), when the flow shows one. */
export function finalActivation(model: Model): { fn: ActivationFn; span: Span } | undefined {
  const output = model.flow.find((node) => node.op === 'output');
  if (!output || output.inputs.length !== 1) return undefined;
  const last = model.flow[output.inputs[0]!];
  if (!last) return undefined;
  if (last.op === 'activation' && last.activation) return { fn: last.activation, span: last.span };
  if (last.op === 'layer' && last.layer !== undefined) {
    const layer = model.layers.find((candidate) => candidate.index === last.layer);
    if (layer?.kind === 'activation' && layer.activation) return { fn: layer.activation, span: layer.span };
    if (layer?.activation && layer.kind !== 'activation' && model.framework !== 'pytorch') return { fn: layer.activation, span: layer.activationSpan ?? layer.span };
  }
  return undefined;
}
