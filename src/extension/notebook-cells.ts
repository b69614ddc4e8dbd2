// Joins a notebook's Python code cells into one program and maps places back to cells. Cells are analysed
// together because a model defined in one cell is trained in another. No `vscode` import: unit-tested directly.
import { maskIpython, type CellRange } from '../core/notebook';
import type { Span } from '../core/ir/types';

export interface CellText {
  /** The cell's index in the notebook (markdown cells count). */
  index: number;
  text: string;
}

export interface JoinedCells {
  text: string;
  cells: CellRange[];
}

/**
 * Joins cells the way the CLI reads an .ipynb file (src/core/notebook.ts): IPython magics masked to blanks of
 * the same length, cells separated by one line break, so each cell starts on a line of its own and keeps its
 * offsets relative to its start.
 */
export function joinCells(cells: readonly CellText[]): JoinedCells {
  const parts: string[] = [];
  const ranges: CellRange[] = [];
  let offset = 0;
  for (const cell of cells) {
    // Line endings stay as they are (the line index reads CRLF too), so offsets match the cell document.
    const text = maskIpython(cell.text);
    if (parts.length > 0) {
      parts.push('\n');
      offset += 1;
    }
    ranges.push({ index: cell.index, start: offset, end: offset + text.length });
    parts.push(text);
    offset += text.length;
  }
  return { text: parts.join(''), cells: ranges };
}

/** The span relative to its cell's start, or undefined when it does not lie within that one cell. */
export function spanInCell(cell: CellRange, span: Span): Span | undefined {
  if (span.start < cell.start || span.end > cell.end) return undefined;
  return { start: span.start - cell.start, end: span.end - cell.start };
}
