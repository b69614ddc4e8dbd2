// The gradient-flow chart's markup: positions worked out by hand from the chart's geometry, decade ticks,
// off-scale values, escaping, and the label thinning of deep models.
import { strict as assert } from 'node:assert';
import { CHART, decadeLabel, logAxis, renderGradientChart, type ChartLayer } from '../../../src/extension/probe/chart';

function layers(grads: number[], stds: number[] = grads.map(() => 0.5), flags: ChartLayer['flag'][] = []): ChartLayer[] {
  return grads.map((gradNorm, i) => ({ label: `layer${i}`, gradNorm, actStd: stds[i]!, flag: flags[i] ?? null }));
}

interface Group {
  index: number;
  attributes: string;
  body: string;
}

/** The per-layer groups, in document order (they hold no nested group). */
function groups(svg: string): Group[] {
  return [...svg.matchAll(/<g class="layer" data-index="(\d+)"([^>]*)>([\s\S]*?)<\/g>/g)].map((match) => ({ index: Number(match[1]), attributes: match[2]!, body: match[3]! }));
}

function attribute(markup: string, name: string): number {
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(markup)?.[1];
  assert.ok(value !== undefined, `no ${name} in ${markup}`);
  return Number(value);
}

/** The centre of the layer's gradient point: the circle of the grad series. */
function gradPoint(group: Group): { x: number; y: number } {
  const circle = /<circle class="point grad"[^>]*>/.exec(group.body)?.[0];
  assert.ok(circle, `no gradient point in ${group.body}`);
  return { x: attribute(circle, 'cx'), y: attribute(circle, 'cy') };
}

