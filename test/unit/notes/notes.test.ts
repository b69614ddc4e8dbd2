import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultNotesDir, editDistance, loadNotes, normalizeName, parseNote } from '../../../src/core/notes/store';
import { renderHover, renderNoteMarkdown, renderRuleMarkdown, renderTerminal } from '../../../src/core/notes/render';
import { RULES } from '../../../src/core/rules/registry';
import { cli, tempTree } from '../cli/helpers';

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
  [11, 'Activation Functions', ['activation-functions', 'relu', 'leaky-relu', 'gelu', 'silu', 'sigmoid', 'tanh', 'softmax', 'elu-selu']],
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

  it('have aliases unless purely conceptual, and no API name normalises to two different notes', () => {
    const conceptual = new Set(['deep-learning', 'dl-vs-traditional-ml']);
    const owner = new Map<string, string>();
    for (const note of store.all()) {
      if (!conceptual.has(note.id)) assert.ok(note.aliases.length > 0, `${note.id} has no aliases`);
      for (const alias of note.aliases) {
        const key = normalizeName(alias);
        assert.ok(!owner.has(key) || owner.get(key) === note.id, `${alias} (${note.id}) collides with a name of ${owner.get(key)}`);
        owner.set(key, note.id);
        // Any module prefix in front of the alias's last name reaches the same note.
        const last = alias.replace(/^['"]|['"]$/g, '').split('.').pop()!;
        for (const prefix of ['torch.nn.', 'tf.keras.layers.', 'keras.', 'F.']) {
          assert.equal(store.lookup(prefix + last)?.id, note.id, `${prefix + last} should reach ${note.id}`);
        }
      }
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
      ['torch.nn.functional.relu', 'relu'],
      ['tf.keras.layers.Dense', 'linear-layer'],
      ['keras.layers.Dense', 'linear-layer'],
      ['tf.layers.dense', 'linear-layer'],
      ['"sigmoid"', 'sigmoid'],
      ['nn.Sigmoid', 'sigmoid'],
      ['he_normal', 'weight-initialization'],
      ['keras.initializers.HeNormal', 'weight-initialization'],
      ['loss.backward', 'backpropagation'],
      ['transforms.RandomHorizontalFlip', 'data-augmentation'],
      ['optim.SGD', 'sgd-momentum'],
      ['nn.SELU', 'elu-selu'],
      ['nn.BCEWithLogitsLoss', 'loss-functions'],
      ['from_logits', 'logits'],
      ['model.eval', 'train-eval-mode'],
      ['optimizer.zero_grad', 'zero-grad'],
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

  it('parse the front matter subset: scalars, inline lists with quotes, and block lists', () => {
    const note = parseNote(
      [
        '---',
        'id: x',
        "title: 'Quoted: title'",
        'summary: A summary: with a colon.',
        `aliases: ['relu', "a, b", nn.ReLU]`,
        'related:',
        '  - y',
        '  - "z"',
        'seed: [3, 11]',
        '---',
        'Body.',
      ].join('\r\n'),
      'x.md',
    );
    assert.equal(note.title, 'Quoted: title');
    assert.equal(note.summary, 'A summary: with a colon.');
    assert.deepEqual(note.aliases, ['relu', 'a, b', 'nn.ReLU']);
    assert.deepEqual(note.related, ['y', 'z']);
    assert.deepEqual(note.seed, [3, 11]);
    assert.equal(note.body, 'Body.');
  });

  it('report malformed notes clearly', () => {
    assert.throws(() => parseNote('no front matter', 'x.md'), /x.md: missing front matter/);
    assert.throws(() => parseNote('---\nid: x\n---\nbody', 'x.md'), /needs `title`/);
    assert.throws(() => parseNote('---\nid: x\nid: y\n---\n', 'x.md'), /`id` appears twice/);
    assert.throws(() => parseNote('---\n- stray\n---\n', 'x.md'), /list item outside a list/);
    assert.throws(() => parseNote('---\njust words\n---\n', 'x.md'), /not `key: value`: just words/);
    assert.throws(() => parseNote('---\nid: x\ntitle: X\nsummary: S\nseed: [two]\n---\n', 'x.md'), /seed section 'two'/);
    assert.equal(defaultNotesDir().endsWith(path.join('media', 'notes')), true);
  });

  it('load the good notes of a folder and name the bad ones, without throwing', () => {
    const dir = tempTree({
      'good.md': '---\nid: good\ntitle: Good\nsummary: Fine.\naliases: [goodThing]\n---\nText.\n',
      'broken.md': 'no front matter here\n',
      'renamed.md': '---\nid: other\ntitle: Other\nsummary: Fine.\n---\n',
      'readme.txt': 'not a note',
    });
    const loaded = loadNotes(dir);
    assert.deepEqual(loaded.store.all().map((note) => note.id), ['good', 'other']);
    assert.equal(loaded.store.lookup('good_thing')?.id, 'good');
    assert.equal(loaded.problems.length, 2);
    assert.match(loaded.problems[0]!, /broken.md: missing front matter/);
    assert.match(loaded.problems[1]!, /renamed.md: id `other` does not match the file name/);
    assert.match(loadNotes(path.join(dir, 'missing')).problems[0]!, /cannot read notes folder .*ENOENT/);
  });

  it('suggest notes for misspelt topics', () => {
    assert.equal(editDistance('dropout', 'dropuot'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(store.suggest('dropuot')[0]?.id, 'dropout');
    assert.equal(store.suggest('kaimng_normal')[0]?.id, 'weight-initialization');
    assert.deepEqual(store.suggest('quantum annealing'), []);
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
    const plain = renderTerminal('# Title\n\nSome **bold**, _italic_ and `code`; [a link](https://x.test).\n\n```python\nx = 1\n```\n', false);
    assert.equal(plain, 'TITLE\n\nSome bold, italic and code; a link (https://x.test).\n\n    x = 1\n');
    assert.match(renderTerminal('# Title', true), /\u001b\[1mTITLE/);
    assert.equal(renderTerminal('## Sub **bold**', true), '\u001b[1mSub bold\u001b[22m\n');
    const table = renderTerminal('| layer | count |\n| --- | --- |\n| `Linear` | in·out + out |\n| a \\| b | **2** |\n', true);
    assert.equal(
      table,
      ['layer   count', '------  ------------', 'Linear  in·out + out', 'a | b   \u001b[1m2\u001b[22m'].join('\n') + '\n',
    );
  });

  it('renders a whole note with its API names and related topics', () => {
    const markdown = renderNoteMarkdown(store.get('dropout')!);
    assert.match(markdown, /^# Dropout\n\n_Dropout zeroes/);
    assert.match(markdown, /Explains: `nn.Dropout`, `F.dropout`/);
    assert.match(markdown, /See also: overfitting, train-eval-mode, weight-decay/);
  });

  it('renders rule documentation through the same module', function () {
    const rule = RULES.find((candidate) => candidate.code !== 'DL001') ?? RULES[0];
    if (!rule) this.skip();
    const markdown = renderRuleMarkdown(rule);
    assert.match(markdown, new RegExp(`^# ${rule.code} ${rule.name}`));
    assert.match(renderTerminal(markdown, false), new RegExp(`^${rule.code} ${rule.name}`.toUpperCase()));
  });

  it('explains topics by id, API name or words, and exits 2 with suggestions otherwise', async () => {
    const byName = await cli('explain', 'nn.BatchNorm2d');
    assert.equal(byName.status, 0);
    assert.match(byName.stdout, /^BATCH NORMALIZATION/);
    assert.match((await cli('explain', 'exploding', 'gradients')).stdout, /VANISHING AND EXPLODING GRADIENTS/);
    const missing = await cli('explain', 'quantum', 'annealing');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no note about 'quantum annealing' \(deeplint explain --list/);
    const typo = await cli('explain', 'dropuot');
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /did you mean: dropout/);
    assert.match((await cli('explain', '--format', 'markdown', "'relu'")).stdout, /^# ReLU\n/);
    assert.match((await cli('explain', '--list')).stdout, /^activation-functions\s/m);
  });
});
