// What a hover says about the code under the cursor, read from the IR: which concept note explains it, and
// facts about this very call (sizes, parameters, initialization and its effect on the activation variance).
// No `vscode` import: unit-tested directly; hover.ts turns the result into markdown.
import type { HoverFact, HoverFinding } from '../core/notes/render';
import { nonTrainableCount, nonTrainableOf } from '../core/ir/non-trainable';
import type { ActivationFn, Layer, Model, Program, Span } from '../core/ir/types';
import { activationAfter, denseDepth, formatFactor, frameworkName, hasDropout, hasNormalization, hasSkipConnections, varianceGain } from '../core/rules/queries';
import type { Finding } from '../core/rules/types';

export interface HoverTarget {
  /** The text the hover is about. */
  span: Span;
  /** An API name to find the concept note by, as written in the code (`nn.Dropout`, `'relu'`, `backward`). */
  noteKey?: string;
  /** A bold first line, for things no note explains on its own (a model's class name). */
  heading?: string;
  facts: HoverFact[];
  findings: HoverFinding[];
}

function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The callee of a call written at `span` (`nn.CrossEntropyLoss` of `nn.CrossEntropyLoss(...)`). */
function calleeSpan(text: string, span: Span): Span {
  const open = text.slice(span.start, span.end).indexOf('(');
  return open > 0 ? { start: span.start, end: span.start + open } : span;
}

function toHoverFinding(finding: Finding): HoverFinding {
  return { code: finding.code, message: finding.message, ...(finding.fix ? { fixTitle: finding.fix.title } : {}) };
}

function findingsOn(findings: readonly Finding[], span: Span): HoverFinding[] {
  return findings
    .filter((finding) => overlaps(finding.span, span) || (finding.span.start === finding.span.end && contains(span, finding.span.start)))
    .map(toHoverFinding);
}

/** Findings about a call itself: on its callee or starting where it starts, not on calls nested in its arguments. */
function findingsAbout(findings: readonly Finding[], call: Span, callee: Span): HoverFinding[] {
  return findings.filter((finding) => overlaps(finding.span, callee) || finding.span.start === call.start).map(toHoverFinding);
}

/** How much an activation scales the second moment of a zero-mean symmetric input, when that is exact. */
const ACTIVATION_VARIANCE: Partial<Record<ActivationFn, number>> = { relu: 0.5, linear: 1 };

/** The activation applied to a layer's output, from the data flow or fused into the layer. */
function activationOf(model: Model, layer: Layer): ActivationFn | undefined {
  if (layer.activation && layer.kind !== 'activation') return layer.activation;
  const node = model.flow.find((candidate) => candidate.op === 'layer' && candidate.layer === layer.index);
  return node ? activationAfter(model, node.id)?.fn : undefined;
}

/** Facts about one declared layer: sizes, parameters, initialization and what it does to the variance. */
export function layerFacts(model: Model, layer: Layer): HoverFact[] {
  const facts: HoverFact[] = [];
  if (layer.name) facts.push({ label: 'name', value: layer.name });
  if (layer.wrapper) facts.push({ label: 'wrapped in', value: wrapperText(layer) });
  if (layer.in !== null || layer.out !== null) facts.push({ label: 'in → out', value: `${layer.in ?? '?'} → ${layer.out ?? '?'}` });
  if (layer.kernelSize && layer.kernelSize.length > 0) facts.push({ label: 'kernel', value: layer.kernelSize.join(' × ') });
  if (layer.params !== null && layer.kind !== 'activation' && layer.kind !== 'dropout') {
    const repeat = layer.repeat && layer.repeat !== 1 ? ` × ${layer.repeat} repeats = ${count(layer.params * layer.repeat)}` : '';
    facts.push({ label: 'parameters', value: `${count(layer.params)}${repeat}` });
  }
  const moving = nonTrainableOf(layer);
  if (moving !== 0 && model.framework === 'pytorch') {
    facts.push({ label: 'non-trainable', value: `${moving === null ? 'unknown' : count(moving)} (frozen with requires_grad=False; parameters() lists them too)` });
  } else if (moving !== 0) {
    const frozen = layer.args.some((arg) => arg.name === 'trainable' && arg.value === false);
    const why = frozen ? 'frozen with trainable=False' : 'moving mean and variance';
    facts.push({ label: 'non-trainable', value: `${moving === null ? 'unknown' : count(moving)} (${why}; Keras's summary counts them too)` });
  }
  if (layer.tiedWeight !== undefined) facts.push({ label: 'weight', value: `tied to ${layer.tiedWeight}: one tensor, counted there` });
  if (layer.init) {
    facts.push({ label: 'weight init', value: `${layer.init.name}${layer.init.source === 'default' ? ' (framework default)' : ''}` });
    const gain = varianceGain(layer.init, layer);
    if (gain !== null && gain > 0) {
      const activation = activationOf(model, layer);
      const after = activation === undefined ? undefined : ACTIVATION_VARIANCE[activation];
      const afterText = after !== undefined && activation !== 'linear' ? `; ×${formatFactor(gain * after)} after ${activation}` : '';
      facts.push({ label: 'activation variance', value: `×${formatFactor(gain)} per layer (Var(W)·fan_in)${afterText}` });
    }
  }
  if (layer.activation && layer.kind !== 'activation') facts.push({ label: 'activation', value: layer.activation });
  if (typeof layer.rate === 'number') {
    const kept = 1 - layer.rate;
    const scale = kept > 0 ? `, survivors scaled ×${formatFactor(1 / kept)} in training` : '';
    facts.push({ label: 'drop probability', value: `${layer.rate} (keeps ${Math.round(kept * 100)}% of units${scale})` });
  }
  return facts;
}

