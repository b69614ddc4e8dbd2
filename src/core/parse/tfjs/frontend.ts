// TF.js front end: typescript-estree's ESTree → the model IR. It lives in its own bundle because the
// TypeScript compiler it pulls in is large; nothing on the Python path or at extension activation loads it.
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { Program } from '../../ir/types';
import { extractTfjs } from './extract';

export interface TfjsParseOptions {
  /** Parse JSX syntax (.jsx/.tsx files). */
  jsx: boolean;
  language: 'javascript' | 'typescript';
}

/**
 * Parses TF.js model code into the IR. typescript-estree stops at the first syntax error, so a file that
 * does not parse yields no models and one syntax error; editors keep showing the last good analysis meanwhile.
 */
export function parseTfjs(text: string, options: TfjsParseOptions): Program {
  let ast: TSESTree.Program;
  try {
    ast = parse(text, { range: true, loc: false, jsx: options.jsx, comment: false, tokens: false, errorOnUnknownASTType: false });
  } catch (error) {
    const index = typeof (error as { index?: unknown }).index === 'number' ? (error as { index: number }).index : 0;
    const message = error instanceof RangeError ? 'the file is nested too deeply to parse' : error instanceof Error ? error.message : String(error);
    return {
      language: options.language,
      models: [],
      losses: [],
      optimizers: [],
      loops: [],
      noGrad: [],
      modeCalls: [],
      syntaxErrors: [{ span: { start: index, end: index }, message }],
    };
  }
  return extractTfjs(text, ast, options.language);
}
