// The probe panel's HTML, rendered whole by the extension: a strict Content Security Policy (nothing by default,
// the stylesheet and one nonce script from the extension's media/probe folder), every value escaped, no remote
// resource. No `vscode` import: a unit test reads the HTML it produces.
import type { ProbeResult } from '../../core/probe/probe';

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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function number(value: number | null): string {
  if (value === null) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return Math.abs(value) >= 1e4 || Math.abs(value) < 1e-2 ? value.toExponential(2) : value.toFixed(3);
}

function percent(value: number | null): string {
  return value === null ? '–' : Number.isFinite(value) ? `${Math.round(100 * value)}%` : String(value);
}

/** Bar widths on a log scale, so gradients that differ by orders of magnitude stay comparable. */
export function gradientBarWidths(norms: readonly number[]): number[] {
  const logs = norms.map((norm) => (norm > 0 && Number.isFinite(norm) ? Math.log10(norm) : null));
  const known = logs.filter((log): log is number => log !== null);
  if (known.length === 0) return norms.map(() => 0);
  const low = Math.min(...known);
  const high = Math.max(...known);
  return logs.map((log) => (log === null ? 0 : high === low ? 100 : Math.round(5 + (95 * (log - low)) / (high - low))));
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
  const loss = `${result.loss.kind}${result.loss.source === 'default' ? ' on random targets' : ''} = ${number(result.loss.value)}`;
  const widths = gradientBarWidths(result.layers.map((layer) => layer.gradNorm));
  const flagged = new Set(result.verdict.layers);
  const rows = result.layers.map((layer, i) => {
    const name = layer.name ?? `${layer.kind} ${layer.index}`;
    const status = layer.status === 'ok' ? '' : layer.status;
    return [
      `<tr data-index="${i}" tabindex="0"${status || flagged.has(layer.index) ? ' class="flagged"' : ''} title="Show ${escapeHtml(name)} in the editor">`,
      `<td>${lines[i] ?? ''}</td>`,
      `<td>${escapeHtml(name)}</td>`,
      `<td>${escapeHtml(layer.activation ?? '–')}</td>`,
      `<td>${number(layer.weightNorm)}</td>`,
      // Widths are classes of the stylesheet: the policy allows no inline styles.
      `<td><span class="bar w-${Math.round(widths[i]! / 5)}"></span>${number(layer.gradNorm)}</td>`,
      `<td>${number(layer.gradToWeight)}</td>`,
      `<td>${number(layer.actMean)}</td>`,
      `<td>${number(layer.actStd)}</td>`,
      `<td>${percent(layer.deadFraction)}</td>`,
      `<td>${percent(layer.saturatedFraction)}</td>`,
      `<td>${escapeHtml(status)}</td>`,
      '</tr>',
    ].join('');
  });
  const healthy = result.verdict.status === 'healthy';
  const t = result.timings;
  return [
    `<h1>${escapeHtml(result.model)} <span class="meta">(${escapeHtml(result.framework)})</span></h1>`,
    `<p class="meta">One random mini-batch: device ${escapeHtml(device)}, batch ${result.batch}, seed ${result.seed}, input ${escapeHtml(result.inputShape.join(' × '))}, loss ${escapeHtml(loss)}.</p>`,
    `<div class="verdict${healthy ? '' : ' problem'}"><strong>${escapeHtml(result.verdict.status)}.</strong> ${escapeHtml(result.verdict.explanation)}</div>`,
    '<table>',
    '<thead><tr><th>line</th><th>layer</th><th>act</th><th>‖W‖</th><th>‖dL/dW‖</th><th>ratio</th><th>act mean</th><th>act std</th><th>dead</th><th>saturated</th><th></th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
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
<body>
${body(state)}
<script nonce="${escapeHtml(resources.nonce)}" src="${escapeHtml(resources.scriptUri)}"></script>
</body>
</html>
`;
}
