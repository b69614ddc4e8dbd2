import type { Framework, Program, Span } from '../ir/types';

export type Severity = 'error' | 'warning' | 'info';

export type RuleCategory = 'init' | 'gradients' | 'regularization' | 'shapes' | 'losses' | 'training' | 'meta';

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  /** What the fix does, shown as the quick-fix title. */
  title: string;
  /** Safe fixes keep the program's meaning apart from the problem they fix; only they are applied by default. */
  safe: boolean;
  edits: TextEdit[];
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  span: Span;
  fix: Fix | null;
  /** `unnecessary` lets editors fade the range (unused suppressions, dead code). */
  tags?: ('unnecessary')[];
  /** The model the finding is about, when there is one. */
  model?: string;
}

export interface RuleExample {
  framework: Framework;
  /** Code that must trigger the rule (checked by a test). */
  incorrect: string;
  /** Code that must not trigger the rule (checked by a test). */
  correct: string;
}

/** A rule's documentation as data: the same text feeds `deeplint rule`, hovers and the docs view. */
export interface RuleDocs {
  /** One sentence: what the rule reports. */
  summary: string;
  whatItDoes: string;
  whyBad: string;
  knownProblems?: string;
  examples: RuleExample[];
  useInstead: string;
  fixSafety: string;
  /** Concept note ids (media/notes/<id>.md) that explain the background. */
  concepts: string[];
}

export interface RuleOptionSpec {
  type: 'number' | 'boolean';
  default: number | boolean;
  description: string;
}

export type RuleOptions = Record<string, number | boolean>;

export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  span: Span;
  fix?: Fix | null;
  model?: string;
  tags?: ('unnecessary')[];
  /** Overrides the rule's severity for this report (e.g. a bottleneck downgraded to info). */
  severity?: Severity;
}

export interface RuleContext<O extends RuleOptions = RuleOptions> {
  readonly program: Program;
  readonly text: string;
  readonly options: O;
  report(descriptor: ReportDescriptor): void;
}

export interface RuleDefinition<O extends RuleOptions = RuleOptions> {
  /** Stable code, `DL###`; retired codes are never reused. */
  code: string;
  /** Names the bad pattern, kebab-case. */
  name: string;
  category: RuleCategory;
  severity: Severity;
  frameworks: Framework[];
  docs: RuleDocs;
  /** Message templates with `{{key}}` placeholders filled from the report's data. */
  messages: Record<string, string>;
  options: { [K in keyof O]: RuleOptionSpec };
  fixable: boolean;
  check(context: RuleContext<O>): void;
}

export function defineRule<O extends RuleOptions>(rule: RuleDefinition<O>): RuleDefinition<O> {
  return rule;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    key in data ? String(data[key]) : whole,
  );
}
