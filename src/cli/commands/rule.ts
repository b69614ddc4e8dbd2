import { parseArgs } from 'node:util';
import { ruleDocsUrl } from '../../core/docs';
import { findRule, RULES } from '../../core/rules/registry';
import { renderRuleMarkdown } from '../../core/rules/docs-markdown';
import { UsageError, type Io } from '../errors';
import { parseFormat } from './check';

export const RULE_HELP = `Usage: deeplint rule CODE|NAME [--format text|json]
       deeplint rule --list [--format text|json]

Prints a rule's documentation, or lists every rule.
`;

export function runRule(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { list: { type: 'boolean' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(RULE_HELP);
    return 0;
  }
  const format = parseFormat(values.format, ['text', 'json']);
  if (values.list) {
    if (format === 'json') {
      const rules = RULES.map((rule) => ({
        code: rule.code,
        name: rule.name,
        category: rule.category,
        severity: rule.severity,
        fixable: rule.fixable,
        summary: rule.docs.summary,
        url: ruleDocsUrl(rule.code),
      }));
      io.stdout(JSON.stringify({ version: 1, rules }, null, 2) + '\n');
    } else {
      io.stdout(
        RULES.map((rule) => `${rule.code}  ${rule.name.padEnd(34)} ${rule.severity.padEnd(8)} ${rule.docs.summary}`).join('\n') +
          '\n',
      );
    }
    return 0;
  }
  const wanted = positionals[0];
  if (!wanted) throw new UsageError('name a rule (e.g. deeplint rule DL201) or pass --list');
  const rule = findRule(wanted);
  if (!rule) throw new UsageError(`no rule '${wanted}'; see deeplint rule --list`);
  if (format === 'json') {
    io.stdout(
      JSON.stringify(
        { version: 1, code: rule.code, name: rule.name, severity: rule.severity, options: rule.options, docs: rule.docs },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.stdout(renderRuleMarkdown(rule));
  }
  return 0;
}
