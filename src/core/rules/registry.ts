import { DL001 } from './meta/DL001-unused-suppression';
import { DL101 } from './init/DL101-missing-init';
import { DL102 } from './init/DL102-unscaled-random-init';
import { DL103 } from './init/DL103-constant-weight-init';
import { DL104 } from './init/DL104-init-activation-mismatch';
import { DL105 } from './init/DL105-uninitialized-parameter';
import { DL201 } from './gradients/DL201-sigmoid-in-deep-stack';
import { DL202 } from './gradients/DL202-linear-without-activation';
import { DL203 } from './gradients/DL203-deep-plain-stack';
import { DL204 } from './gradients/DL204-rnn-without-grad-clipping';
import { DL301 } from './regularization/DL301-no-dropout';
import { DL302 } from './regularization/DL302-dropout-on-output';
import { DL303 } from './regularization/DL303-invalid-dropout-rate';
import { DL304 } from './regularization/DL304-functional-dropout-always-on';
import { DL305 } from './regularization/DL305-dropout-before-batchnorm';
import { DL401 } from './shapes/DL401-layer-shape-mismatch';
import { DL402 } from './shapes/DL402-missing-flatten';
import { DL501 } from './losses/DL501-softmax-before-cross-entropy';
import { DL502 } from './losses/DL502-sigmoid-before-bce-with-logits';
import { DL601 } from './training/DL601-missing-zero-grad';
import { DL602 } from './training/DL602-missing-eval-mode';
import { DL603 } from './training/DL603-bias-before-batchnorm';
import { DL604 } from './training/DL604-backward-in-no-grad';
import type { RuleDefinition } from './types';

// Every rule, sorted by code; a test keeps this list sorted and in step with the rule files.
export const RULES: readonly RuleDefinition<any>[] = [
  DL001,
  DL101,
  DL102,
  DL103,
  DL104,
  DL105,
  DL201,
  DL202,
  DL203,
  DL204,
  DL301,
  DL302,
  DL303,
  DL304,
  DL305,
  DL401,
  DL402,
  DL501,
  DL502,
  DL601,
  DL602,
  DL603,
  DL604,
];

const byCode = new Map(RULES.map((rule) => [rule.code, rule]));
const byName = new Map(RULES.map((rule) => [rule.name, rule]));

/** Looks a rule up by code (`DL201`) or name (`sigmoid-in-deep-stack`). */
export function findRule(codeOrName: string): RuleDefinition<any> | undefined {
  return byCode.get(codeOrName.toUpperCase()) ?? byName.get(codeOrName.toLowerCase());
}
