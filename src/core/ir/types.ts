// The framework-neutral model IR. Every front end (Python/PyTorch, Python/Keras, TF.js) produces it,
// and every rule, hover and probe reads only it. Unknown is a value: a rule never fires on a guess.

/** A half-open range of UTF-16 offsets into the analysed text. */
export interface Span {
  start: number;
  end: number;
}

export type Framework = 'pytorch' | 'keras' | 'tfjs';

/** Marks a value the constant evaluator could not determine. */
export interface Unknown {
  readonly unknown: true;
}
export const UNKNOWN: Unknown = Object.freeze({ unknown: true as const });

/** A statically evaluated value: Python/JS literals, tuples/lists/arrays, or unknown. */
export type ConstValue = number | string | boolean | null | Unknown | ConstValue[] | { readonly [key: string]: ConstValue };

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && (value as { unknown?: unknown }).unknown === true;
}

export function knownNumber(value: ConstValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** One argument of a call as written: positional (name undefined) or keyword. */
export interface Arg {
  name?: string;
  value: ConstValue;
  /** Span of the whole argument, `name=value` included. */
  span: Span;
  /** Span of the value expression alone. */
  valueSpan: Span;
  /** Source text of the value expression. */
  text: string;
  /** The value is a module of the calling model (torchvision's `downsample`, built beside the block), counted there. */
  module?: true;
  /** The value names a layer class (`norm_layer=nn.BatchNorm2d`, `partial(nn.LayerNorm, eps=1e-6)`), qualified. */
  layerClass?: string;
}

export type LayerKind =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'convtranspose'
  | 'embedding'
  | 'rnn'
  | 'lstm'
  | 'gru'
  | 'activation'
  | 'dropout'
  | 'batchnorm'
  | 'layernorm'
  | 'groupnorm'
  | 'flatten'
  | 'pooling'
  | 'attention'
  | 'unknown';

/** Layers that own a weight matrix or kernel. */
export const WEIGHT_LAYER_KINDS: ReadonlySet<LayerKind> = new Set([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'convtranspose',
  'embedding',
  'rnn',
  'lstm',
  'gru',
  'attention',
]);

export const NORM_LAYER_KINDS: ReadonlySet<LayerKind> = new Set(['batchnorm', 'layernorm', 'groupnorm']);

export type ActivationFn =
  | 'relu'
  | 'relu6'
  | 'leaky_relu'
  | 'prelu'
  | 'rrelu'
  | 'elu'
  | 'selu'
  | 'celu'
  | 'gelu'
  | 'silu'
  | 'mish'
  | 'hardswish'
  | 'sigmoid'
  | 'hardsigmoid'
  | 'logsigmoid'
  | 'tanh'
  | 'hardtanh'
  | 'softsign'
  | 'softplus'
  | 'tanhshrink'
  | 'softmax'
  | 'log_softmax'
  | 'exp'
  | 'linear';

export const RELU_FAMILY: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'leaky_relu', 'prelu', 'rrelu']);
export const SATURATING: ReadonlySet<ActivationFn> = new Set([
  'sigmoid',
  'hardsigmoid',
  'tanh',
  'hardtanh',
  'softsign',
]);

/**
 * A weight initialization, precise enough to sample from (the probe does) and to compute the
 * variance it gives (rules and hovers do).
 */
export type InitDist =
  | {
      /** Var(W) = scale / fan, the family of He/Kaiming, Glorot/Xavier, LeCun and PyTorch's default. */
      family: 'variance_scaling';
      scale: number;
      mode: 'fan_in' | 'fan_out' | 'fan_avg';
      distribution: 'uniform' | 'normal' | 'truncated_normal';
    }
  | { family: 'normal'; mean: number; std: number; truncated?: boolean }
  | { family: 'uniform'; low: number; high: number }
  | { family: 'constant'; value: number }
  | { family: 'orthogonal'; gain: number }
  | { family: 'unknown' };

export interface InitInfo {
  /** Display name in the framework's own words, e.g. `kaiming_uniform_(a=√5)` or `glorotUniform`. */
  name: string;
  dist: InitDist;
  /** `default` when the framework default applies, `explicit` when the code chose it. */
  source: 'default' | 'explicit';
  /** Where an explicit init was written (the `nn.init.*` call, `kernel_initializer=` argument...). */
  span?: Span;
  /** The nonlinearity named to kaiming_* / calculate_gain, when written. */
  nonlinearity?: string;
}

