// The probe's findings on the layers its verdict flags, worded for diagnostics on those layers. No `vscode`
// import: unit-tested directly.
import type { ProbeResult } from '../../core/probe/probe';
import type { LayerStats } from '../../core/probe/verdict';
import { formatNumber, formatPercent, layerLabel, type LayerFlag } from './format';

export interface ProbeLayerFinding {
  /** The layer's index in `result.layers`. */
  position: number;
  status: LayerFlag;
  message: string;
}

function quoted(layer: LayerStats): string {
  return `'${layerLabel(layer)}'`;
}

function explain(status: LayerFlag, layer: LayerStats, last: LayerStats): string {
  const grad = formatNumber(layer.gradNorm);
  const name = quoted(layer);
  switch (status) {
    case 'vanishing':
      // Gradients that fade toward the input are compared with the last layer's; any other reason the verdict
      // gives (such as fading through the steps of a recurrent layer) is in the panel.
      if (layer === last || !(layer.gradNorm < last.gradNorm)) return `Vanishing gradient at initialization in ${name} (‖dL/dW‖ ${grad}); the probe panel says why.`;
      return `Vanishing gradient at initialization: ‖dL/dW‖ of ${name} is ${grad}, ${formatNumber(layer.gradNorm / last.gradNorm)}× the ${formatNumber(last.gradNorm)} of the last layer ${quoted(last)}.`;
    case 'exploding': {
      const numbers = `‖dL/dW‖ ${grad}, ‖dL/dW‖/‖W‖ ${formatNumber(layer.gradToWeight)}, activation std ${formatNumber(layer.actStd)}`;
      if (![layer.gradNorm, layer.gradToWeight, layer.actStd].every(Number.isFinite)) return `Exploding at initialization: values of ${name} overflow (${numbers}).`;
      const relative = layer === last ? '' : `, ${formatNumber(layer.gradNorm / last.gradNorm)}× the last layer's ‖dL/dW‖`;
      return `Exploding at initialization: ${name} has ${numbers}${relative}.`;
    }
    case 'dead':
      return `Dead ReLUs at initialization: ${formatPercent(layer.deadFraction)} of the units of ${name} output zero for the whole batch, so they get no gradient (‖dL/dW‖ ${grad}).`;
    case 'saturated':
      return `Saturated ${layer.activation ?? 'activation'} at initialization: ${formatPercent(layer.saturatedFraction)} of the outputs of ${name} sit in the flat tails (‖dL/dW‖ ${grad}).`;
  }
}

/** One finding per layer the verdict names, in the order of `result.layers`. */
export function probeFindings(result: ProbeResult): ProbeLayerFinding[] {
  const status = result.verdict.status;
  const last = result.layers[result.layers.length - 1];
  if (status === 'healthy' || !last) return [];
  const flagged = new Set(result.verdict.layers);
  const findings: ProbeLayerFinding[] = [];
  result.layers.forEach((layer, position) => {
    if (flagged.has(layer.index)) findings.push({ position, status, message: explain(status, layer, last) });
  });
  return findings;
}
