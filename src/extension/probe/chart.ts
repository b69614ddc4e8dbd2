// The gradient-flow chart at the top of the probe panel, as inline SVG: the page needs no script to draw it.
// Colours are classes of the stylesheet (the policy allows no inline styles), every number written into an
// attribute is finite and every text is escaped. No `vscode` import: unit tests read the markup.
import { escapeHtml, formatNumber, type LayerFlag } from './format';

export interface ChartLayer {
  label: string;
  gradNorm: number;
  actStd: number;
  flag: LayerFlag | null;
}

/** The chart's fixed geometry in SVG units (CSS pixels when the chart is shown at its natural size). */
export const CHART = {
  width: 640,
  /** Room for the tick labels left of the plots. */
  left: 58,
  right: 12,
  gradTop: 40,
  gradHeight: 170,
  stdTop: 250,
  stdHeight: 60,
} as const;

const PLOT_WIDTH = CHART.width - CHART.left - CHART.right;
/** A conservative advance width of one character of the 11 px chart font, to lay labels out without measuring. */
const CHAR_PX = 6.8;
const MAX_LABEL_CHARS = 16;
/** Rotated labels closer than this along the axis would overlap. */
const ROTATED_LABEL_SPACING = 15;
const LEGEND_ROW = 18;
const MAX_BAND_WIDTH = 120;

/** A log10 axis: the exponents of its ends and of its labelled ticks. */
export interface LogAxis {
  lo: number;
  hi: number;
  ticks: number[];
}

/**
 * The decades that cover the finite positive values, with at most `maxTicks` labelled ticks (every decade, or
 * every 2nd, 5th, 10th... one when the values span many). Without such values the axis is 10⁻¹ to 10¹.
 */
export function logAxis(values: readonly number[], maxTicks: number): LogAxis {
  const logs = values.filter((value) => value > 0 && Number.isFinite(value)).map(Math.log10);
  let lo = logs.length > 0 ? Math.floor(Math.min(...logs)) : -1;
  let hi = logs.length > 0 ? Math.ceil(Math.max(...logs)) : 1;
  // Values all on one exact decade get a decade of room on each side, so their marks sit mid-axis.
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  // Float64 spans about 630 decades, so a step of 500 always stays within three ticks.
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500];
  const step = steps.find((candidate) => Math.ceil(hi / candidate) - Math.floor(lo / candidate) + 1 <= maxTicks) ?? 500;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let exponent = lo; exponent <= hi; exponent += step) ticks.push(exponent);
  return { lo, hi, ticks };
}

/** Where a value sits on a log axis: on the scale, or an off-scale marker at an edge of the plot. */
type Placement = { kind: 'value'; y: number } | { kind: 'zero' | 'infinite' | 'nan'; y: number };