export interface Layer {
  /** Stable index into `Model.layers`. */
  index: number;
  kind: LayerKind;
  /** The constructor as written: `nn.Linear`, `layers.Dense`, `tf.layers.dense`. */
  ctor: string;
  /** Attribute path or Keras name: `fc1`, `features.0`, `blocks[3].attn`. */
  name?: string;
  /** Span of the whole constructor call. */
  span: Span;
  /** Span of the constructor's callee (`nn.Linear`), the hover anchor. */
  calleeSpan: Span;
  args: Arg[];
  /**
   * The function of the file whose body constructs the layer (torchvision's `conv3x3`, VGG's `make_layers`), when the
   * layer is placed at a call of it: the constructor serves every call, so its arguments are not this call's.
   */
  helper?: string;
  /** Inside the call's parentheses (TF.js: inside the options object's braces), where an argument can be inserted. */
  argsSpan?: Span;
  /** For activation layers: the function. For layers with a fused activation (Keras Dense): that activation. */
  activation?: ActivationFn;
  /** Where the fused activation is written (`activation='relu'`). */
  activationSpan?: Span;
  /**
   * An activation is given that the IR cannot name (`activation=layers.LeakyReLU()`, a callable, a variable, an
   * options object it cannot read whole): the layer is not known to be linear, nor to end in any one function.
   */
  activationUnknown?: true;
  /** Input features / channels / vocabulary size when known. */
  in: number | null;
  /** Output features / channels / embedding dim when known. */
  out: number | null;
  /** Whether the layer has a bias; null when unknown or not applicable. */
  bias: boolean | null;
  /** Dropout probability (PyTorch `p`, Keras `rate`). */
  rate?: number | null;
  /**
   * The probability of the dropout a layer applies inside itself, in training mode only: between the layers of a
   * PyTorch RNN, LSTM or GRU stack, in a transformer layer, on attention weights. Null when unknown; absent when none.
   */
  innerDropout?: number | null;
  /** Kernel size for convolutions and pooling, when known. */
  kernelSize?: number[] | null;
  /** Trainable parameter count; null when unknown. A tied weight (see tiedWeight) is counted on the other layer. */
  params: number | null;
  /**
   * Weights that no gradient trains, which Keras's summary and tfjs's countParams() count beside `params`: the
   * moving mean and variance of a Keras or TF.js BatchNormalization, and all the weights of a layer frozen with
   * `trainable=False`. Null when unknown; absent when none.
   */
  nonTrainable?: number | null;
  /**
   * The normalization a reparametrization of torch.nn.utils applies to the weight (`weight_norm(nn.Conv1d(...))`,
   * `spectral_norm(...)`): null when a flag not known here chooses between them.
   */
  weightNormalization?: 'weight_norm' | 'spectral_norm' | null;
  /** Frozen whole by the file (`requires_grad_(False)`, `p.requires_grad = False` for each of its parameters). */
  frozen?: true;
  /**
   * The layer whose weight tensor this layer's weight is (`self.head.weight = self.embed.weight`, weight tying):
   * one tensor, trained by both, counted once.
   */
  tiedWeight?: string;
  /**
   * Parameters to take off a submodule of this file once its own size is read: tensors that are another layer's
   * (`self.head.decoder.weight = self.embed.weight`) and so counted there, or modules replaced inside it
   * (`self.backbone.fc = nn.Linear(...)`); null when how many is unknown.
   */
  sharedParams?: number | null;
  /** Weight initialization; absent for layers without weights. */
  init?: InitInfo;
  biasInit?: InitInfo;
  /** For `kind: 'unknown'` layers that instantiate a user class defined in the same file. */
  ref?: string;
  /** How many times this declared layer is repeated (ModuleList comprehensions, `for` loops); 1 otherwise. */
  repeat?: number | null;
  /**
   * Set when the layer is written inside a Keras/TF.js wrapper. The other fields then describe the wrapped layer
   * (its constructor, arguments and callee) with the sizes and parameter count of the whole wrapper.
   */
  wrapper?: LayerWrapper;
}

