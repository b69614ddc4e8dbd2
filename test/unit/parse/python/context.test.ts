// The file context finds syntax errors and imports by scanning the tree's arrays, and walks each top-level
// statement only when a pass asks about it. Both must give what one walk of every node of the tree gives.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { UNKNOWN } from '../../../../src/core/ir/types';
import { FileContext, type NodeIndex } from '../../../../src/core/parse/python/context';
import { seededRandom } from '../../../fuzz/harness';

const CORPUS = path.join(__dirname, '../../../corpus/python');
const FILES = fs
  .readdirSync(CORPUS)
  .filter((name) => name.endsWith('.py'))
  .sort()
  .map((name) => ({ name, text: fs.readFileSync(path.join(CORPUS, name), 'utf8') }));

const KINDS: Record<string, keyof NodeIndex> = {
  CallExpression: 'calls',
  AssignStatement: 'assignments',
  ForStatement: 'loops',
  WhileStatement: 'loops',
  WithStatement: 'withs',
  DecoratedStatement: 'decorated',
  FunctionDefinition: 'functions',
};

/** The reference: every node of the tree visited by lezer's own iteration, in document order. */
function walkEverything(tree: Tree): { errors: { from: number; to: number }[]; index: Record<keyof NodeIndex, [number, number][]> } {
  const errors: { from: number; to: number }[] = [];
  const index: Record<keyof NodeIndex, [number, number][]> = { calls: [], assignments: [], loops: [], withs: [], decorated: [], functions: [] };
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push({ from: node.from, to: node.to });
      const kind = KINDS[node.name];
      if (kind) index[kind].push([node.from, node.to]);
    },
  });
  return { errors, index };
}

function ranges(nodes: readonly SyntaxNode[]): [number, number][] {
  return nodes.map((node) => [node.from, node.to]);
}

/** A copy of the text with a few characters deleted or brackets and colons inserted, at seeded random places. */
function damaged(text: string, seed: number): string {
  const random = seededRandom(seed);
  let result = text;
  for (let edit = 0; edit < 6; edit++) {
    const at = Math.floor(random() * result.length);
    result = random() < 0.5 ? result.slice(0, at) + result.slice(at + 1 + Math.floor(random() * 8)) : result.slice(0, at) + ['(', ')', ':', '[', '"'][Math.floor(random() * 5)]! + result.slice(at);
  }
  return result;
}

describe('the file context', () => {
  for (const [index, file] of FILES.entries()) {
    for (const [label, text] of [
      ['as written', file.text],
      ['damaged', damaged(file.text, 1000 + index)],
    ] as const) {
      it(`finds the errors and nodes one walk of every node finds, in ${file.name} ${label}`, () => {
        const tree = parser.parse(text);
        const reference = walkEverything(tree);
        const ctx = new FileContext(text, tree);
        assert.deepEqual(ctx.errors, reference.errors);
        // Each top-level node first, then the whole file from what those walks left, then nested functions.
        for (const node of ctx.topLevelNodes) {
          const own = ctx.nodesIn(node);
          for (const kind of Object.keys(reference.index) as (keyof NodeIndex)[]) {
            const expected = reference.index[kind].filter(([from]) => node.from <= from && from < node.to);
            assert.deepEqual(ranges(own[kind]), expected, `${kind} in the statement at ${node.from}`);
          }
        }
        for (const kind of Object.keys(reference.index) as (keyof NodeIndex)[]) assert.deepEqual(ranges(ctx.index[kind]), reference.index[kind], kind);
        for (const fn of ctx.index.functions) {
          const expected = reference.index.calls.filter(([from]) => fn.from <= from && from < fn.to);
          assert.deepEqual(ranges(ctx.nodesIn(fn).calls), expected, `calls in the function at ${fn.from}`);
        }
      });
    }
  }

  it('evaluates string constants: plain, empty, triple-quoted, escaped and raw; bytes and adjacent literals stay unknown', () => {
    const text = [
      `plain = "relu"`,
      `single = 'same'`,
      `empty = ''`,
      `triple = '''a'b'''`,
      `escaped = "say \\"hi\\"\\n"`,
      `raw = r"a\\nb"`,
      `joined = "a" "b"`,
      `data = b"x"`,
      '',
    ].join('\n');
    const ctx = new FileContext(text, parser.parse(text));
    const value = (name: string) => ctx.moduleScope.lookup(name);
    assert.equal(value('plain'), 'relu');
    assert.equal(value('single'), 'same');
    assert.equal(value('empty'), '');
    assert.equal(value('triple'), "a'b");
    assert.equal(value('escaped'), 'say "hi"\n');
    assert.equal(value('raw'), 'a\\nb');
    // Adjacent literals are not joined: the evaluator leaves them unknown.
    assert.deepEqual(value('joined'), UNKNOWN);
    assert.deepEqual(value('data'), UNKNOWN);
  });

  it('reads imports wherever they stand, later ones rebinding a name', () => {
    const text = `import torch\n\ntry:\n    import keras.layers as L\nexcept ImportError:\n    pass\n\n\ndef build():\n    from torch import nn as L\n    return L.Linear(2, 2)\n\n\nclass Net:\n    def f(self):\n        import torch.nn.functional as F\n`;
    const ctx = new FileContext(text, parser.parse(text));
    assert.equal(ctx.names.qualify('L.Linear'), 'torch.nn.Linear');
    assert.equal(ctx.names.qualify('F.relu'), 'torch.nn.functional.relu');
    assert.equal(ctx.names.isImported('torch'), true);
  });
});