function place(value: number, axis: LogAxis, top: number, height: number): Placement {
  if (Number.isNaN(value)) return { kind: 'nan', y: top };
  if (value === Infinity) return { kind: 'infinite', y: top };
  if (value <= 0) return { kind: 'zero', y: top + height };
  return { kind: 'value', y: round(top + (height * (axis.hi - Math.log10(value))) / (axis.hi - axis.lo)) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** `10⁻⁵` for -5. */
export function decadeLabel(exponent: number): string {
  return `10${[...String(exponent)].map((character) => SUPERSCRIPT[character] ?? character).join('')}`;
}

/** Numbers as the chart's texts say them: an attribute or label never reads NaN. */
function say(value: number): string {
  if (Number.isNaN(value)) return 'not a number';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  return formatNumber(value);
}

function truncate(label: string, chars: number): string {
  return label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
}

function axisMarkup(axis: LogAxis, top: number, height: number, title: { text: string; y: number }): string[] {
  const parts = [`<text class="axis-title" x="0" y="${title.y}">${escapeHtml(title.text)}</text>`];
  for (const exponent of axis.ticks) {
    const y = round(top + (height * (axis.hi - exponent)) / (axis.hi - axis.lo));
    parts.push(
      `<line class="grid" x1="${CHART.left}" y1="${y}" x2="${CHART.width - CHART.right}" y2="${y}"></line>`,
      `<text class="tick" x="${CHART.left - 6}" y="${y}" dy="0.32em" text-anchor="end">${decadeLabel(exponent)}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${CHART.left}" y1="${top}" x2="${CHART.left}" y2="${top + height}"></line>`,
    `<line class="axis" x1="${CHART.left}" y1="${top + height}" x2="${CHART.width - CHART.right}" y2="${top + height}"></line>`,
  );
  return parts;
}

/** A line through the on-scale points, broken where a value is off the scale. */
function seriesPath(xs: number[], placements: Placement[]): string {
  let d = '';
  let drawing = false;
  placements.forEach((placement, i) => {
    if (placement.kind !== 'value') {
      drawing = false;
      return;
    }
    d += `${drawing ? 'L' : 'M'}${xs[i]} ${placement.y}`;
    drawing = true;
  });
  return d;
}

/** A point, or the off-scale marker: a hollow triangle down at the floor for zero, up at the top for ∞, a cross for NaN. */
function markMarkup(series: 'grad' | 'std', x: number, placement: Placement, radius: number): string {
  const r = radius + 1;
  const [left, right, y] = [round(x - r), round(x + r), placement.y];
  switch (placement.kind) {
    case 'value':
      return `<circle class="point ${series}" cx="${x}" cy="${y}" r="${radius}"></circle>`;
    case 'zero':
      return `<path class="off zero ${series}" d="M${left} ${round(y - r * 1.6)}H${right}L${x} ${y}Z"></path>`;
    case 'infinite':
      return `<path class="off infinite ${series}" d="M${left} ${round(y + r * 1.6)}H${right}L${x} ${y}Z"></path>`;
    case 'nan':
      return `<path class="off nan ${series}" d="M${left} ${round(y - r)}L${right} ${round(y + r)}M${left} ${round(y + r)}L${right} ${round(y - r)}"></path>`;
  }
}

/** The layers with the smallest and the largest gradient on the scale, whose values the chart prints. */
function extremeGradients(grads: Placement[], layers: readonly ChartLayer[]): Set<number> {
  const onScale = layers.map((_, i) => i).filter((i) => grads[i]!.kind === 'value');
  if (onScale.length < 2) return new Set(onScale);
  const low = onScale.reduce((best, i) => (layers[i]!.gradNorm < layers[best]!.gradNorm ? i : best));
  const high = onScale.reduce((best, i) => (layers[i]!.gradNorm > layers[best]!.gradNorm ? i : best));
  return new Set([low, high]);
}

interface LegendItem {
  swatch: string;
  label: string;
}

function legendItems(layers: readonly ChartLayer[], placements: Placement[]): LegendItem[] {
  const items: LegendItem[] = [
    { swatch: '<line class="series grad" x1="0" y1="0" x2="16" y2="0"></line><circle class="point grad" cx="8" cy="0" r="3"></circle>', label: '‖dL/dW‖' },
    { swatch: '<line class="series std" x1="0" y1="0" x2="16" y2="0"></line><circle class="point std" cx="8" cy="0" r="3"></circle>', label: 'activation std' },
  ];
  const flags: LayerFlag[] = ['vanishing', 'exploding', 'dead', 'saturated'];
  for (const flag of flags.filter((candidate) => layers.some((layer) => layer.flag === candidate))) {
    items.push({ swatch: `<rect class="key ${flag}" x="2" y="-6" width="12" height="12"></rect>`, label: flag });
  }
  const kinds = new Set(placements.map((placement) => placement.kind));
  if (kinds.has('zero')) items.push({ swatch: markMarkup('grad', 8, { kind: 'zero', y: 4 }, 3), label: 'zero' });
  if (kinds.has('infinite')) items.push({ swatch: markMarkup('grad', 8, { kind: 'infinite', y: -4 }, 3), label: 'infinite' });
  if (kinds.has('nan')) items.push({ swatch: markMarkup('grad', 8, { kind: 'nan', y: 0 }, 3), label: 'not a number' });
  return items;
}

/** Lays the legend out left to right, wrapping to a new row when the next item would pass the chart's width. */
function legendMarkup(items: LegendItem[], top: number): { markup: string; bottom: number } {
  const parts: string[] = [];
  let x = 0;
  let y = top;
  for (const item of items) {
    const width = 22 + item.label.length * CHAR_PX + 10;
    if (x > 0 && x + width > CHART.width) {
      x = 0;
      y += LEGEND_ROW;
    }
    parts.push(`<g class="legend-item" transform="translate(${round(x)} ${y})">${item.swatch}<text x="22" y="0" dy="0.32em">${escapeHtml(item.label)}</text></g>`);
    x += width;
  }
  return { markup: parts.join(''), bottom: y + LEGEND_ROW / 2 };
}

function describe(title: string, layers: readonly ChartLayer[]): string {
  const extreme = (pick: (layer: ChartLayer) => number, name: string): string => {
    const finite = layers.filter((layer) => Number.isFinite(pick(layer)));
    if (finite.length === 0) return `${name} is not finite in any layer.`;
    const low = finite.reduce((best, layer) => (pick(layer) < pick(best) ? layer : best));
    const high = finite.reduce((best, layer) => (pick(layer) > pick(best) ? layer : best));
    const missing = layers.length - finite.length;
    const range = pick(low) === pick(high) ? `${name} is ${say(pick(low))} throughout` : `${name} ranges from ${say(pick(low))} at ${low.label} to ${say(pick(high))} at ${high.label}`;
    return `${range}${missing > 0 ? `; it is not finite in ${missing} layer${missing === 1 ? '' : 's'}` : ''}.`;
  };
  const flagged = layers.filter((layer) => layer.flag !== null).map((layer) => `${layer.label} (${layer.flag})`);
  return [
    `${title}, on log scales: ${layers.length} layer${layers.length === 1 ? '' : 's'} from input (${layers[0]?.label ?? ''}) to output (${layers[layers.length - 1]?.label ?? ''}).`,
    extreme((layer) => layer.gradNorm, '‖dL/dW‖'),
    extreme((layer) => layer.actStd, 'Activation std'),
    flagged.length > 0 ? `Flagged: ${flagged.join(', ')}.` : 'No layer is flagged.',
    'The table below lists every value.',
  ].join(' ');
}

/**
 * Per layer, input on the left: ‖dL/dW‖ on a log axis above the activation std on its own log axis, flagged
 * layers banded in their status's colour and marked above the plot. Each layer is a focusable group with the
 * index the page sends back to reveal it in the editor.
 */
export function renderGradientChart(title: string, layers: readonly ChartLayer[]): string {
  const n = layers.length;
  const step = PLOT_WIDTH / Math.max(n, 1);
  const xs = layers.map((_, i) => round(CHART.left + step * (i + 0.5)));
  const gradAxis = logAxis(layers.map((layer) => layer.gradNorm), 7);
  const stdAxis = logAxis(layers.map((layer) => layer.actStd), 3);
  const grads = layers.map((layer) => place(layer.gradNorm, gradAxis, CHART.gradTop, CHART.gradHeight));
  const stds = layers.map((layer) => place(layer.actStd, stdAxis, CHART.stdTop, CHART.stdHeight));
  const radius = round(Math.min(4, Math.max(1.5, step / 4)));
  const extremes = extremeGradients(grads, layers);

  // Wide columns (few layers) fit longer names than the rotated labels of many layers.
  const chars = Math.max(MAX_LABEL_CHARS, Math.floor((step - 6) / CHAR_PX));
  const labels = layers.map((layer) => truncate(layer.label, chars));
  const longest = Math.max(0, ...labels.map((label) => label.length)) * CHAR_PX;
  const horizontal = longest <= step - 6;
  const every = horizontal ? 1 : Math.max(1, Math.ceil(ROTATED_LABEL_SPACING / step));
  const plotBottom = CHART.stdTop + CHART.stdHeight;
  const labelTop = plotBottom + (horizontal ? 16 : 10);
  const labelBottom = horizontal ? labelTop + 4 : round(labelTop + longest * Math.SQRT1_2 + 6);
  const hitTop = CHART.gradTop - 16;

  const groups = layers.map((layer, i) => {
    const x = xs[i]!;
    const left = round(CHART.left + step * i);
    const width = round(step);
    const status = layer.flag ? `, ${layer.flag}` : '';
    const parts = [
      `<g class="layer" data-index="${i}" tabindex="0" role="button">`,
      `<title>${escapeHtml(`${layer.label}: ‖dL/dW‖ ${say(layer.gradNorm)}, activation std ${say(layer.actStd)}${status}. Show it in the editor.`)}</title>`,
      `<rect class="hit" x="${left}" y="${hitTop}" width="${width}" height="${round(labelBottom - hitTop)}"></rect>`,
    ];
    if (layer.flag) {
      const half = round(Math.min(5, step / 2 - 0.5));
      // A band as wide as a lone layer's column would flood the plot.
      const band = Math.min(step, MAX_BAND_WIDTH);
      const bandLeft = round(x - band / 2);
      parts.push(
        `<rect class="band ${layer.flag}" x="${bandLeft}" y="${CHART.gradTop}" width="${round(band)}" height="${CHART.gradHeight}"></rect>`,
        `<rect class="band ${layer.flag}" x="${bandLeft}" y="${CHART.stdTop}" width="${round(band)}" height="${CHART.stdHeight}"></rect>`,
        `<path class="flag ${layer.flag}" d="M${round(x - half)} ${CHART.gradTop - 13}H${round(x + half)}L${x} ${CHART.gradTop - 4}Z"></path>`,
      );
    }
    parts.push(markMarkup('grad', x, grads[i]!, radius), markMarkup('std', x, stds[i]!, radius));
    const grad = grads[i]!;
    if (extremes.has(i) && grad.kind === 'value') {
      // Below the point when a label above it would run into the flag marks.
      const y = grad.y - CHART.gradTop < 16 ? grad.y + 16 : grad.y - 9;
      const anchor = i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
      parts.push(`<text class="value" x="${round(anchor === 'start' ? x - 4 : anchor === 'end' ? x + 4 : x)}" y="${round(y)}" text-anchor="${anchor}">${say(layer.gradNorm)}</text>`);
    }
    if (i % every === 0) {
      parts.push(
        horizontal
          ? `<text class="label" x="${x}" y="${labelTop}" text-anchor="middle">${escapeHtml(labels[i]!)}</text>`
          : `<text class="label" x="${round(x + 3)}" y="${labelTop}" text-anchor="end" transform="rotate(-45 ${round(x + 3)} ${labelTop})">${escapeHtml(labels[i]!)}</text>`,
      );
    }
    parts.push('</g>');
    return parts.join('');
  });

  const axisTitleY = round(labelBottom + 20);
  const legend = legendMarkup(legendItems(layers, [...grads, ...stds]), axisTitleY + 22);
  const height = Math.ceil(legend.bottom + 4);
  return [
    `<svg class="chart" role="group" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}" aria-labelledby="chart-title" aria-describedby="chart-desc">`,
    `<title id="chart-title">${escapeHtml(title)}</title>`,
    `<desc id="chart-desc">${escapeHtml(describe(title, layers))}</desc>`,
    // The gradient title sits above the flag marks; the std title just above its plot.
    ...axisMarkup(gradAxis, CHART.gradTop, CHART.gradHeight, { text: '‖dL/dW‖ per layer (log scale)', y: CHART.gradTop - 22 }),
    ...axisMarkup(stdAxis, CHART.stdTop, CHART.stdHeight, { text: 'activation std (log scale)', y: CHART.stdTop - 12 }),
    `<path class="series grad" d="${seriesPath(xs, grads)}"></path>`,
    `<path class="series std" d="${seriesPath(xs, stds)}"></path>`,
    ...groups,
    `<text class="axis-title" x="${CHART.left + PLOT_WIDTH / 2}" y="${axisTitleY}" text-anchor="middle">layers in data-flow order: input → output</text>`,
    legend.markup,
    '</svg>',
  ].join('\n');
}
