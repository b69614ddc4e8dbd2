import { ruleDocsUrl } from '../docs';
import type { RuleDefinition } from './types';

const FENCE_LANGUAGE = { pytorch: 'python', keras: 'python', tfjs: 'javascript' } as const;

/** A rule's documentation as Markdown, the form used by `deeplint rule`, docs/rules and the docs view. */
export function renderRuleMarkdown(rule: RuleDefinition<any>): string {
  const out: string[] = [];
  out.push(`# ${rule.code} ${rule.name}`, '');
  out.push(`${rule.docs.summary}`, '');
  out.push(
    `Default severity: **${rule.severity}**. Frameworks: ${rule.frameworks.join(', ')}. Fix: ${rule.fixable ? 'available' : 'none'}.`,
    '',
  );
  out.push('## What it does', '', rule.docs.whatItDoes, '');
  out.push('## Why is this bad?', '', rule.docs.whyBad, '');
  if (rule.docs.knownProblems) out.push('## Known problems', '', rule.docs.knownProblems, '');
  for (const example of rule.docs.examples) {
    const fence = FENCE_LANGUAGE[example.framework];
    out.push(`## Example (${example.framework})`, '', '```' + fence, example.incorrect.trimEnd(), '```', '');
    out.push('Use instead:', '', '```' + fence, example.correct.trimEnd(), '```', '');
  }
  out.push('## Use instead', '', rule.docs.useInstead, '');
  out.push('## Fix safety', '', rule.docs.fixSafety, '');
  const options = Object.entries(rule.options);
  if (options.length > 0) {
    out.push('## Options', '');
    for (const [name, spec] of options) out.push(`- \`${name}\` (default \`${String(spec.default)}\`): ${spec.description}`);
    out.push('');
  }
  if (rule.docs.concepts.length > 0) {
    out.push('## Concepts', '', rule.docs.concepts.map((concept) => `\`${concept}\``).join(', '), '');
  }
  out.push(`More: ${ruleDocsUrl(rule.code)}`, '');
  return out.join('\n');
}
