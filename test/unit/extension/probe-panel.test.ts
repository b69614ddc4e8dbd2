// The probe panel's page as the extension renders it: what the webview is allowed to load and run, the table
// as the chart's data view, and the diagnostics worded for the flagged layers.
import { strict as assert } from 'node:assert';
import type { ProbeResult } from '../../../src/core/probe/probe';
import { judge, type LayerStats } from '../../../src/core/probe/verdict';
import { probeFindings } from '../../../src/extension/probe/findings';
import { renderProbeHtml, type ProbePanelState, type WebviewResources } from '../../../src/extension/probe/html';

// What VS Code passes for a remote webview: its resources are https URLs of the webview's own origin.
const RESOURCES: WebviewResources = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'dGhlLW5vbmNlLW9mLXRoZS10ZXN0',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/probe/probe.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/probe/probe.css',
};

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_MODEL = '"><script>alert(1)</script><p style="x" onclick="alert(2)">';

function layer(index: number, name: string, gradNorm: number, actStd: number, extra: Partial<LayerStats> = {}): LayerStats {
  return {
    index,
    kind: 'linear',
    name,
    span: { start: index * 10, end: index * 10 + 5 },
    activation: 'sigmoid',
    weightNorm: 9.5,
    gradNorm,
    biasGradNorm: gradNorm / 10,
    gradToWeight: gradNorm / 9.5,
    actMean: 0.5,
    actStd,
    preActStd: 0.3,
    zeroFraction: null,
    deadFraction: null,
    saturatedFraction: 0,
    gradOutNorm: gradNorm / 2,
    status: 'ok',
    ...extra,
  };
}

function result(layers: LayerStats[], model = 'Classifier', loss = 2.3): ProbeResult {
  return {
    model,
    framework: 'pytorch',
    device: 'cpu',
    batch: 64,
    seed: 0,
    dtype: 'float32',
    inputShape: [784],
    loss: { kind: 'cross_entropy', source: 'model', value: loss },
    layers,
    verdict: judge(layers, loss),
    timings: { buildMs: 20, samplingMs: 15, sessionMs: 80, samplingWaitMs: 0, runMs: 12, totalMs: 120, sessionCached: false },
    notes: ['Dropout is the identity in the probe.'],
  };
}

/** The sample model's shape: five sigmoid layers whose gradients shrink toward the input. */
function vanishing(names = ['fc1', 'fc2', 'fc3', 'fc4', 'fc5', 'out']): ProbeResult {
  const grads = [1.81e-5, 4.83e-5, 2.44e-4, 1.77e-3, 9.7e-3, 6.36e-2];
  const stds = [0.135, 0.072, 0.066, 0.069, 0.073, 0.032];
  return result(names.map((name, i) => layer(i, name, grads[i]!, stds[i]!, i === 5 ? { activation: 'softmax', saturatedFraction: null } : {})));
}

function states(): [string, ProbePanelState][] {
  const hostile = vanishing([HOSTILE_NAME, 'fc2', '" onmouseover="alert(1)', "'><svg onload=alert(1)>", 'fc5', 'out']);
  hostile.model = HOSTILE_MODEL;
  const nonFinite = result([layer(0, 'a', NaN, NaN), layer(1, 'b', Infinity, 1), layer(2, 'c', 0, 0), layer(3, 'd', 1e-3, 0.5)]);
  const deep = result(Array.from({ length: 100 }, (_, i) => layer(i, `blocks.${i}.conv`, 1e-6 * 1.1 ** i, 0.5)));
  const lines = (r: ProbeResult) => r.layers.map((_, i) => 11 + i);
  return [
    ['running', { kind: 'running', model: HOSTILE_MODEL, stage: '<style>body{}</style>' }],
    ['a result', { kind: 'result', result: vanishing(), lines: lines(vanishing()) }],
    ['a result with hostile names', { kind: 'result', result: hostile, lines: lines(hostile) }],
    ['a result with non-finite values', { kind: 'result', result: nonFinite, lines: lines(nonFinite) }],
    ['a result of 100 layers', { kind: 'result', result: deep, lines: lines(deep) }],
    ['an error', { kind: 'error', model: HOSTILE_MODEL, message: `cannot build ${HOSTILE_NAME} <iframe srcdoc="x"></iframe>` }],
  ];
}

interface Tag {
  name: string;
  closing: boolean;
  attributes: Map<string, string>;
  /** Offset just after the tag. */
  end: number;
}

