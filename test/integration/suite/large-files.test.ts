import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { analyzeText } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { closeAll, codeActions, deeplintDiagnostics, diagnosticsWhere, fixture, hoverAt, open } from './helpers';

const TARGET_LINES = 10_000;
// The suite is bundled into out/test/suite-*/, three levels below the repository.
const CORPUS = path.join(__dirname, '..', '..', '..', 'test', 'corpus', 'python');

/** At least 10,000 lines of whole copies of `sources`, their top-level classes and functions renamed per copy. */
function grow(sources: string[]): string {
  const parts: string[] = [];
  let lines = 0;
  for (let copy = 0; lines < TARGET_LINES; copy++) {
    // Methods keep their names: a renamed `__init__` or `forward` would leave every model empty.
    const source = sources[copy % sources.length]!.replace(/^(class|def)\s+(\w+)/gm, (_, keyword: string, name: string) => `${keyword} ${name}${copy}`);
    parts.push(source.endsWith('\n') ? source : `${source}\n`);
    lines += source.split('\n').length;
  }
  return parts.join('');
}

/**
 * Runs `action` under the V8 profiler when DEEPLINT_IT_PROFILE names a folder, writing `<name>.cpuprofile` there:
 * the way to see which code, ours or the workbench's, holds the extension host's thread.
 */
async function profiled<T>(name: string, action: () => Promise<T>): Promise<T> {
  const folder = process.env['DEEPLINT_IT_PROFILE'];
  if (!folder) return action();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await action();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

function milliseconds(nanoseconds: number): string {
  return (nanoseconds / 1e6).toFixed(1);
}

/**
 * Opens `text` as a file, types into it, hovers and asks for code actions, and returns the longest stall of the
 * extension host's event loop meanwhile (shared by every extension), after checking the diagnostics equal the core's.
 */
async function exercise(name: string, text: string): Promise<number> {
  const uri = fixture(name);
  fs.writeFileSync(uri.fsPath, text);
  const analysis = analyzeText('python', text, defaultConfig());
  const expected = analysis.findings.length;
  // Hover the last weight layer the core found: its hover states the initialization.
  const weightLayers = analysis.program!.models.flatMap((model) => model.layers).filter((layer) => layer.init);
  const hovered = weightLayers[weightLayers.length - 1];
  assert.ok(hovered, `no weight layer in ${name}`);
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const editor = await open(uri);
  await diagnosticsWhere(uri, `${expected} diagnostics`, (found) => found.length === expected, 60_000);
  // Typing on a blank line in the middle of the file: every keystroke is an edit the worker re-analyses.
  const blank = editor.document.getText().indexOf('\n\n', Math.floor(text.length / 2)) + 1;
  const line = editor.document.positionAt(blank).line;
  const typed = '# typing';
  for (let column = 0; column < typed.length; column++) {
    await editor.edit((edit) => edit.insert(new vscode.Position(line, column), typed[column]!));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  await diagnosticsWhere(uri, 'diagnostics after typing', (found) => found.length === expected, 60_000);
  // The typing above happened before the hovered layer's line only if the layer comes later: shift it then.
  const shift = hovered.calleeSpan.start >= editor.document.offsetAt(new vscode.Position(line, 0)) ? typed.length : 0;
  await hoverAt(uri, editor.document.positionAt(hovered.calleeSpan.start + shift + 1), /weight init/);
  const first = deeplintDiagnostics(uri)[0];
  if (first) assert.ok((await codeActions(uri, first.range)).length > 0);
  stalls.disable();
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  fs.rmSync(uri.fsPath);
  return stalls.max;
}

describe('large files', () => {
  after(closeAll);

  it('analyses 10,000-line files off the extension host thread, with the same findings as the core', async function () {
    this.timeout(180_000);
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    idle.disable();
    const corpus = fs
      .readdirSync(CORPUS)
      .filter((file) => file.endsWith('.py'))
      .sort()
      .map((file) => fs.readFileSync(path.join(CORPUS, file), 'utf8'));
    const clean = await profiled('large-corpus', () => exercise('large_corpus.py', grow(corpus)));
    // Every copy of the sample model has eight findings: far more than real code, the worst case for publishing.
    const flawed = await profiled('large-flawed', () => exercise('large_flawed.py', grow([fs.readFileSync(fixture('sample_model.py').fsPath, 'utf8')])));
    console.log(
      `      extension host event loop, longest stall while opening, typing in, hovering and asking for code actions in a 10,000-line file: ` +
        `${milliseconds(clean)} ms (corpus code), ${milliseconds(flawed)} ms (about 2,000 findings); ${milliseconds(idle.max)} ms while idle`,
    );
  });
});
