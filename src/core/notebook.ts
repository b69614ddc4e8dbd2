/** A code cell's place in the text analysed for a notebook. */
export interface CellRange {
  /** 0-based index among all cells of the notebook (markdown cells count, as editors number them). */
  index: number;
  start: number;
  end: number;
}

export interface NotebookProgram {
  text: string;
  cells: CellRange[];
}

// Cell magics whose body is still Python; any other `%%` magic (bash, html, writefile...) is not.
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);

function blank(line: string): string {
  return ' '.repeat(line.length);
}

/**
 * Masks IPython syntax in one cell so a Python parser sees valid code at the same offsets:
 * line magics, shell escapes and help queries become blanks, non-Python cell magics blank the cell.
 */
export function maskIpython(source: string): string {
  const lines = source.split('\n');
  const first = lines[0]?.trimStart() ?? '';
  if (first.startsWith('%%')) {
    const magic = /^%%(\w+)/.exec(first)?.[1] ?? '';
    if (!PYTHON_CELL_MAGICS.has(magic)) return lines.map(blank).join('\n');
    lines[0] = blank(lines[0] ?? '');
  }
  return lines
    .map((line) => {
      const trimmed = line.trimStart();
      if (/^[%!]/.test(trimmed) || /^\w+\s*=\s*[%!]/.test(trimmed)) return blank(line);
      if (/^[\w.]+\?{1,2}\s*$/.test(trimmed) || /^\?{1,2}[\w.]+\s*$/.test(trimmed)) return blank(line);
      return line;
    })
    .join('\n');
}

/** Joins a notebook's code cells into one program; throws an Error with a readable message on bad JSON. */
export function notebookToProgram(json: string): NotebookProgram {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new Error(`notebook is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cells = (document as { cells?: unknown })?.cells;
  if (!Array.isArray(cells)) throw new Error('notebook has no `cells` list');
  const parts: string[] = [];
  const ranges: CellRange[] = [];
  let offset = 0;
  cells.forEach((cell: unknown, index) => {
    if (typeof cell !== 'object' || cell === null) return;
    const { cell_type: type, source } = cell as { cell_type?: unknown; source?: unknown };
    if (type !== 'code') return;
    let text: string;
    if (typeof source === 'string') text = source;
    else if (Array.isArray(source)) text = source.map((part) => (typeof part === 'string' ? part : '')).join('');
    else return;
    text = maskIpython(text.replace(/\r\n?/g, '\n'));
    if (parts.length > 0) {
      parts.push('\n');
      offset += 1;
    }
    ranges.push({ index, start: offset, end: offset + text.length });
    parts.push(text);
    offset += text.length;
  });
  return { text: parts.join(''), cells: ranges };
}

/** The cell that holds an offset of the joined program. */
export function cellAt(cells: CellRange[], offset: number): CellRange | undefined {
  let found: CellRange | undefined;
  for (const cell of cells) {
    if (cell.start <= offset) found = cell;
    else break;
  }
  return found;
}