const TAG = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Every tag of the page; fails on any '<' that does not begin a well-formed tag, so nothing can hide from the checks. */
function tags(html: string): Tag[] {
  const found: Tag[] = [];
  let at = html.indexOf('<');
  while (at >= 0) {
    if (html.startsWith('<!DOCTYPE html>', at)) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    TAG.lastIndex = at;
    const match = TAG.exec(html);
    assert.ok(match, `a '<' that begins no tag at ${at}: ${html.slice(at, at + 60)}`);
    const attributes = new Map<string, string>();
    for (const attribute of match[3]!.matchAll(ATTRIBUTE)) {
      const name = attribute[1]!.toLowerCase();
      assert.ok(!attributes.has(name), `duplicate attribute ${name} in ${match[0]}`);
      attributes.set(name, attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    }
    found.push({ name: match[2]!.toLowerCase(), closing: match[1] === '/', attributes, end: TAG.lastIndex });
    at = html.indexOf('<', TAG.lastIndex);
  }
  return found;
}

// The page's own elements: HTML text and tables, the chart's SVG. No image, frame, link, form or foreign content.
const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'link', 'title', 'body', 'script', 'h1', 'p', 'div', 'span', 'strong', 'button', 'figure', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'svg', 'desc', 'g', 'rect', 'line', 'path', 'circle', 'text',
]);
const URL_ATTRIBUTES = new Set(['src', 'href', 'xlink:href', 'action', 'formaction', 'srcset', 'srcdoc', 'poster', 'data', 'background']);

function checkPolicy(content: string): void {
  const directives = new Map(
    content.split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );
  assert.equal(content.split(';')[0]!.trim(), "default-src 'none'", `the policy must start from default-src 'none': ${content}`);
  for (const [name, sources] of directives) {
    if (name === 'default-src') continue;
    assert.ok(['style-src', 'script-src', 'img-src', 'font-src'].includes(name), `directive ${name} in ${content}`);
    for (const source of sources) {
      assert.ok(source === RESOURCES.cspSource || source === `'nonce-${RESOURCES.nonce}'` || source === "'none'", `source ${source} of ${name} in ${content}`);
    }
  }
  assert.deepEqual(directives.get('script-src'), [`'nonce-${RESOURCES.nonce}'`]);
}

