// eslint-plugin-deeplint: DeepLint's rules inside a team's own ESLint run. ESLint (with @typescript-eslint/parser)
// hands us the same ESTree shape typescript-estree gives the CLI, so the model IR is read from ESLint's tree
// and every message and fix is the CLI's own.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { version } from '../../package.json';
import { defaultConfig } from '../core/config';
import { ruleDocsUrl } from '../core/docs';
import { extractTfjs } from '../core/parse/tfjs/extract';
import { RULES } from '../core/rules/registry';
import { runRules } from '../core/rules/runner';
import type { Finding, RuleDefinition } from '../core/rules/types';

interface Position {
  line: number;
  column: number;
}

interface Fixer {
  replaceTextRange(range: [number, number], text: string): unknown;
}

interface SourceCode {
  text: string;
  ast: unknown;
  getLocFromIndex(index: number): Position;
}

interface RuleContext {
  filename: string;
  sourceCode: SourceCode;
  report(descriptor: {
    loc: { start: Position; end: Position };
    messageId: string;
    data: Record<string, string>;
    fix?: ((fixer: Fixer) => unknown[]) | null;
    suggest?: { messageId: string; data: Record<string, string>; fix: (fixer: Fixer) => unknown[] }[];
  }): void;
}

// One analysis per file serves every DeepLint rule ESLint runs on it.
const analyses = new WeakMap<SourceCode, Finding[]>();

function findingsOf(context: RuleContext): Finding[] {
  const sourceCode = context.sourceCode;
  let findings = analyses.get(sourceCode);
  if (!findings) {
    const language = /\.[cm]?tsx?$/i.test(context.filename) ? 'typescript' : 'javascript';
    const program = extractTfjs(sourceCode.text, sourceCode.ast as TSESTree.Program, language);
    findings = runRules(program, sourceCode.text, defaultConfig()).findings;
    analyses.set(sourceCode, findings);
  }
  return findings;
}

function editsFix(finding: Finding) {
  return (fixer: Fixer) => finding.fix!.edits.map((edit) => fixer.replaceTextRange([edit.span.start, edit.span.end], edit.newText));
}

function eslintRule(rule: RuleDefinition<any>) {
  return {
    meta: {
      type: rule.category === 'meta' ? 'suggestion' : 'problem',
      docs: { description: rule.docs.summary, url: ruleDocsUrl(rule.code) },
      messages: { finding: '{{message}}', fix: '{{title}}' },
      ...(rule.fixable ? { fixable: 'code', hasSuggestions: true } : {}),
      schema: [],
    },
    create(context: RuleContext) {
      return {
        'Program:exit'() {
          for (const finding of findingsOf(context)) {
            if (finding.code !== rule.code) continue;
            const { sourceCode } = context;
            const loc = {
              start: sourceCode.getLocFromIndex(finding.span.start),
              end: sourceCode.getLocFromIndex(finding.span.end),
            };
            // ESLint applies every `fix` on --fix, so only safe fixes go there; unsafe ones become suggestions.
            const safe = finding.fix?.safe === true;
            context.report({
              loc,
              messageId: 'finding',
              data: { message: finding.message },
              fix: safe ? editsFix(finding) : null,
              ...(finding.fix && !safe
                ? { suggest: [{ messageId: 'fix', data: { title: finding.fix.title }, fix: editsFix(finding) }] }
                : {}),
            });
          }
        },
      };
    },
  };
}

const rules = Object.fromEntries(RULES.map((rule) => [rule.name, eslintRule(rule)]));

const plugin = {
  meta: { name: 'eslint-plugin-deeplint', version },
  rules,
  configs: {} as Record<string, unknown>,
};

const SEVERITY = { error: 'error', warning: 'warn', info: 'warn' } as const;

plugin.configs['recommended'] = {
  name: 'deeplint/recommended',
  plugins: { deeplint: plugin },
  rules: Object.fromEntries(
    RULES.filter((rule) => rule.frameworks.includes('tfjs')).map((rule) => [`deeplint/${rule.name}`, SEVERITY[rule.severity]]),
  ),
};

export = plugin;
