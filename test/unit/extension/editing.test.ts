import { strict as assert } from 'node:assert';
import { notebookToProgram } from '../../../src/core/notebook';
import { joinCells, spanInCell } from '../../../src/extension/notebook-cells';
import { suppressionEdit } from '../../../src/extension/suppression-comment';

function apply(line: string, edit: { start: number; end: number; text: string } | undefined): string | undefined {
  return edit && line.slice(0, edit.start) + edit.text + line.slice(edit.end);
}

describe('suppression comments', () => {
  it('appends a comment to a line without one, replacing trailing blanks', () => {
    assert.equal(apply('    nn.Sigmoid(),   ', suppressionEdit('    nn.Sigmoid(),   ', 'DL201', '#')), '    nn.Sigmoid(),  # deeplint: ignore[DL201]');
    assert.equal(apply('  model.add(x);', suppressionEdit('  model.add(x);', 'DL303', '//')), '  model.add(x);  // deeplint: ignore[DL303]');
  });

  it('merges into the line’s existing suppression, after another comment too', () => {
    const line = 'x = f(y)  # keep this  # deeplint: ignore[DL304]';
    assert.equal(apply(line, suppressionEdit(line, 'DL201', '#')), 'x = f(y)  # keep this  # deeplint: ignore[DL304, DL201]');
    assert.equal(apply('x  # deeplint: ignore[]', suppressionEdit('x  # deeplint: ignore[]', 'DL201', '#')), 'x  # deeplint: ignore[DL201]');
  });

  it('does nothing when the code (or every code) is already suppressed on the line', () => {
    assert.equal(suppressionEdit('x  # deeplint: ignore[dl201, DL304]', 'DL201', '#'), undefined);
    assert.equal(suppressionEdit('x  # deeplint: ignore', 'DL201', '#'), undefined);
  });

  it('leaves file-level directives and the other language’s marker alone', () => {
    const file = 'x  # deeplint: ignore-file[DL301]';
    assert.equal(apply(file, suppressionEdit(file, 'DL201', '#')), `${file}  # deeplint: ignore[DL201]`);
    const js = 'f(x) // deeplint: ignore[DL201]';
    assert.equal(apply(js, suppressionEdit(js, 'DL303', '#')), `${js}  # deeplint: ignore[DL303]`);
  });
});

describe('notebook cells', () => {
  const cells = [
    { index: 1, text: '%matplotlib inline\nimport torch' },
    { index: 2, text: 'model = torch.nn.Linear(2, 2)' },
    { index: 4, text: '!pip install x\nmodel.eval()' },
  ];

  it('joins code cells as the CLI reads an .ipynb file, magics masked to blanks of the same length', () => {
    const joined = joinCells(cells);
    const notebook = notebookToProgram(
      JSON.stringify({ cells: [{ cell_type: 'markdown', source: '# t' }, ...cells.map((cell) => ({ cell_type: 'code', source: cell.text }))] }),
    );
    assert.equal(joined.text, notebook.text);
    assert.deepEqual(joined.cells.map((cell) => [cell.start, cell.end]), notebook.cells.map((cell) => [cell.start, cell.end]));
    assert.deepEqual(joined.cells.map((cell) => cell.index), [1, 2, 4]);
    for (const [i, cell] of joined.cells.entries()) assert.equal(cell.end - cell.start, cells[i]!.text.length);
    assert.equal(joined.text.slice(joined.cells[1]!.start, joined.cells[1]!.end), cells[1]!.text);
  });

  it('maps a span into its cell, and refuses one that crosses cells', () => {
    const joined = joinCells(cells);
    const second = joined.cells[1]!;
    const at = joined.text.indexOf('Linear');
    assert.deepEqual(spanInCell(second, { start: at, end: at + 6 }), { start: at - second.start, end: at - second.start + 6 });
    assert.equal(spanInCell(second, { start: second.start - 3, end: second.start + 2 }), undefined);
    assert.equal(spanInCell(joined.cells[0]!, { start: at, end: at + 1 }), undefined);
  });
});
