// The text edit behind "Disable DLxxx for this line": a trailing `deeplint: ignore[...]` comment, merged into
// one already on the line. No `vscode` import: unit-tested directly.

/** A replacement of the characters [start, end) of one line. */
export interface LineEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Adds `code` to the line's suppression comment, or appends a new one. Returns undefined when the line
 * already suppresses the code (or every code).
 */
export function suppressionEdit(lineText: string, code: string, marker: '#' | '//'): LineEdit | undefined {
  const escaped = marker === '#' ? '#' : '\\/\\/';
  const existing = new RegExp(`${escaped}\\s*deeplint:\\s*ignore\\b(?!-file)(\\[([^\\]\\n]*)\\])?`).exec(lineText);
  if (existing) {
    const list = existing[2];
    if (list === undefined) return undefined;
    const codes = list.split(/[\s,]+/).filter(Boolean).map((entry) => entry.toUpperCase());
    if (codes.includes(code.toUpperCase())) return undefined;
    const close = existing.index + existing[0].length - 1;
    return { start: close, end: close, text: codes.length === 0 ? code : `, ${code}` };
  }
  // Trailing whitespace is replaced so the comment ends the line.
  const content = lineText.trimEnd();
  return { start: content.length, end: lineText.length, text: `${content.length === 0 ? '' : '  '}${marker} deeplint: ignore[${code}]` };
}
