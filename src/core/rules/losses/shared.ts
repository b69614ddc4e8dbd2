import type { ActivationFn, FlowNode, LossInfo, Model, Program, Span } from '../../ir/types';
import { firstArgumentText } from '../edits';
import { isInsideSpan } from '../queries';
import type { Fix } from '../types';

/**
 * What a Keras/TF.js model's last layer outputs: its fused or separate activation, or 'linear' for raw outputs.
 * For a per-output loss, of the output it applies to: the one whose layer has its name, or the one at its position
 * when the outputs are written as a list; otherwise of the only output.
 */
export function outputActivation(model: Model, of?: string | number): { fn: ActivationFn | 'linear'; span: Span; units: number | null } | undefined {
  const output = model.flow.find((node) => node.op === 'output');
  if (!output) return undefined;
  const byPosition = (position: number) => (model.outputList && position < output.inputs.length ? [output.inputs[position]!] : []);
  // Keras matches a dict of losses to the keys of a dict of outputs, and otherwise to the output layers' names.
  const byKey = (key: string) => (model.outputKeys && model.outputKeys.length === output.inputs.length ? output.inputs.filter((_, index) => model.outputKeys![index] === key) : undefined);
  const candidates = of === undefined ? output.inputs : typeof of === 'number' ? byPosition(of) : (byKey(of) ?? output.inputs.filter((id) => layerNamed(model, model.flow[id], of)));
  if (candidates.length !== 1) return undefined;
  const last = model.flow[candidates[0]!];
  if (!last) return undefined;
  if (last.op === 'activation' && last.activation) return { fn: last.activation, span: last.span, units: null };
  if (last.op !== 'layer' || last.layer === undefined) return undefined;
  const layer = model.layers[last.layer]!;
  if (layer.kind === 'activation' && layer.activation) return { fn: layer.activation, span: layer.calleeSpan, units: layer.out };
  if (layer.activationUnknown) return undefined;
  if (layer.kind === 'linear' || layer.kind.startsWith('conv')) return { fn: layer.activation ?? 'linear', span: layer.activationSpan ?? layer.calleeSpan, units: layer.out };
  return undefined;
}

/** Activations whose outputs are probabilities, in [0, 1]. */
export const PROBABILITY_OUTPUTS: ReadonlySet<ActivationFn | 'linear'> = new Set(['sigmoid', 'hardsigmoid', 'softmax']);

function layerNamed(model: Model, node: FlowNode | undefined, name: string): boolean {
  return node?.op === 'layer' && node.layer !== undefined && model.layers[node.layer]?.name === name;
}

export function modelOf(program: Program, loss: LossInfo): Model | undefined {
  return loss.model ? program.models.find((model) => model.name === loss.model) : undefined;
}

/** Removes an activation written inside the loss call (`loss_fn(F.softmax(out, 1), y)` → `loss_fn(out, y)`). */
export function unwrapFix(text: string, loss: LossInfo, activation: { span: Span }, title: string): Fix | null {
  const call = loss.callSpan ?? loss.span;
  if (!isInsideSpan(call, activation.span) || call.start === activation.span.start) return null;
  const inner = firstArgumentText(text.slice(activation.span.start, activation.span.end));
  if (!inner) return null;
  return { title, safe: true, edits: [{ span: activation.span, newText: inner }] };
}
