import { parseArgs } from 'node:util';
import { ConfigResolver } from '../../core/config';
import type { Model } from '../../core/ir/types';
import { DEVICES, ProbeWorker, type Device, type ProbeResult } from '../../core/probe';
import { trainedLoss } from '../../core/probe/trained-loss';
import { UsageError, type Io } from '../errors';
import { analyzeTargets, type AnalyzedFile } from '../run-files';
import { parseFormat } from './check';

export const PROBE_HELP = `Usage: deeplint probe PATH [options]

Runs the gradient-health probe: builds the model's forward and backward pass as an ONNX graph with its
initialization, runs one random mini-batch with onnxruntime, and reports per-layer gradient and
activation statistics with a verdict (healthy, vanishing, exploding, dead, saturated).

Options:
  --model NAME          The model to probe when PATH holds several
  --batch N             Mini-batch size (default 64, or probe.batch in the config)
  --device D            auto|cpu|cuda|dml|coreml|webgpu|wasm (default auto: GPU if available, else CPU)
  --seed S              Seed for weights and data (default 0); the same seed gives the same report
  --input-size SIZE     Per-sample input size when the code does not show it: N, C,H,W or C,L for
                        convolutions, T,F (steps, features) for recurrent layers, L (tokens) for embeddings
  --memory-budget SIZE  Refuse probes needing more than this, e.g. 512MB or 4GB (default 2GB)
  --timeout SECONDS     Give up after this long (default 30)
  --dtype float32|float64   Precision of the probe (default float32)
  --format text|json    Output format (default: text)

Exit status: 0 healthy, 1 a problem was found, 2 no model, a model the probe cannot build, or a usage error.
`;

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`--${option} must be a non-negative integer, got '${value}'`);
  return number;
}

function parseBytes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`--memory-budget must look like 512MB or 2GB, got '${value}'`);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(match[2] ?? 'B').toUpperCase() as 'B' | 'KB' | 'MB' | 'GB'];
  return Number(match[1]) * unit;
}

function parseInputSize(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const dims = value.split(/[,x×]/).map((part) => Number(part.trim()));
  if (dims.length === 0 || dims.some((dim) => !Number.isInteger(dim) || dim <= 0)) throw new UsageError(`--input-size must be N, C,H,W or T,F with positive integers, got '${value}'`);
  return dims;
}

/** JSON has no infinities or NaN: non-finite statistics are written as strings so they are not mistaken for "not applicable". */
function finite(value: number | null): number | string | null {
  if (value === null) return null;
  return Number.isFinite(value) ? value : String(value);
}

function probeJson(file: AnalyzedFile, result: ProbeResult) {
  return {
    version: 1,
    path: file.path,
    model: result.model,
    framework: result.framework,
    device: result.device,
    ...(result.fallback ? { fallback: result.fallback } : {}),
    batch: result.batch,
    seed: result.seed,
    loss: result.loss.kind,
    lossSource: result.loss.source,
    lossValue: finite(result.loss.value),
    layers: result.layers.map((layer) => ({
      index: layer.index,
      kind: layer.kind,
      ...(layer.name ? { name: layer.name } : {}),
      line: file.locate(layer.span).line,
      activation: layer.activation,
      gradNorm: finite(layer.gradNorm),
      weightNorm: finite(layer.weightNorm),
      gradToWeight: finite(layer.gradToWeight),
      biasGradNorm: finite(layer.biasGradNorm),
      actMean: finite(layer.actMean),
      actStd: finite(layer.actStd),
      preActStd: finite(layer.preActStd),
      deadFraction: finite(layer.deadFraction),
      zeroFraction: finite(layer.zeroFraction),
      saturatedFraction: finite(layer.saturatedFraction),
      gradOutNorm: finite(layer.gradOutNorm),
      status: layer.status,
      ...(layer.tensors ? { tensors: layer.tensors.map((tensor) => ({ name: tensor.name, role: tensor.role, norm: finite(tensor.norm), gradNorm: finite(tensor.gradNorm) })) } : {}),
      ...(layer.stepGradNorms ? { stepGradNorms: layer.stepGradNorms.map(finite) } : {}),
    })),
    verdict: { status: result.verdict.status, explanation: result.verdict.explanation, notes: result.verdict.notes },
    notes: result.notes,
    timings: result.timings,
  };
}

function short(value: number | null): string {
  if (value === null) return '-';
  if (!Number.isFinite(value)) return String(value);
  return value === 0 ? '0' : Math.abs(value) >= 1e4 || Math.abs(value) < 1e-2 ? value.toExponential(2) : value.toFixed(3);
}

function percent(value: number | null): string {
  return value === null ? '-' : Number.isFinite(value) ? `${(100 * value).toFixed(0)}%` : String(value);
}

