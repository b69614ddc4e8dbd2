import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultNotesDir, loadNotes, parseNote } from '../../../src/core/notes/store';
import { renderHover, renderTerminal } from '../../../src/core/notes/render';
import { RULES } from '../../../src/core/rules/registry';
import { cli } from '../cli/helpers';

const ROOT = path.join(__dirname, '../../..');
const { store, problems } = loadNotes(path.join(ROOT, 'media/notes'));

// Every section of the user's seed notes, and the notes that must cover it.
const SEED_SECTIONS: [number, string, string[]][] = [
  [1, 'What is Deep Learning?', ['deep-learning']],
  [2, 'Difference vs Traditional ML', ['dl-vs-traditional-ml']],
  [3, 'Backpropagation', ['backpropagation']],
  [4, 'Why Mini-Batch Training?', ['mini-batch-training']],
  [5, 'Representation Learning', ['representation-learning']],
  [6, 'Dropout', ['dropout']],
  [7, 'Weight Initialization', ['weight-initialization']],
  [8, 'Data Augmentation', ['data-augmentation']],
  [9, 'Overfitting in DL → Mitigations', ['overfitting']],
  [10, 'Vanishing & Exploding Gradients', ['vanishing-exploding-gradients']],
  [11, 'Activation Functions', ['activation-functions', 'relu', 'leaky-relu', 'gelu', 'silu', 'sigmoid', 'tanh', 'softmax']],
];

describe('concept notes', () => {
  it('load without problems, each id matching its file', () => {
    assert.deepEqual(problems, []);
    assert.ok(store.all().length >= 40);
  });

  it('cover every section of the seed notes', () => {
    const seed = fs.readFileSync(path.join(ROOT, '../shared/seeds/dl-fundamentals-notes.md'), 'utf8');
    for (const [number, title, ids] of SEED_SECTIONS) {
      assert.ok(seed.includes(`## ${number}. ${title}`), `seed section ${number} renamed?`);
      for (const id of ids) {
        const note = store.get(id);
        assert.ok(note, `no note ${id} for seed section ${number}`);
        assert.ok(note.seed.includes(number), `${id} does not claim seed section ${number}`);
      }
    }
  });

  it('exist for every concept a rule names', () => {
    for (const rule of RULES) {
      for (const concept of rule.docs.concepts) assert.ok(store.get(concept), `${rule.code} names concept '${concept}' with no note`);
    }
  });

  it('have summaries, existing related ids, and reachable aliases', () => {
    for (const note of store.all()) {
      assert.ok(note.summary.length > 40, `${note.id} summary too short`);
      for (const related of note.related) assert.ok(store.get(related), `${note.id} relates to missing ${related}`);
      for (const alias of note.aliases) assert.equal(store.lookup(alias)?.id, note.id, `alias ${alias} of ${note.id} resolves elsewhere`);
    }
  });

  it('resolve API names as people write them', () => {
    const expectations: [string, string][] = [
      ['nn.Dropout', 'dropout'],
      ['torch.nn.Dropout', 'dropout'],
      ['layers.Dropout', 'dropout'],
      ['tf.layers.dropout', 'dropout'],
      ["'relu'", 'relu'],
      ['kaimingNormal', 'weight-initialization'],
      ['nn.init.kaiming_normal_', 'weight-initialization'],
      ['heNormal', 'weight-initialization'],
      ['torch.optim.AdamW', 'adam-adamw'],
      ['nn.BatchNorm2d', 'batch-normalization'],
      ['clip_grad_norm_', 'gradient-clipping'],
      ['DataLoader', 'mini-batch-training'],
    ];
    for (const [name, id] of expectations) assert.equal(store.lookup(name)?.id, id, name);
  });

  it('are written in our own words: no run of 8 words copied from the seed', () => {
    const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter(Boolean);
    const seedWords = words(fs.readFileSync(path.join(ROOT, '../shared/seeds/dl-fundamentals-notes.md'), 'utf8'));
    const shingles = new Set<string>();
    for (let i = 0; i + 8 <= seedWords.length; i++) shingles.add(seedWords.slice(i, i + 8).join(' '));
    for (const note of store.all()) {
      const noteWords = words(`${note.summary} ${note.body}`);
      for (let i = 0; i + 8 <= noteWords.length; i++) {
        assert.ok(!shingles.has(noteWords.slice(i, i + 8).join(' ')), `${note.id} repeats the seed: "${noteWords.slice(i, i + 8).join(' ')}"`);
      }
    }
  });

  it('report malformed notes clearly', () => {
    assert.throws(() => parseNote('no front matter', 'x.md'), /missing front matter/);
    assert.throws(() => parseNote('---\nid: x\n---\nbody', 'x.md'), /needs `title`/);
    assert.equal(defaultNotesDir().endsWith(path.join('media', 'notes')), true);
  });
});

describe('notes renderer and deeplint explain', () => {
  it('renders hovers with summary, facts and findings', () => {
    const markdown = renderHover({
      note: store.get('dropout')!,
      facts: [{ label: 'rate', value: '0.5' }],
      findings: [{ code: 'DL302', message: 'Dropout on the output.', fixTitle: 'Move it' }],
    });
    assert.match(markdown, /\*\*Dropout\*\* — Dropout zeroes/);
    assert.match(markdown, /\| rate \| 0.5 \|/);
    assert.match(markdown, /\*\*DL302\*\* Dropout on the output. _Quick fix: Move it._/);
  });

  it('renders markdown readably for the terminal, with colour only when asked', () => {
    const plain = renderTerminal('# Title\n\nSome **bold** and `code`.\n\n```\nx = 1\n```\n', false);
    assert.equal(plain, 'TITLE\n\nSome bold and code.\n\n    x = 1\n');
    assert.match(renderTerminal('# Title', true), /\u001b\[1mTITLE/);
  });

  it('explains topics by id, API name or words, and exits 2 with suggestions otherwise', async () => {
    const byName = await cli('explain', 'nn.BatchNorm2d');
    assert.equal(byName.status, 0);
    assert.match(byName.stdout, /^BATCH NORMALIZATION/);
    assert.match((await cli('explain', 'exploding', 'gradients')).stdout, /VANISHING AND EXPLODING GRADIENTS/);
    const missing = await cli('explain', 'quantum', 'annealing');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no note about 'quantum annealing'/);
    assert.match((await cli('explain', '--list')).stdout, /^activation-functions\s/m);
  });
});
