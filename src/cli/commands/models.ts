import { parseArgs } from 'node:util';
import { ConfigResolver } from '../../core/config';
import { nonTrainableCount, nonTrainableOf } from '../../core/ir/non-trainable';
import type { InitInfo, Layer, Model } from '../../core/ir/types';
import type { Io } from '../errors';
import { parseFormat } from './check';
import { analyzeTargets, type AnalyzedFile } from '../run-files';

export const MODELS_HELP = `Usage: deeplint models [PATH...] [--format text|json]

Prints the models DeepLint sees: layers in data-flow order, sizes, parameter counts and initialization.
`;

function initJson(init: InitInfo | undefined) {
  return init ? { name: init.name, source: init.source, dist: init.dist } : null;
}

function layerJson(file: AnalyzedFile, layer: Layer) {
  const moving = nonTrainableOf(layer);
  return {
    kind: layer.kind,
    ctor: layer.ctor,
    ...(layer.name ? { name: layer.name } : {}),
    line: file.locate(layer.span).line,
    ...(layer.activation ? { activation: layer.activation } : {}),
    in: layer.in,
    out: layer.out,
    parameterCount: layer.params,
    ...(moving !== 0 ? { nonTrainableCount: moving } : {}),
    init: initJson(layer.init),
    ...(layer.repeat !== undefined && layer.repeat !== 1 ? { repeat: layer.repeat } : {}),
    ...(layer.tiedWeight !== undefined ? { tiedWeight: layer.tiedWeight } : {}),
    // The sizes and parameter count above are the whole wrapper's; kind, ctor and init are the wrapped layer's.
    ...(layer.wrapper ? { wrapper: { kind: layer.wrapper.kind, ctor: layer.wrapper.ctor, ...(layer.wrapper.mergeMode !== undefined ? { mergeMode: layer.wrapper.mergeMode } : {}) } } : {}),
  };
}

function modelJson(file: AnalyzedFile, model: Model, models: readonly Model[]) {
  const place = file.locate(model.nameSpan);
  const moving = nonTrainableCount(model, models);
  return {
    path: file.path,
    name: model.name,
    framework: model.framework,
    line: place.line,
    ...(place.cell === undefined ? {} : { cell: place.cell }),
    parameterCount: model.parameterCount,
    // Keras's summary and tfjs's countParams() add these to the trainable count above.
    ...(moving !== undefined ? { nonTrainableCount: moving } : {}),
    layers: model.layers.map((layer) => layerJson(file, layer)),
  };
}

function formatCount(count: number | null): string {
  return count === null ? 'unknown' : count.toLocaleString('en-US');
}

export function runModels(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(MODELS_HELP);
    return 0;
  }
  const format = parseFormat(values.format, ['text', 'json']);
  const outcome = analyzeTargets(positionals.length > 0 ? positionals : ['.'], new ConfigResolver());
  const models = outcome.files.flatMap((file) => (file.analysis.program?.models ?? []).map((model, _, all) => modelJson(file, model, all)));
  if (format === 'json') {
    io.stdout(JSON.stringify({ version: 1, models, errors: outcome.errors }, null, 2) + '\n');
    return 0;
  }
  const out: string[] = [];
  for (const model of models) {
    const moving = model.nonTrainableCount !== undefined ? ` + ${formatCount(model.nonTrainableCount)} non-trainable` : '';
    out.push(`${model.path}:${model.line}: ${model.name} (${model.framework}), ${formatCount(model.parameterCount)} parameters${moving}`);
    for (const layer of model.layers) {
      const size = layer.in !== null || layer.out !== null ? ` ${layer.in ?? '?'} -> ${layer.out ?? '?'}` : '';
      const activation = layer.activation ? ` ${layer.activation}` : '';
      const wrapper = layer.wrapper ? ` in ${layer.wrapper.ctor}` : '';
      const init = layer.init ? ` init=${layer.init.name}${layer.init.source === 'default' ? ' (default)' : ''}` : '';
      const tied = layer.tiedWeight !== undefined ? ` weight tied to ${layer.tiedWeight}` : '';
      // A layer built in a loop stands for its copies: the count is one copy's, the model's total has them all.
      const copies = 'repeat' in layer ? ` x${layer.repeat ?? '?'}` : '';
      const layerMoving = layer.nonTrainableCount !== undefined ? ` non-trainable=${formatCount(layer.nonTrainableCount)}` : '';
      out.push(`  ${String(layer.line).padStart(5)}  ${layer.kind}${activation}${wrapper}${size}  params=${formatCount(layer.parameterCount)}${layerMoving}${copies}${init}${tied}`);
    }
  }
  for (const error of outcome.errors) out.push(`${error.path}: error: ${error.message}`);
  if (models.length === 0) out.push('No models found.');
  io.stdout(out.join('\n') + '\n');
  return 0;
}
