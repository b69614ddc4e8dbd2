// Source edits for fixes, in the syntax of the model's framework: Python keyword arguments for PyTorch and
// Keras, option-object properties for TF.js.
import type { Framework, Layer, Model, Span } from '../ir/types';
import type { TextEdit } from './types';

/** Adds `name=value` (Python) or `name: value` (TF.js options) to a layer's call. */
export function addArgument(text: string, layer: Layer, framework: Framework, name: string, pythonValue: string, jsValue = pythonValue): TextEdit | undefined {
  const inside = layer.argsSpan;
  if (!inside) return undefined;
  const written = text.slice(inside.start, inside.end);
  if (framework === 'tfjs') {
    if (!text.slice(layer.span.start, layer.span.end).includes('{')) {
      return { span: { start: inside.start, end: inside.end }, newText: `{${name}: ${jsValue}}` };
    }
    const trimmed = written.trimEnd();
    const end = inside.start + trimmed.length;
    const separator = trimmed.trim() === '' ? '' : trimmed.endsWith(',') ? ' ' : ', ';
    return { span: { start: end, end }, newText: `${separator}${name}: ${jsValue}` };
  }
  const trimmed = written.trimEnd();
  const end = inside.start + trimmed.length;
  const separator = trimmed.trim() === '' ? '' : trimmed.endsWith(',') ? ' ' : ', ';
  return { span: { start: end, end }, newText: `${separator}${name}=${pythonValue}` };
}

/** Replaces a span's text. */
export function replace(span: Span, newText: string): TextEdit {
  return { span, newText };
}

/** The local name the file uses for torch.nn (`nn` after `import torch.nn as nn` or `from torch import nn`). */
export function torchNnAlias(text: string): string {
  if (/^\s*import\s+torch\.nn\s+as\s+nn\b/m.test(text) || /^\s*from\s+torch\s+import\s+[^\n]*\bnn\b/m.test(text)) return 'nn';
  const alias = /^\s*import\s+torch\.nn\s+as\s+(\w+)/m.exec(text);
  if (alias) return alias[1]!;
  return 'torch.nn';
}

/** The prefix a layer's constructor was written with: `layers.` for `layers.Dense`, `tf.layers.` for `tf.layers.dense`. */
export function ctorPrefix(layer: Layer): string {
  const dot = layer.ctor.lastIndexOf('.');
  return dot < 0 ? '' : layer.ctor.slice(0, dot + 1);
}

/** The indentation of the line a position is on. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Whether a span starts its own line (only whitespace before it on that line). */
export function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/**
 * Inserts a new element before `layer` in the list literal that holds it (`nn.Sequential(...)`, a Keras
 * `[...]`, a TF.js `layers: [...]`), keeping the list's layout: on its own line when the layer is.
 */
export function insertBeforeInList(text: string, layer: Layer, element: string): TextEdit | undefined {
  // Back over the whitespace before the layer, not over the file before it: this runs once per finding.
  let at = layer.span.start;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  const previous = text[at - 1];
  if (previous !== ',' && previous !== '(' && previous !== '[') return undefined;
  if (startsLine(text, layer.span.start)) {
    const indent = indentationAt(text, layer.span.start);
    return { span: { start: layer.span.start, end: layer.span.start }, newText: `${element},\n${indent}` };
  }
  return { span: { start: layer.span.start, end: layer.span.start }, newText: `${element}, ` };
}

/** The first argument's text of a call written as `fn(arg, ...)`, for unwrapping `F.softmax(out, dim=1)` to `out`. */
export function firstArgumentText(callText: string): string | undefined {
  const open = callText.indexOf('(');
  if (open < 0 || !callText.endsWith(')')) return undefined;
  let depth = 0;
  let quote: string | null = null;
  for (let index = open + 1; index < callText.length - 1; index++) {
    const char = callText[index]!;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === ',' && depth === 0) return callText.slice(open + 1, index).trim();
  }
  const whole = callText.slice(open + 1, -1).trim();
  return whole === '' ? undefined : whole;
}

/** The framework's spelling of He-normal initialization as a layer argument. */
export function heInitArgument(model: Model): { name: string; value: string } {
  return model.framework === 'tfjs' ? { name: 'kernelInitializer', value: "'heNormal'" } : { name: 'kernel_initializer', value: '"he_normal"' };
}
