import { strict as assert } from 'node:assert';
import { analyzeText, type SourceKind } from '../../../src/core/analyze';
import { defaultConfig } from '../../../src/core/config';
import { applyEdits } from '../../../src/core/fix';
import type { Finding, RuleDefinition, RuleOptions } from '../../../src/core/rules/types';

/** A case that must produce no finding of the rule under test. */
export interface ValidCase {
  code: string;
  /** Defaults to python; use 'javascript' or 'typescript' for TF.js. */
  kind?: SourceKind;
  options?: RuleOptions;
  /** Shown in the test title. */
  name?: string;
}

/** One expected finding; positions are 1-based like the CLI's, end exclusive. */
export interface ExpectedError {
  messageId?: string;
  /** Substring the message must contain. */
  message?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity?: Finding['severity'];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The text after applying every fix of the rule's findings once; null asserts there is no fix. */
  output?: string | null;
  /** Whether the fixes are expected to be safe (checked when output is a string). */
  safe?: boolean;
}

function findingsOf(rule: RuleDefinition<any>, testCase: ValidCase) {
  // Every rule runs, as for a user; only the rule under test is checked.
  const config = defaultConfig();
  if (testCase.options) config.ruleOptions[rule.code] = testCase.options;
  const analysis = analyzeText(testCase.kind ?? 'python', testCase.code, config);
  assert.deepEqual(analysis.errors, [], 'analysis reported errors');
  return { analysis, findings: analysis.findings.filter((finding) => finding.code === rule.code) };
}

function title(testCase: ValidCase, index: number): string {
  return testCase.name ?? `case ${index + 1}: ${testCase.code.trim().split('\n').slice(-1)[0]?.slice(0, 60)}`;
}

/** ESLint's RuleTester, for DeepLint rules: valid code stays silent, invalid code reports exactly what is listed. */
export function testRule(rule: RuleDefinition<any>, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`${rule.code} ${rule.name}`, () => {
    describe('valid', () => {
      cases.valid.forEach((testCase, index) => {
        it(title(testCase, index), () => {
          const { findings } = findingsOf(rule, testCase);
          assert.deepEqual(
            findings.map((finding) => finding.message),
            [],
            'expected no finding',
          );
        });
      });
    });
    describe('invalid', () => {
      cases.invalid.forEach((testCase, index) => {
        it(title(testCase, index), () => {
          const { analysis, findings } = findingsOf(rule, testCase);
          assert.equal(
            findings.length,
            testCase.errors.length,
            `expected ${testCase.errors.length} finding(s), got: ${JSON.stringify(findings.map((f) => f.message))}`,
          );
          findings.forEach((finding, errorIndex) => {
            const expected = testCase.errors[errorIndex]!;
            const start = analysis.lines.positionAt(finding.span.start);
            const end = analysis.lines.positionAt(finding.span.end);
            const actual: ExpectedError = { line: start.line + 1, column: start.character + 1 };
            if (expected.endLine !== undefined) actual.endLine = end.line + 1;
            if (expected.endColumn !== undefined) actual.endColumn = end.character + 1;
            if (expected.severity !== undefined) actual.severity = finding.severity;
            if (expected.messageId !== undefined) {
              const template = rule.messages[expected.messageId];
              assert.ok(template, `rule has no message '${expected.messageId}'`);
              const fixedPart = template.split('{{')[0] ?? '';
              assert.ok(finding.message.startsWith(fixedPart), `message '${finding.message}' is not ${expected.messageId}`);
              actual.messageId = expected.messageId;
            }
            if (expected.message !== undefined) {
              assert.ok(finding.message.includes(expected.message), `message '${finding.message}' lacks '${expected.message}'`);
              actual.message = expected.message;
            }
            assert.deepEqual(actual, expected);
          });
          if (testCase.output === null) {
            assert.ok(findings.every((finding) => finding.fix === null), 'expected no fix');
          } else if (testCase.output !== undefined) {
            const edits = findings.flatMap((finding) => finding.fix?.edits ?? []);
            assert.equal(applyEdits(analysis.text, edits), testCase.output);
            if (testCase.safe !== undefined) {
              assert.ok(findings.every((finding) => finding.fix?.safe === testCase.safe), `expected safe=${testCase.safe}`);
            }
          }
        });
      });
    });
  });
}
