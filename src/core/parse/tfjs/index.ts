import type { Program } from '../../ir/types';
import type { TfjsParseOptions } from './frontend';

type FrontEnd = typeof import('./frontend');
let frontEnd: FrontEnd | undefined;

/**
 * Loads the TF.js front end on first use. In the bundles esbuild rewrites this require to the separate
 * `tfjs-frontend.js` bundle, so the TypeScript compiler it carries is read only when a JS/TS file is analysed.
 */
export function loadTfjsFrontEnd(): FrontEnd {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point here.
  frontEnd ??= require('./frontend') as FrontEnd;
  return frontEnd;
}

/** Whether the front end has been loaded (for tests and the activation benchmark). */
export function isTfjsFrontEndLoaded(): boolean {
  return frontEnd !== undefined;
}

// A file that never mentions TensorFlow cannot hold a TF.js model; skipping it keeps large JS projects cheap.
const MENTIONS_TFJS = /@tensorflow\/tfjs|\btf\s*\.\s*(layers|sequential|model|input|variable|train)\b/;

export function parseJavaScript(text: string, options: TfjsParseOptions): Program {
  if (!MENTIONS_TFJS.test(text)) {
    return { language: options.language, models: [], losses: [], optimizers: [], loops: [], noGrad: [], modeCalls: [], syntaxErrors: [] };
  }
  return loadTfjsFrontEnd().parseTfjs(text, options);
}