/** What a Keras wrapper does to the layer inside it; the sizes and parameters shown are the wrapper's. */
function wrapperText(layer: Layer): string {
  const wrapper = layer.wrapper!;
  if (wrapper.kind === 'time_distributed') return `${wrapper.ctor}: applied at every step (sizes per step)`;
  const merge = wrapper.mergeMode === undefined ? 'concat' : (wrapper.mergeMode ?? 'a merge_mode DeepLint cannot read');
  return `${wrapper.ctor}: runs forwards and backwards, joined by ${merge} (sizes and parameters of both directions)`;
}

/** A compact model summary for the class-name hover. */
export function modelFacts(model: Model, models: readonly Model[]): HoverFact[] {
  const activations = new Set<ActivationFn>();
  for (const layer of model.layers) if (layer.activation && layer.activation !== 'linear') activations.add(layer.activation);
  for (const node of model.flow) if (node.op === 'activation' && node.activation) activations.add(node.activation);
  const inits = [...new Set(model.layers.flatMap((layer) => (layer.init ? [`${layer.init.name}${layer.init.source === 'default' ? ' (default)' : ''}`] : [])))];
  const facts: HoverFact[] = [
    { label: 'framework', value: frameworkName(model) },
    { label: 'layers', value: String(model.layers.length) },
    { label: 'depth (weight layers on the path)', value: String(denseDepth(model)) },
    { label: 'parameters', value: model.parameterCount === null ? 'unknown (some sizes are not visible)' : count(model.parameterCount) },
  ];
  const moving = nonTrainableCount(model, models);
  const held = model.framework === 'pytorch' ? 'weights frozen with requires_grad=False' : "BatchNormalization's moving statistics and frozen layers' weights";
  if (moving !== undefined) facts.push({ label: 'non-trainable', value: `${moving === null ? 'unknown' : count(moving)} (${held}, not in the count above)` });
  if (model.inputShape) facts.push({ label: 'input', value: model.inputShape.map((size) => size ?? '?').join(' × ') });
  if (activations.size > 0) facts.push({ label: 'activations', value: [...activations].join(', ') });
  if (inits.length > 0) facts.push({ label: 'weight init', value: inits.join(', ') });
  const features = [hasNormalization(model) && 'normalization', hasDropout(model) && 'dropout', hasSkipConnections(model) && 'skip connections'].filter(Boolean);
  facts.push({ label: 'has', value: features.length > 0 ? features.join(', ') : 'no normalization, dropout or skip connections' });
  return facts;
}

interface Candidate {
  span: Span;
  build: () => HoverTarget;
}

