// What the analysis benchmark times, bundled by esbuild as the CLI and the editor's worker bundle it.
export { parser } from '@lezer/python';
export { analyzeText } from '../src/core/analyze';
export { defaultConfig } from '../src/core/config';
export { DocumentAnalyzer } from '../src/core/document';

/** typescript-estree, loaded on first use so that the TF.js front end's cold load is still timed cold. */
export function estree(): typeof import('@typescript-eslint/typescript-estree') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@typescript-eslint/typescript-estree') as typeof import('@typescript-eslint/typescript-estree');
}
