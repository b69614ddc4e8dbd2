// The regression corpus is well-written model code in the style of real projects: every rule must stay
// silent on it, the analysis must not fail, and the front end must find at least one model in each file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, sourceKindOf, type SourceKind } from '../../src/core/analyze';
import { defaultConfig } from '../../src/core/config';

const CORPUS = path.join(__dirname, '..', 'corpus');

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full));
    else files.push(full);
  }
  return files.sort();
}

function hasJavaScriptFrontEnd(): boolean {
  // A JS file is only corpus material once the TF.js front end answers for it.
  return sourceKindOf('probe.js') !== undefined;
}

describe('regression corpus (zero findings on well-written model code)', function () {
  // The TF.js front end loads lazily on its first file; give that one load room on a busy machine.
  this.timeout(60_000);
  const files = fs.existsSync(CORPUS) ? listFiles(CORPUS) : [];

  it('has Python, notebook and TF.js files to check', () => {
    const kinds = new Set(files.map((file) => sourceKindOf(file)));
    assert.ok(kinds.has('python'), 'no .py files in test/corpus');
    assert.ok(kinds.has('notebook'), 'no .ipynb files in test/corpus');
    if (hasJavaScriptFrontEnd()) assert.ok(kinds.has('javascript') && kinds.has('typescript'), 'no .js and .ts files in test/corpus');
  });

  for (const file of files) {
    const kind: SourceKind | undefined = sourceKindOf(file);
    const name = path.relative(CORPUS, file);
    if (kind === undefined) continue;
    const isScript = kind === 'javascript' || kind === 'typescript';
    it(name, function () {
      if (isScript && !hasJavaScriptFrontEnd()) this.skip();
      const analysis = analyzeText(kind, fs.readFileSync(file, 'utf8'), defaultConfig(), { fileName: file });
      const described = analysis.findings.map((finding) => {
        const { line, character } = analysis.lines.positionAt(finding.span.start);
        return `${finding.code} at ${line + 1}:${character + 1}: ${finding.message}`;
      });
      assert.deepEqual(described, [], `findings in ${name}`);
      assert.deepEqual(analysis.errors, [], `errors in ${name}`);
      assert.ok(analysis.program !== null && analysis.program.models.length > 0, `no model found in ${name}`);
    });
  }
});
