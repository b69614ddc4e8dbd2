import { strict as assert } from 'node:assert';
import { maskIpython, notebookToProgram, cellAt } from '../../../src/core/notebook';

describe('notebooks', () => {
  it('joins code cells, skipping markdown, and maps offsets back to cells', () => {
    const json = JSON.stringify({
      cells: [
        { cell_type: 'code', source: ['import torch\n', 'x = 1'] },
        { cell_type: 'markdown', source: '# Title' },
        { cell_type: 'code', source: 'y = 2\n' },
      ],
    });
    const program = notebookToProgram(json);
    assert.equal(program.text, 'import torch\nx = 1\ny = 2\n');
    assert.deepEqual(program.cells.map((cell) => cell.index), [0, 2]);
    assert.equal(cellAt(program.cells, program.text.indexOf('y'))?.index, 2);
  });

  it('masks magics and shell escapes without moving offsets', () => {
    const source = '%matplotlib inline\n!pip install torch\nfiles = !ls\nx = 1\nmodel?\n';
    const masked = maskIpython(source);
    assert.equal(masked.length, source.length);
    assert.equal(masked.split('\n')[3], 'x = 1');
    assert.ok(!/[%!?]/.test(masked));
  });

  it('blanks non-Python cell magics but keeps %%time bodies', () => {
    assert.equal(maskIpython('%%bash\nls -la').trim(), '');
    assert.equal(maskIpython('%%time\nx = 1').trim(), 'x = 1');
  });

  it('gives readable errors for broken notebooks', () => {
    assert.throws(() => notebookToProgram('{"cells": [}'), /not valid JSON/);
    assert.throws(() => notebookToProgram('{"metadata": {}}'), /no `cells` list/);
    assert.equal(notebookToProgram('{"cells": [{"cell_type": "code", "source": 42}, 7]}').text, '');
  });
});
