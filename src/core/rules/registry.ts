import { DL001 } from './meta/DL001-unused-suppression';
import type { RuleDefinition } from './types';

// Every rule, sorted by code; a test keeps this list sorted and in step with the rule files.
export const RULES: readonly RuleDefinition<any>[] = [
  DL001,
];

const byCode = new Map(RULES.map((rule) => [rule.code, rule]));
const byName = new Map(RULES.map((rule) => [rule.name, rule]));

/** Looks a rule up by code (`DL201`) or name (`sigmoid-in-deep-stack`). */
export function findRule(codeOrName: string): RuleDefinition<any> | undefined {
  return byCode.get(codeOrName.toUpperCase()) ?? byName.get(codeOrName.toLowerCase());
}