/** Every place of a program a hover can explain; each builds its content only when chosen. */
function candidates(program: Program, text: string, findings: readonly Finding[]): Candidate[] {
  const list: Candidate[] = [];
  const add = (span: Span, build: () => HoverTarget) => list.push({ span, build });
  for (const model of program.models) {
    add(model.nameSpan, () => ({
      span: model.nameSpan,
      heading: `${model.name}: ${frameworkName(model)} model`,
      facts: modelFacts(model, program.models),
      findings: findingsOn(findings, model.nameSpan),
    }));
    for (const layer of model.layers) {
      add(layer.calleeSpan, () => ({ span: layer.calleeSpan, noteKey: layer.ctor, facts: layerFacts(model, layer), findings: findingsOn(findings, layer.span) }));
      const wrapper = layer.wrapper;
      if (wrapper) add(wrapper.calleeSpan, () => ({ span: wrapper.calleeSpan, noteKey: layer.ctor, facts: layerFacts(model, layer), findings: findingsOn(findings, layer.span) }));
      if (layer.activationSpan) {
        const span = layer.activationSpan;
        add(span, () => ({ span, noteKey: text.slice(span.start, span.end), facts: [{ label: 'applied by', value: layer.name ?? layer.ctor }], findings: findingsOn(findings, span) }));
      }
      const initSpan = layer.init?.span;
      if (initSpan && layer.init?.source === 'explicit') {
        const callee = calleeSpan(text, initSpan);
        add(callee, () => {
          const facts: HoverFact[] = [{ label: 'scheme', value: layer.init!.name }];
          const gain = varianceGain(layer.init, layer);
          if (gain !== null && gain > 0) facts.push({ label: `activation variance (${layer.name ?? layer.ctor})`, value: `×${formatFactor(gain)} per layer (Var(W)·fan_in)` });
          return { span: callee, noteKey: text.slice(callee.start, callee.end), facts, findings: findingsOn(findings, initSpan) };
        });
      }
    }
    for (const node of model.flow) {
      if (node.op !== 'activation' && node.op !== 'dropout') continue;
      const callee = calleeSpan(text, node.span);
      add(callee, () => {
        const facts: HoverFact[] = [];
        if (node.op === 'dropout') {
          if (typeof node.rate === 'number') facts.push({ label: 'drop probability', value: String(node.rate) });
          facts.push({ label: 'training=', value: node.trainingFlag === true ? 'passed' : node.trainingFlag === false ? 'not passed: always on, even after eval()' : 'unknown' });
        }
        return { span: callee, noteKey: text.slice(callee.start, callee.end), facts, findings: findingsAbout(findings, node.span, callee) };
      });
    }
  }
  for (const loss of program.losses) {
    const callee = calleeSpan(text, loss.span);
    add(callee, () => {
      const facts: HoverFact[] = [{ label: 'loss', value: loss.kind.replace(/_/g, ' ') }];
      if (loss.fromLogits !== null) facts.push({ label: 'from_logits', value: String(loss.fromLogits) });
      if (loss.model) facts.push({ label: 'model', value: loss.model });
      if (loss.output !== undefined) facts.push({ label: 'output', value: typeof loss.output === 'number' ? `position ${loss.output + 1} of the outputs` : loss.output });
      return { span: callee, noteKey: loss.ctor, facts, findings: findingsAbout(findings, loss.span, callee) };
    });
  }
  for (const optimizer of program.optimizers) {
    const callee = calleeSpan(text, optimizer.span);
    add(callee, () => {
      const facts: HoverFact[] = [];
      if (optimizer.lr !== null) facts.push({ label: 'learning rate', value: String(optimizer.lr) });
      if (optimizer.weightDecay !== null) facts.push({ label: 'weight decay', value: String(optimizer.weightDecay) });
      if (optimizer.momentum !== undefined && optimizer.momentum !== null) facts.push({ label: 'momentum', value: String(optimizer.momentum) });
      if (optimizer.clipnorm !== undefined && optimizer.clipnorm !== null) facts.push({ label: 'clipnorm', value: String(optimizer.clipnorm) });
      return { span: callee, noteKey: optimizer.ctor, facts, findings: findingsAbout(findings, optimizer.span, callee) };
    });
  }
  for (const loop of program.loops) {
    for (const [spans, key] of [[loop.backward, 'backward'], [loop.zeroGrad, 'zero_grad'], [loop.clip, 'clip_grad_norm_']] as const) {
      for (const span of spans) add(span, () => ({ span, noteKey: key, facts: [], findings: findingsOn(findings, span) }));
    }
  }
  for (const region of program.noGrad) {
    add(region.headerSpan, () => ({ span: region.headerSpan, noteKey: region.kind, facts: [], findings: findingsOn(findings, region.headerSpan) }));
  }
  for (const call of program.modeCalls) {
    add(call.span, () => ({ span: call.span, noteKey: call.mode, facts: [{ label: 'model', value: call.model === '*' ? 'each model the loop visits' : call.model }], findings: findingsOn(findings, call.span) }));
  }
  return list;
}

/** The hover target at an offset of the analysed text: the innermost IR element there, if any. */
export function hoverTargetAt(program: Program, text: string, findings: readonly Finding[], offset: number): HoverTarget | undefined {
  // When targets nest (an activation string inside a layer call), the smallest one is what the cursor is on.
  const [best] = candidates(program, text, findings)
    .filter((candidate) => contains(candidate.span, offset))
    .sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start));
  return best?.build();
}