function probeText(file: AnalyzedFile, model: Model, result: ProbeResult): string {
  const place = file.locate(model.nameSpan);
  // The fallback's first clause says what happened; its detail stays in the JSON output.
  const device = result.fallback ? `${result.device} (${result.fallback.split(',')[0]})` : result.device;
  const loss = `${result.loss.kind}${result.loss.source === 'default' ? ' on random targets' : ''} = ${short(result.loss.value)}`;
  const lines = [`${file.path}:${place.line}: ${result.model} (${result.framework}), device ${device}, batch ${result.batch}, seed ${result.seed}, loss ${loss}`];
  const header = ['line', 'layer', 'act', '‖W‖', '‖dL/dW‖', 'ratio', 'act mean', 'act std', 'pre std', 'dead', 'sat', ''];
  const rows = result.layers.map((layer) => [
    String(file.locate(layer.span).line),
    layer.name ?? `${layer.kind} ${layer.index}`,
    layer.activation ?? '-',
    short(layer.weightNorm),
    short(layer.gradNorm),
    short(layer.gradToWeight),
    short(layer.actMean),
    short(layer.actStd),
    short(layer.preActStd),
    percent(layer.deadFraction),
    percent(layer.saturatedFraction),
    layer.status === 'ok' ? '' : `<- ${layer.status}`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) lines.push(('  ' + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).trimEnd());
  // Layers with several weight tensors (recurrent, attention) list each one, and recurrent ones their gradient per step.
  for (const layer of result.layers) {
    const name = layer.name ?? `${layer.kind} ${layer.index}`;
    if (layer.tensors && layer.tensors.length > 1) {
      lines.push(`  ${name} tensors: ${layer.tensors.map((tensor) => `${tensor.name} ‖W‖ ${short(tensor.norm)} ‖dL/dW‖ ${short(tensor.gradNorm)}`).join(', ')}`);
    }
    if (layer.stepGradNorms && layer.stepGradNorms.length > 0) {
      lines.push(`  ${name} ‖∂L/∂h_t‖ from the first step to the last: ${layer.stepGradNorms.map(short).join(' ')}`);
    }
  }
  lines.push(`verdict: ${result.verdict.status}. ${result.verdict.explanation}`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  const t = result.timings;
  const session = `session ${t.sessionMs.toFixed(0)}${t.sessionCached ? ' (cached)' : ''}`;
  lines.push(`time: ${t.totalMs.toFixed(0)} ms (build ${t.buildMs.toFixed(0)}, ${session} with weights ${t.samplingMs.toFixed(0)} alongside, run ${t.runMs.toFixed(0)})`);
  return lines.join('\n') + '\n';
}

export async function runProbe(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      batch: { type: 'string' },
      device: { type: 'string' },
      seed: { type: 'string' },
      'input-size': { type: 'string' },
      'memory-budget': { type: 'string' },
      timeout: { type: 'string' },
      dtype: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(PROBE_HELP);
    return 0;
  }
  const format = parseFormat(values.format, ['text', 'json']);
  if (positionals.length !== 1) throw new UsageError(`probe takes one PATH (a file), got ${positionals.length}\n\n${PROBE_HELP}`);
  const device = values.device ?? undefined;
  if (device !== undefined && !DEVICES.includes(device as Device)) throw new UsageError(`unknown device '${device}'; use one of ${DEVICES.join(', ')}`);
  const dtype = values.dtype as 'float32' | 'float64' | undefined;
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64') throw new UsageError(`--dtype must be float32 or float64, got '${dtype}'`);
  const batch = positiveInteger(values.batch, 'batch');
  const seed = positiveInteger(values.seed, 'seed');
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got '${values.timeout}'`);
  const inputShape = parseInputSize(values['input-size']);
  const memoryBudget = parseBytes(values['memory-budget']);

  // The probe process starts (and loads onnxruntime) while the file is parsed.
  const worker = new ProbeWorker();
  worker.start();
  try {
    const options = { model: values.model, format, device: device as Device | undefined, dtype, batch, seed, timeout, inputShape, memoryBudget };
    return await probeFile(positionals[0]!, options, worker, io);
  } finally {
    await worker.dispose();
  }
}

interface ProbeCommandOptions {
  model: string | undefined;
  format: string;
  device: Device | undefined;
  dtype: 'float32' | 'float64' | undefined;
  batch: number | undefined;
  seed: number | undefined;
  timeout: number | undefined;
  inputShape: number[] | undefined;
  memoryBudget: number | undefined;
}

async function probeFile(target: string, options: ProbeCommandOptions, worker: ProbeWorker, io: Io): Promise<number> {
  const { model: wanted, format, device, dtype, batch, seed, timeout, inputShape, memoryBudget } = options;
  const outcome = analyzeTargets([target], new ConfigResolver());
  for (const error of outcome.errors) io.stderr(`${error.path}: error: ${error.message}\n`);
  const candidates = outcome.files.flatMap((file) => (file.analysis.program?.models ?? []).map((model) => ({ file, model })));
  if (candidates.length === 0) {
    io.stderr(`deeplint: no model found in ${target}\n`);
    return 2;
  }
  const chosen = wanted === undefined ? candidates : candidates.filter(({ model }) => model.name === wanted);
  if (chosen.length === 0) {
    io.stderr(`deeplint: no model named '${wanted}'; found ${candidates.map(({ model }) => model.name).join(', ')}\n`);
    return 2;
  }
  if (chosen.length > 1) {
    io.stderr(`deeplint: ${chosen.length} models found (${chosen.map(({ model }) => model.name).join(', ')}); pick one with --model NAME\n`);
    return 2;
  }
  const { file, model } = chosen[0]!;
  const settings = file.config.probe;
  let result: ProbeResult;
  try {
    result = await worker.probe(
      model,
      {
        batch: batch ?? settings.batch,
        seed: seed ?? settings.seed,
        device: device ?? settings.device,
        memoryBudget: memoryBudget ?? settings.memoryBudgetBytes,
        loss: trainedLoss(file.analysis.program!, model),
        ...(inputShape ? { inputShape } : {}),
        ...(dtype ? { dtype } : {}),
      },
      { timeoutMs: timeout === undefined ? settings.timeoutMs : timeout * 1000 },
    );
  } catch (error) {
    io.stderr(`deeplint: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  io.stdout(format === 'json' ? JSON.stringify(probeJson(file, result), null, 2) + '\n' : probeText(file, model, result));
  return result.verdict.status === 'healthy' ? 0 : 1;
}