function ticks(svg: string): { label: string; y: number }[] {
  return [...svg.matchAll(/<text class="tick" x="[^"]*" y="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((match) => ({ label: match[2]!, y: Number(match[1]) }));
}

/** Every number the SVG carries in an attribute, by attribute name. */
function numericAttributes(svg: string): [string, string][] {
  const names = ['x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'width', 'height'];
  return [...svg.matchAll(/\s([a-z][\w-]*)="([^"]*)"/g)].filter((match) => names.includes(match[1]!)).map((match) => [match[1]!, match[2]!]);
}

describe('gradient-flow chart', () => {
  it('places each gradient point at log10 of its ‖dL/dW‖ on the decade axis', () => {
    const svg = renderGradientChart('t', layers([1e-5, 3e-4, 1e-3, 0.05]));
    // The values span 10⁻⁵ to 10⁻¹, so y = top + height × (-1 − log10 g) / 4 and the point of 10⁻⁵ sits on the floor.
    const { gradTop: top, gradHeight: height } = CHART;
    const expected = [top + height, top + (height * (-1 - Math.log10(3e-4))) / 4, top + height / 2, top + (height * (-1 - Math.log10(0.05))) / 4];
    assert.deepEqual(expected.map((y) => Math.round(y * 10) / 10), [210, 147.2, 125, 52.8]);
    const points = groups(svg).map(gradPoint);
    assert.equal(points.length, 4);
    points.forEach((point, i) => assert.ok(Math.abs(point.y - expected[i]!) < 0.06, `layer ${i}: y ${point.y}, expected ${expected[i]}`));
    // Data-flow order, left to right: four columns of (640 − 58 − 12) / 4 = 142.5 each, points in their middle.
    assert.deepEqual(
      points.map((point) => point.x),
      [129.3, 271.8, 414.3, 556.8],
    );
  });

  it('labels every decade of the gradient axis, and of the std axis', () => {
    const svg = renderGradientChart('t', layers([1e-5, 3e-4, 1e-3, 0.05], [0.02, 0.5, 0.2, 0.1]));
    assert.deepEqual(ticks(svg).slice(0, 5), [
      { label: '10⁻⁵', y: 210 },
      { label: '10⁻⁴', y: 167.5 },
      { label: '10⁻³', y: 125 },
      { label: '10⁻²', y: 82.5 },
      { label: '10⁻¹', y: 40 },
    ]);
    const { stdTop: top, stdHeight: height } = CHART;
    assert.deepEqual(ticks(svg).slice(5), [
      { label: '10⁻²', y: top + height },
      { label: '10⁻¹', y: top + height / 2 },
      { label: '10⁰', y: top },
    ]);
  });

  it('keeps the tick count down on axes over many decades', () => {
    assert.deepEqual(logAxis([1e-30, 1], 7), { lo: -30, hi: 0, ticks: [-30, -25, -20, -15, -10, -5, 0] });
    assert.deepEqual(logAxis([1e-12, 1e3], 3), { lo: -20, hi: 20, ticks: [-20, 0, 20] });
    assert.deepEqual(logAxis([0.02, 0.05], 7), { lo: -2, hi: -1, ticks: [-2, -1] });
    assert.deepEqual(logAxis([Number.MIN_VALUE, Number.MAX_VALUE], 3), { lo: -500, hi: 500, ticks: [-500, 0, 500] });
    // A lone value on an exact decade gets a decade either side; no usable value at all gives 10⁻¹ to 10¹.
    assert.deepEqual(logAxis([0.01], 7), { lo: -3, hi: -1, ticks: [-3, -2, -1] });
    assert.deepEqual(logAxis([0, NaN, Infinity], 7), { lo: -1, hi: 1, ticks: [-1, 0, 1] });
    assert.deepEqual([0, 5, -12].map(decadeLabel), ['10⁰', '10⁵', '10⁻¹²']);
  });

  it('draws zero and non-finite values as markers at the plot edges, and never writes NaN', () => {
    const svg = renderGradientChart('t', layers([NaN, Infinity, 0, 1e-3, -Infinity], [0, NaN, 0.5, Infinity, 0.5]));
    const [nan, infinite, zero, finite, negative] = groups(svg);
    assert.match(nan!.body, /<path class="off nan grad"/);
    assert.match(infinite!.body, /<path class="off infinite grad"/);
    assert.match(zero!.body, /<path class="off zero grad"/);
    assert.match(negative!.body, /<path class="off zero grad"/);
    assert.equal(gradPoint(finite!).y, CHART.gradTop + CHART.gradHeight / 2);
    assert.match(nan!.body, /<path class="off zero std"/);
    assert.match(infinite!.body, /<path class="off nan std"/);
    assert.match(finite!.body, /<path class="off infinite std"/);
    // The zero marker's tip touches the floor of the gradient plot.
    assert.match(zero!.body, new RegExp(` ${CHART.gradTop + CHART.gradHeight}Z"`));
    assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
    for (const [name, value] of numericAttributes(svg)) assert.ok(value !== '' && Number.isFinite(Number(value)), `${name}="${value}"`);
    for (const path of svg.matchAll(/\sd="([^"]*)"/g)) assert.match(path[1]!, /^[MLHZ\d. -]*$/, 'path data of numbers only');
    assert.match(svg, /<text x="22" y="0" dy="0.32em">zero<\/text>/);
    assert.match(svg, />infinite</);
    assert.match(svg, />not a number</);
    assert.match(svg, /<title>layer0: ‖dL\/dW‖ not a number, activation std 0\. Show it in the editor\.<\/title>/);
  });

  it('breaks the gradient line at off-scale values', () => {
    const svg = renderGradientChart('t', layers([1e-3, 1e-2, 0, 1e-2, 1e-1]));
    const d = /<path class="series grad" d="([^"]*)"/.exec(svg)![1]!;
    assert.equal(d.match(/M/g)!.length, 2);
    assert.equal(d.match(/L/g)!.length, 2);
  });

  it('escapes layer names, so a hostile one renders as text', () => {
    const svg = renderGradientChart('<b>model</b>', [{ label: '<img src=x onerror=alert(1)>', gradNorm: 1e-3, actStd: 0.5, flag: 'vanishing' }]);
    assert.ok(!svg.includes('<img') && !svg.includes('<b>'), svg);
    assert.match(svg, /<text class="label"[^>]*>&#60;img src=x onerror=alert\(1\)&#62;<\/text>/);
    assert.match(svg, /<title id="chart-title">&#60;b&#62;model&#60;\/b&#62;<\/title>/);
  });

  it('shows a lone layer in the middle of the plot', () => {
    const svg = renderGradientChart('t', layers([0.01]));
    const [only] = groups(svg);
    assert.equal(groups(svg).length, 1);
    assert.deepEqual(gradPoint(only!), { x: CHART.left + (CHART.width - CHART.left - CHART.right) / 2, y: CHART.gradTop + CHART.gradHeight / 2 });
    assert.match(only!.body, /<text class="label" x="343" y="[^"]*" text-anchor="middle">layer0<\/text>/);
  });

  it('keeps every one of 100 layers focusable but thins and rotates their labels', () => {
    const deep = Array.from({ length: 100 }, (_, i) => ({ label: `encoder.blocks.${i}.attention`, gradNorm: 1e-6 * 1.15 ** i, actStd: 0.5, flag: null }));
    const svg = renderGradientChart('t', deep);
    const all = groups(svg);
    assert.deepEqual(
      all.map((group) => group.index),
      deep.map((_, i) => i),
    );
    for (const group of all) assert.match(group.attributes, /tabindex="0" role="button"/);
    const labelled = all.filter((group) => group.body.includes('class="label"'));
    // Columns are 5.7 units wide and rotated labels need 15: every third layer keeps its label.
    assert.deepEqual(
      labelled.map((group) => group.index),
      deep.map((_, i) => i).filter((i) => i % 3 === 0),
    );
    assert.match(labelled[0]!.body, /transform="rotate\(-45 [\d.]+ [\d.]+\)">encoder.blocks.…<\/text>/);
  });

  it('bands and marks the flagged layers and lists only their statuses in the legend', () => {
    const svg = renderGradientChart('t', layers([1e-6, 1e-4, 1e-2], undefined, ['vanishing', null, 'dead']));
    const [first, second, third] = groups(svg);
    assert.match(first!.body, /<rect class="band vanishing"/);
    assert.match(first!.body, /<path class="flag vanishing"/);
    assert.doesNotMatch(second!.body, /band|flag/);
    assert.match(third!.body, /<rect class="band dead"/);
    assert.match(svg, /<rect class="key vanishing"/);
    assert.match(svg, /<rect class="key dead"/);
    assert.doesNotMatch(svg, /key (exploding|saturated)/);
    assert.match(first!.body, /<title>layer0: ‖dL\/dW‖ 1\.00e-6, activation std 0\.500, vanishing\. Show it in the editor\.<\/title>/);
  });

  it('has a title and a description for assistive technology', () => {
    const svg = renderGradientChart('Gradient flow through Net', layers([1e-5, 1e-3, NaN], undefined, ['vanishing']));
    assert.match(svg, /^<svg class="chart" role="group" viewBox="0 0 640 \d+" width="640" height="\d+" aria-labelledby="chart-title" aria-describedby="chart-desc">/);
    const desc = /<desc id="chart-desc">([^<]*)<\/desc>/.exec(svg)![1]!;
    assert.equal(
      desc,
      'Gradient flow through Net, on log scales: 3 layers from input (layer0) to output (layer2). ‖dL/dW‖ ranges from 1.00e-5 at layer0 to 1.00e-3 at layer1; it is not finite in 1 layer. Activation std is 0.500 throughout. Flagged: layer0 (vanishing). The table below lists every value.',
    );
  });
});
