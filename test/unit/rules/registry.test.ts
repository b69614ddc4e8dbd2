import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, type SourceKind } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { RULES } from '../../../src/core/rules/registry';

const RULES_DIR = path.join(__dirname, '../../../src/core/rules');
const KIND: Record<string, SourceKind> = { pytorch: 'python', keras: 'python', tfjs: 'javascript' };

function ruleFiles(): string[] {
  const found: string[] = [];
  for (const category of fs.readdirSync(RULES_DIR, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(RULES_DIR, category.name))) {
      if (/^DL\d{3}-[a-z0-9-]+\.ts$/.test(file)) found.push(`${category.name}/${file}`);
    }
  }
  return found.sort();
}

describe('rule registry', () => {
  it('is sorted by code, with unique codes and names', () => {
    const codes = RULES.map((rule) => rule.code);
    assert.deepEqual(codes, [...codes].sort());
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(new Set(RULES.map((rule) => rule.name)).size, RULES.length);
  });

  it('lists exactly the rule files, each in its category folder and named by code and name', () => {
    const expected = RULES.map((rule) => `${rule.category}/${rule.code}-${rule.name}.ts`).sort();
    assert.deepEqual(ruleFiles(), expected);
  });

  for (const rule of RULES) {
    describe(`${rule.code} docs`, () => {
      it('has every section and at least one example', () => {
        for (const key of ['summary', 'whatItDoes', 'whyBad', 'useInstead', 'fixSafety'] as const) {
          assert.ok(rule.docs[key].trim().length > 10, `${key} is empty`);
        }
        assert.ok(rule.docs.examples.length > 0);
        assert.match(rule.code, /^DL\d{3}$/);
        assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      });

      rule.docs.examples.forEach((example, index) => {
        const config = defaultConfig();
        const kind = KIND[example.framework]!;
        it(`example ${index + 1} (${example.framework}): incorrect code triggers the rule`, () => {
          const findings = analyzeText(kind, example.incorrect, config).findings.filter((f) => f.code === rule.code);
          assert.ok(findings.length > 0, 'the incorrect example does not trigger the rule');
        });
        it(`example ${index + 1} (${example.framework}): correct code stays clean`, () => {
          const findings = analyzeText(kind, example.correct, config).findings.filter((f) => f.code === rule.code);
          assert.deepEqual(findings.map((f) => f.message), []);
        });
      });
    });
  }
});