/** `Bidirectional` runs the layer forwards and backwards and joins the two; `TimeDistributed` applies it at every step. */
export interface LayerWrapper {
  kind: 'bidirectional' | 'time_distributed';
  /** The wrapper's constructor as written: `layers.Bidirectional`. */
  ctor: string;
  calleeSpan: Span;
  /** How a Bidirectional joins the two directions (`merge_mode`); null when unknown or None (a list of both). */
  mergeMode?: 'concat' | 'sum' | 'mul' | 'ave' | null;
}

/**
 * A node of the forward data flow. `inputs` are node ids. Rules reason about edges, never about
 * textual adjacency, so branches and merges stay correct.
 */
export interface FlowNode {
  id: number;
  op:
    | 'input'
    /** Application of a declared layer (`layer` is its index). */
    | 'layer'
    /** A functional activation such as `F.relu(x)`, `torch.sigmoid(x)`, `x.relu()`. */
    | 'activation'
    /** Functional dropout `F.dropout(x, p, training=...)`. */
    | 'dropout'
    /** Element-wise sum of branches: residual or merge. */
    | 'add'
    /** Element-wise product, e.g. a gate `x * torch.sigmoid(g)`. */
    | 'mul'
    | 'concat'
    /** Flatten/view/reshape to (batch, features). */
    | 'flatten'
    /** Any op the IR cannot prove linear or shape-preserving: attention, split, transpose, custom calls. */
    | 'opaque'
    | 'output';
  layer?: number;
  activation?: ActivationFn;
  rate?: number | null;
  /** For functional dropout: whether `training=` is passed (true), absent (false) or unknown (null). */
  trainingFlag?: boolean | null;
  inputs: number[];
  span: Span;
  /** Short description for opaque nodes, e.g. `split`, `scaled_dot_product_attention`. */
  label?: string;
  /**
   * For an `index` node that picks one position of a PyTorch recurrent layer's output sequence (`out[:, -1]`):
   * the axis in the layer's own layout and the position, negative from the end.
   */
  select?: { axis: number; index: number };
}

export interface LossInfo {
  kind:
    | 'cross_entropy'
    | 'nll'
    | 'bce'
    | 'bce_with_logits'
    | 'categorical_crossentropy'
    | 'sparse_categorical_crossentropy'
    | 'binary_crossentropy'
    | 'mse'
    | 'mae'
    | 'huber'
    | 'kl_div'
    | 'other';
  /** As written: `nn.CrossEntropyLoss`, `F.cross_entropy`, `'categorical_crossentropy'`. */
  ctor: string;
  span: Span;
  /** Where a loss object is applied to outputs (`criterion(out, y)`), when the code shows it. */
  callSpan?: Span;
  /** Keras/TF.js `from_logits`; null when not applicable or unknown. */
  fromLogits: boolean | null;
  /** Name of the model this loss is compiled with or applied to, when visible. */
  model?: string;
  /**
   * The model output a per-output Keras loss applies to: by the output layer's name (`loss={"label": ...}`), or by
   * its position among the outputs (`loss=[...]`).
   */
  output?: string | number;
  /**
   * What the loss input was produced by when the code shows it (e.g. `loss_fn(F.softmax(out), y)` or
   * a model whose last flow node is a softmax): the activation and where it was applied.
   */
  inputActivation?: { fn: ActivationFn; span: Span } | null;
}

export interface OptimizerInfo {
  kind: 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax' | 'nadam' | 'lbfgs' | 'other';
  ctor: string;
  span: Span;
  lr: number | null;
  /** Weight decay (L2) when set; 0 when explicitly zero or absent with a zero default; null when unknown. */
  weightDecay: number | null;
  momentum?: number | null;
  /** Keras `clipnorm`/`clipvalue`/`global_clipnorm`. */
  clipnorm?: number | null;
  clipvalue?: number | null;
  model?: string;
}

