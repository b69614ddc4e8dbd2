// The probe panel's HTML, rendered whole by the extension: a strict Content Security Policy (nothing by default,
// the stylesheet and one nonce script from the extension's media/probe folder), every value escaped, no remote
// resource. No `vscode` import: a unit test reads the HTML it produces.
import type { LayerStats } from '../../core/probe/verdict';
import type { ProbeResult } from '../../core/probe/probe';
import { renderGradientChart } from './chart';
import { escapeHtml, formatNumber, formatPercent, layerFlag, layerLabel } from './format';

export type ProbePanelState =
  | { kind: 'running'; model: string; stage?: string }
  | { kind: 'result'; result: ProbeResult; /** 1-based line of each layer of `result.layers`. */ lines: number[] }
  | { kind: 'error'; model: string; message: string };

export interface WebviewResources {
  /** The webview's own source expression for local resources (`webview.cspSource`). */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** Dead units (ReLU) or saturated outputs (sigmoid, tanh) share a column: a layer has at most one of them. */
function inactive(layer: LayerStats): string {
  const parts: string[] = [];
  if (layer.deadFraction !== null) parts.push(`${formatPercent(layer.deadFraction)} dead`);
  if (layer.saturatedFraction !== null) parts.push(`${formatPercent(layer.saturatedFraction)} sat.`);
  return parts.length > 0 ? parts.join(', ') : '–';
}

function body(state: ProbePanelState): string {
  if (state.kind === 'running') {
    return `<h1>${escapeHtml(state.model)}</h1><p class="meta">Probing gradient health${state.stage ? `: ${escapeHtml(state.stage)}` : ''}…</p>`;
  }
  if (state.kind === 'error') {
    return [
      `<h1>${escapeHtml(state.model)}</h1>`,
      `<div class="verdict error"><strong>The probe could not run.</strong> ${escapeHtml(state.message)}</div>`,
      '<p><button id="rerun" type="button">Run again</button></p>',
    ].join('\n');
  }
  const { result, lines } = state;
  const device = result.fallback ? `${result.device} (${result.fallback.split(',')[0]})` : result.device;
  const loss = `${result.loss.kind}${result.loss.source === 'default' ? ' on random targets' : ''} = ${formatNumber(result.loss.value)}`;
  const flags = result.layers.map((layer) => layerFlag(layer, result.verdict));
  const rows = result.layers.map((layer, i) => {
    const name = layerLabel(layer);
    const flag = flags[i] ?? null;
    return [
      `<tr data-index="${i}" tabindex="0"${flag ? ` class="flagged ${flag}"` : ''} title="Show ${escapeHtml(name)} in the editor">`,
      `<td>${lines[i] ?? ''}</td>`,
      `<td>${escapeHtml(name)}</td>`,
      `<td>${escapeHtml(layer.activation ?? '–')}</td>`,
      `<td>${formatNumber(layer.weightNorm)}</td>`,
      `<td>${formatNumber(layer.gradNorm)}</td>`,
      `<td>${formatNumber(layer.gradToWeight)}</td>`,
      `<td>${formatNumber(layer.actMean)}</td>`,
      `<td>${formatNumber(layer.actStd)}</td>`,
      `<td>${inactive(layer)}</td>`,
      `<td>${flag ?? ''}</td>`,
      '</tr>',
    ].join('');
  });
  const chart = renderGradientChart(
    `Gradient flow through ${result.model}`,
    result.layers.map((layer, i) => ({ label: layerLabel(layer), gradNorm: layer.gradNorm, actStd: layer.actStd, flag: flags[i] ?? null })),
  );
  const healthy = result.verdict.status === 'healthy';
  const t = result.timings;
  return [
    `<h1>${escapeHtml(result.model)} <span class="meta">(${escapeHtml(result.framework)})</span></h1>`,
    `<p class="meta">One random mini-batch: device ${escapeHtml(device)}, batch ${result.batch}, seed ${result.seed}, input ${escapeHtml(result.inputShape.join(' × '))}, loss ${escapeHtml(loss)}.</p>`,
    `<div class="verdict${healthy ? '' : ' problem'}"><strong>${escapeHtml(result.verdict.status)}.</strong> ${escapeHtml(result.verdict.explanation)}</div>`,
    `<figure class="scroll">${chart}</figure>`,
    // The table is the chart's data view; it scrolls sideways rather than cut columns off in a narrow panel.
    '<div class="scroll" tabindex="0" role="region" aria-label="Per-layer statistics">',
    '<table>',
    `<thead><tr><th>line</th><th>layer</th><th>act</th><th>‖W‖</th><th>‖dL/dW‖</th><th title="‖dL/dW‖ / ‖W‖">ratio</th><th title="activation mean">mean</th><th title="activation std">std</th><th title="dead ReLU units, or saturated sigmoid/tanh outputs">dead/sat</th><th>status</th></tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    '</div>',
    ...result.notes.map((note) => `<p class="notes">${escapeHtml(note)}</p>`),
    `<p class="notes">${t.totalMs.toFixed(0)} ms: build ${t.buildMs.toFixed(0)}, session ${t.sessionMs.toFixed(0)}${t.sessionCached ? ' (cached)' : ''}, run ${t.runMs.toFixed(0)}.</p>`,
    '<p><button id="rerun" type="button">Run again</button></p>',
  ].join('\n');
}

export function renderProbeHtml(state: ProbePanelState, resources: WebviewResources): string {
  const csp = [`default-src 'none'`, `style-src ${resources.cspSource}`, `script-src 'nonce-${resources.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(resources.styleUri)}">
<title>DeepLint probe</title>
</head>
<body data-state="${state.kind}">
${body(state)}
<script nonce="${escapeHtml(resources.nonce)}" src="${escapeHtml(resources.scriptUri)}"></script>
</body>
</html>
`;
}
