import type { DeepLintConfig } from '../config';
import type { Program, Span } from '../ir/types';
import { DL001 } from './meta/DL001-unused-suppression';
import { RULES } from './registry';
import { findSuppressions, suppressionMatches, type Suppression } from './suppressions';
import { LineIndex } from '../ir/text';
import {
  formatMessage,
  type Finding,
  type Fix,
  type RuleDefinition,
  type RuleOptions,
  type Severity,
} from './types';

export interface RuleRunResult {
  findings: Finding[];
  /** Internal errors of individual rules; the other rules' findings still stand. */
  errors: string[];
}

function matchesAny(patterns: string[], rule: RuleDefinition<any>): boolean {
  return patterns.some((pattern) => {
    const upper = pattern.toUpperCase();
    return upper === 'ALL' || rule.code.startsWith(upper) || rule.name.toUpperCase() === upper;
  });
}

/** The severity a rule runs with, or `off`. */
export function effectiveSeverity(rule: RuleDefinition<any>, config: DeepLintConfig): Severity | 'off' {
  if (!matchesAny(config.select, rule) || matchesAny(config.ignore, rule)) return 'off';
  return config.severity[rule.code] ?? config.severity[rule.name] ?? rule.severity;
}

export function resolveOptions(rule: RuleDefinition<any>, config: DeepLintConfig): RuleOptions {
  const options: RuleOptions = {};
  for (const [key, spec] of Object.entries(rule.options)) options[key] = spec.default;
  return { ...options, ...config.ruleOptions[rule.name], ...config.ruleOptions[rule.code] };
}

/** Runs every enabled rule over one program, then applies suppressions. */
export function runRules(
  program: Program,
  text: string,
  config: DeepLintConfig,
  rules: readonly RuleDefinition<any>[] = RULES,
): RuleRunResult {
  const findings: Finding[] = [];
  const errors: string[] = [];
  for (const rule of rules) {
    const severity = effectiveSeverity(rule, config);
    if (severity === 'off' || rule === DL001) continue;
    const options = resolveOptions(rule, config);
    // A helper's layers are read for each call of it: one finding of a rule per place in the code is enough.
    const reported = new Set<string>();
    try {
      rule.check({
        program,
        text,
        options,
        report(descriptor) {
          const template = rule.messages[descriptor.messageId];
          if (template === undefined) throw new Error(`${rule.code} has no message '${descriptor.messageId}'`);
          const place = `${descriptor.span.start}:${descriptor.span.end}`;
          if (reported.has(place)) return;
          reported.add(place);
          findings.push({
            code: rule.code,
            name: rule.name,
            severity: descriptor.severity && severity === rule.severity ? descriptor.severity : severity,
            message: formatMessage(template, descriptor.data),
            span: descriptor.span,
            fix: descriptor.fix && !nearSyntaxError(program, descriptor.span, descriptor.fix) ? descriptor.fix : null,
            ...(descriptor.tags ? { tags: descriptor.tags } : {}),
            ...(descriptor.model ? { model: descriptor.model } : {}),
          });
        },
      });
    } catch (error) {
      errors.push(`rule ${rule.code} (${rule.name}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const kept = applySuppressions(findings, text, program.language === 'python' ? '#' : '//', config);
  kept.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
  return { findings: kept, errors };
}

/**
 * Whether a syntax error lies in the code a finding and its fix span. There the parser's recovery guessed where
 * nodes end (`F.dropout(F.relu(x)` unclosed at the end of the file), so an edit could land inside the wrong call:
 * the finding is still reported, its fix is withheld.
 */
function nearSyntaxError(program: Program, span: Span, fix: Fix): boolean {
  let start = span.start;
  let end = span.end;
  for (const edit of fix.edits) {
    start = Math.min(start, edit.span.start);
    end = Math.max(end, edit.span.end);
  }
  const errors = program.syntaxErrors;
  if (program.moreSyntaxErrors && errors.length > 0 && end >= errors[errors.length - 1]!.span.start) return true;
  return errors.some((error) => error.span.start <= end && error.span.end >= start);
}

function applySuppressions(findings: Finding[], text: string, marker: '#' | '//', config: DeepLintConfig): Finding[] {
  if (!text.includes('deeplint:')) return findings;
  const suppressions = findSuppressions(text, marker);
  if (suppressions.length === 0) return findings;
  const lines = new LineIndex(text);
  const used = new Map<Suppression, Set<string>>();
  const kept = findings.filter((finding) => {
    const line = lines.positionAt(finding.span.start).line;
    const suppression = suppressions.find(
      (candidate) =>
        (candidate.scope === 'file' || candidate.line === line) &&
        suppressionMatches(candidate, finding.code, finding.name),
    );
    if (!suppression) return true;
    const codes = used.get(suppression) ?? new Set<string>();
    codes.add(finding.code);
    codes.add(finding.name.toUpperCase());
    used.set(suppression, codes);
    return false;
  });
  const severity = effectiveSeverity(DL001, config);
  if (severity === 'off') return kept;
  for (const suppression of suppressions) {
    const usedCodes = used.get(suppression);
    if (suppression.codes.length === 0) {
      if (usedCodes) continue;
      kept.push(unusedFinding(severity, 'unusedAll', {}, suppression.span, suppression.commentSpan));
      continue;
    }
    suppression.codes.forEach((code, index) => {
      if (usedCodes?.has(code)) return;
      // A code whose rule is switched off here may still be needed where it is on.
      const rule = RULES.find((candidate) => candidate.code === code || candidate.name.toUpperCase() === code);
      if (rule && effectiveSeverity(rule, config) === 'off') return;
      const codeSpan = suppression.codeSpans[index] ?? suppression.span;
      const removal =
        suppression.codes.length === 1 ? suppression.commentSpan : codeRemovalSpan(text, suppression, index);
      kept.push(unusedFinding(severity, 'unusedCode', { code }, codeSpan, removal));
    });
  }
  return kept;
}

/** The span that removes one code and its separator from a bracketed list. */
function codeRemovalSpan(text: string, suppression: Suppression, index: number) {
  const own = suppression.codeSpans[index]!;
  const next = suppression.codeSpans[index + 1];
  if (next) return { start: own.start, end: next.start };
  const previous = suppression.codeSpans[index - 1]!;
  return { start: previous.end, end: own.end };
}

function unusedFinding(
  severity: Severity,
  messageId: 'unusedCode' | 'unusedAll',
  data: Record<string, string>,
  span: { start: number; end: number },
  removal: { start: number; end: number },
): Finding {
  return {
    code: DL001.code,
    name: DL001.name,
    severity,
    message: formatMessage(DL001.messages[messageId]!, data),
    span,
    fix: { title: 'Remove unused suppression', safe: true, edits: [{ span: removal, newText: '' }] },
    tags: ['unnecessary'],
  };
}