function checkPage(html: string): void {
  const all = tags(html);
  for (const tag of all) {
    assert.ok(ALLOWED_TAGS.has(tag.name), `<${tag.name}> is not an element of the page`);
    for (const [name, value] of tag.attributes) {
      assert.ok(!name.startsWith('on'), `inline event handler ${name}="${value}" on <${tag.name}>`);
      assert.notEqual(name, 'style', `inline style on <${tag.name}>`);
      assert.doesNotMatch(value, /javascript:/i, `${name} of <${tag.name}>`);
      if (URL_ATTRIBUTES.has(name)) {
        const allowed = (tag.name === 'script' && name === 'src' && value === RESOURCES.scriptUri) || (tag.name === 'link' && name === 'href' && value === RESOURCES.styleUri);
        assert.ok(allowed, `${name}="${value}" on <${tag.name}>`);
      }
    }
  }
  const policies = all.filter((tag) => tag.name === 'meta' && tag.attributes.get('http-equiv')?.toLowerCase() === 'content-security-policy');
  assert.equal(policies.length, 1, 'one Content-Security-Policy');
  const policy = policies[0]!;
  checkPolicy(policy.attributes.get('content')!.replace(/&#39;/g, "'"));
  const firstResource = all.findIndex((tag) => tag.name === 'script' || tag.name === 'link');
  assert.ok(all.indexOf(policy) < firstResource, 'the policy comes before any script or stylesheet');
  const scripts = all.filter((tag) => tag.name === 'script' && !tag.closing);
  assert.equal(scripts.length, 1);
  for (const script of scripts) {
    assert.equal(script.attributes.get('nonce'), RESOURCES.nonce, 'a script without the nonce');
    assert.equal(html.slice(script.end, script.end + '</script>'.length), '</script>', 'an inline script body');
  }
  // No remote URL anywhere: the only URLs are the webview's own resources.
  const rest = html.split(RESOURCES.scriptUri).join('').split(RESOURCES.styleUri).join('').split(RESOURCES.cspSource).join('');
  assert.doesNotMatch(rest, /https?:|\/\//i);
}

describe('probe panel page', () => {
  for (const [what, state] of states()) {
    it(`renders ${what} under the policy: nonce script only, no inline handler or style, no remote URL`, () => {
      checkPage(renderProbeHtml(state, RESOURCES));
    });
  }

  it('renders hostile names and messages as inert text', () => {
    for (const [, state] of states()) {
      const html = renderProbeHtml(state, RESOURCES);
      assert.ok(!html.includes('<img') && !html.includes('<iframe') && !html.includes('<style') && !html.includes('<svg onload'), html);
      assert.equal(html.split('<script').length, 2, 'one script element');
    }
    const page = renderProbeHtml(states()[2]![1], RESOURCES);
    assert.ok(page.includes('&#60;img src=x onerror=alert(1)&#62;'));
  });

  it('fails the checks on a page that breaks the policy', () => {
    const page = renderProbeHtml(states()[1]![1], RESOURCES);
    const broken = [
      page.replace(`nonce="${RESOURCES.nonce}" `, ''),
      page.replace('<h1>', '<h1 onclick="x()">'),
      page.replace('<h1>', '<h1 style="color:red">'),
      page.replace('<h1>', '<img src="https://example.com/x.png"><h1>'),
      page.replace('</body>', '<script nonce="' + RESOURCES.nonce + '">alert(1)</script></body>'),
      page.replace('default-src &#39;none&#39;', 'default-src *'),
      page.replace(`script-src &#39;nonce-${RESOURCES.nonce}&#39;`, `script-src &#39;nonce-${RESOURCES.nonce}&#39; &#39;unsafe-inline&#39;`),
      page.replace('<h1>', '<p>see //cdn.example/x</p><h1>'),
    ];
    broken.forEach((html, i) => {
      assert.notEqual(html, page, `case ${i} changed nothing`);
      assert.throws(() => checkPage(html), assert.AssertionError, `case ${i}`);
    });
  });

  it('shows every number of every layer in the table, in a sideways-scrolling region', () => {
    const probed = vanishing();
    const html = renderProbeHtml({ kind: 'result', result: probed, lines: [11, 12, 13, 14, 15, 16] }, RESOURCES);
    const table = html.slice(html.indexOf('<div class="scroll" tabindex="0" role="region"'), html.indexOf('</table>'));
    const rows = [...table.matchAll(/<tr data-index="(\d+)"[^>]*>(.*?)<\/tr>/g)];
    assert.equal(rows.length, 6);
    assert.deepEqual(
      [...rows[0]![2]!.matchAll(/<td>(.*?)<\/td>/g)].map((cell) => cell[1]),
      ['11', 'fc1', 'sigmoid', '9.500', '1.81e-5', '1.91e-6', '0.500', '0.135', '0% sat.', 'vanishing'],
    );
    assert.deepEqual(
      [...rows[5]![2]!.matchAll(/<td>(.*?)<\/td>/g)].map((cell) => cell[1]),
      ['16', 'out', 'softmax', '9.500', '0.064', '6.69e-3', '0.500', '0.032', '–', ''],
    );
    assert.match(rows[1]![0]!, /class="flagged vanishing"/);
    assert.doesNotMatch(rows[2]![0]!, /flagged/);
  });

  it('puts the chart above the table and marks the page state for the script', () => {
    const html = renderProbeHtml({ kind: 'result', result: vanishing(), lines: [11, 12, 13, 14, 15, 16] }, RESOURCES);
    assert.ok(html.indexOf('<svg class="chart"') < html.indexOf('<table>'));
    assert.match(html, /<body data-state="result">/);
    assert.match(renderProbeHtml({ kind: 'running', model: 'M' }, RESOURCES), /<body data-state="running">/);
  });
});

describe('probe diagnostics', () => {
  it('words one finding per flagged layer with its status and numbers', () => {
    const findings = probeFindings(vanishing());
    assert.deepEqual(
      findings.map(({ position, status }) => [position, status]),
      [
        [0, 'vanishing'],
        [1, 'vanishing'],
      ],
    );
    assert.equal(findings[0]!.message, "Vanishing gradient at initialization: ‖dL/dW‖ of 'fc1' is 1.81e-5, 2.85e-4× the 0.064 of the last layer 'out'.");
  });

  it('says which values overflow, and which units are dead', () => {
    const overflow = probeFindings(result([layer(0, 'a', 1, 1), layer(1, 'b', NaN, Infinity), layer(2, 'c', 1, 1)]));
    assert.deepEqual(overflow.map((finding) => finding.position), [1]);
    assert.equal(overflow[0]!.message, "Exploding at initialization: values of 'b' overflow (‖dL/dW‖ NaN, ‖dL/dW‖/‖W‖ NaN, activation std Infinity).");
    const relu = { activation: 'relu' as const, saturatedFraction: null };
    const dead = probeFindings(result([layer(0, 'a', 0.01, 1, { ...relu, deadFraction: 0.1 }), layer(1, 'b', 0.012, 1, { ...relu, deadFraction: 0.75 }), layer(2, 'c', 0.011, 1)]));
    assert.deepEqual(dead.map((finding) => [finding.position, finding.status]), [[1, 'dead']]);
    assert.equal(dead[0]!.message, "Dead ReLUs at initialization: 75% of the units of 'b' output zero for the whole batch, so they get no gradient (‖dL/dW‖ 0.012).");
  });

  it('does not compare the last layer with itself when the verdict flags it', () => {
    const probed = result([layer(0, 'a', 0.01, 1), layer(1, 'rnn', 0.02, 1)]);
    probed.verdict = { status: 'vanishing', explanation: 'Vanishing through time.', notes: [], layers: [1] };
    assert.deepEqual(probeFindings(probed), [{ position: 1, status: 'vanishing', message: "Vanishing gradient at initialization in 'rnn' (‖dL/dW‖ 0.020); the probe panel says why." }]);
  });

  it('finds nothing in a healthy model', () => {
    assert.deepEqual(probeFindings(result([layer(0, 'a', 0.01, 1), layer(1, 'b', 0.012, 1), layer(2, 'c', 0.011, 1)])), []);
  });
});
