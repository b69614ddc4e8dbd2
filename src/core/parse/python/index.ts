import type { Program } from '../../ir/types';

/** Parses Python source into the model IR. */
export function parsePython(text: string): Program {
  void text;
  return { language: 'python', models: [], losses: [], optimizers: [], loops: [], noGrad: [], modeCalls: [], syntaxErrors: [] };
}
