// Text shared by the probe panel, its chart and the probe's diagnostics, so the three show the same numbers.
// No `vscode` import: unit tests read what these produce.
import { DEFAULT_THRESHOLDS, type LayerStats, type Verdict, type VerdictStatus } from '../../core/probe/verdict';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Three decimals, or two significant decimals in exponent form for very small and very large magnitudes. */
export function formatNumber(value: number | null): string {
  if (value === null) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  return Math.abs(value) >= 1e4 || Math.abs(value) < 1e-2 ? value.toExponential(2) : value.toFixed(3);
}

export function formatPercent(value: number | null): string {
  return value === null ? '–' : Number.isFinite(value) ? `${Math.round(100 * value)}%` : String(value);
}

/** The statuses a layer can be marked with. */
export type LayerFlag = Exclude<VerdictStatus, 'healthy'>;

export function layerLabel(layer: Pick<LayerStats, 'name' | 'kind' | 'index'>): string {
  return layer.name ?? `${layer.kind} ${layer.index}`;
}

/**
 * What the panel marks on a layer: the status the verdict gave it, else the verdict's status when it names the
 * layer, else dead or saturated by the default thresholds. The verdict reports only its first finding (a
 * vanishing model's dead layers keep status 'ok'), and the probe always judges with the default thresholds.
 */
export function layerFlag(layer: LayerStats, verdict: Verdict): LayerFlag | null {
  if (layer.status !== 'ok' && layer.status !== 'healthy') return layer.status;
  if (verdict.layers.includes(layer.index) && verdict.status !== 'healthy') return verdict.status;
  if (layer.deadFraction !== null && layer.deadFraction > DEFAULT_THRESHOLDS.deadFraction) return 'dead';
  if (layer.saturatedFraction !== null && layer.saturatedFraction > DEFAULT_THRESHOLDS.saturatedFraction) return 'saturated';
  return null;
}