/** A training loop: a `for`/`while` body that calls `backward()`, or a Keras/TF.js `fit()` call. */
export interface TrainingLoop {
  /** `loop` for explicit PyTorch loops; `fit` for `model.fit(...)`, whose gradient steps are inside the framework. */
  kind?: 'loop' | 'fit';
  span: Span;
  /** Span of the loop header, where loop-level findings are reported. */
  headerSpan: Span;
  zeroGrad: Span[];
  backward: Span[];
  step: Span[];
  /** `clip_grad_norm_`/`clip_grad_value_` calls (or gradient-scaler unscale+clip) in the loop. */
  clip: Span[];
  /** True when gradients are visibly accumulated (step guarded by a modulo/if, or loss divided by steps). */
  accumulation: boolean;
  /** Models called in the loop body. */
  models: string[];
}

/** A `with torch.no_grad():` / `torch.inference_mode()` block, or a `@torch.no_grad()` function. */
export interface NoGradRegion {
  kind: 'no_grad' | 'inference_mode';
  span: Span;
  headerSpan: Span;
  /** Models called inside, with the call spans. */
  calls: { model: string; span: Span }[];
  backward: Span[];
}

/** `model.eval()` / `model.train()` calls, in source order. */
export interface ModeCall {
  /** The model switched, or `*` for models the code does not name (`for m in models: m.eval()`). */
  model: string;
  mode: 'eval' | 'train';
  span: Span;
}

export interface Model {
  name: string;
  framework: Framework;
  /** The class, Sequential call or `tf.sequential` call. */
  span: Span;
  /** The hover anchor: class name, or the variable the model is assigned to. */
  nameSpan: Span;
  /** Declared layers in data-flow order where known (declaration order otherwise). */
  layers: Layer[];
  /** Forward data flow; `flowKnown` is false when forward could not be followed. */
  flow: FlowNode[];
  flowKnown: boolean;
  /**
   * The per-sample input when the code shows it: [features], [C, H, W] for images, [steps] of token ids for a model
   * that starts with an embedding, [steps, features] for one that starts with a recurrent or attention layer; null
   * entries are sizes the code leaves open.
   */
  inputShape: (number | null)[] | null;
  /** Sum of layer params, null if any is unknown. */
  parameterCount: number | null;
  /** Explicit init calls that apply to the whole model (`self.apply(fn)` with isinstance branches). */
  initSpans: Span[];
  /** Custom `nn.Parameter` tensors created directly in the model. */
  parameters: CustomParameter[];
  /** Where an `_init_weights`-style method or `self.apply(...)` call could be inserted (PyTorch). */
  insertion?: { initEnd: number; classEnd: number; indent: string };
  /** A functional Keras model whose outputs are written as one flat list or tuple: a list of losses follows its order. */
  outputList?: true;
  /** A functional Keras model whose outputs are written as one dict: its keys, in the order of the outputs. */
  outputKeys?: string[];
}

export interface CustomParameter {
  name: string;
  span: Span;
  /** How the tensor is created: `randn`, `rand`, `empty`, `zeros`, `ones`, `full`, `other`. */
  creator: 'randn' | 'rand' | 'empty' | 'zeros' | 'ones' | 'full' | 'other';
  /** Whether the creation scales the tensor (`torch.randn(...) * 0.02`, `/ math.sqrt(d)`). */
  scaled: boolean;
  /** Whether it holds defined values: created filled or random, or written later by an init call. */
  initialized: boolean;
  /** The init call that writes it after its creation, when one does: its values are that init's, not the creator's. */
  init?: InitInfo;
  /** Whether it is used as a layer weight (matmul/linear) rather than a scale/bias/embedding. */
  usedAsWeight: boolean | null;
  /** The fan-in of the product it is a weight in, when the shape shows it; absent when the front end does not say. */
  fanIn?: number | null;
  shape: (number | null)[] | null;
  /** Created with `requires_grad=False` or frozen after: no gradient trains it, and it counts as non-trainable. */
  frozen?: true;
}

/** Everything one file contributes: models plus the training code around them. */
export interface Program {
  language: 'python' | 'javascript' | 'typescript';
  models: Model[];
  losses: LossInfo[];
  optimizers: OptimizerInfo[];
  loops: TrainingLoop[];
  noGrad: NoGradRegion[];
  modeCalls: ModeCall[];
  /** Syntax errors the parser recovered from; analysis continues around them. */
  syntaxErrors: { span: Span; message: string }[];
  /** Set when the file has more syntax errors than `syntaxErrors` lists, all of them after the last one listed. */
  moreSyntaxErrors?: true;
}
