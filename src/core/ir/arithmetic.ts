import { UNKNOWN, type Unknown } from './types';

/**
 * Constant folding of one binary operation, shared by the Python and JS constant evaluators. Python's `%`
 * takes the sign of the divisor and has `//`; JavaScript's `%` takes the sign of the dividend.
 */
export function foldArithmetic(operator: string, left: number, right: number, language: 'python' | 'javascript'): number | Unknown {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return right === 0 ? UNKNOWN : left / right;
    case '//':
      return language === 'python' && right !== 0 ? Math.floor(left / right) : UNKNOWN;
    case '%':
      if (right === 0) return UNKNOWN;
      return language === 'python' ? ((left % right) + right) % right : left % right;
    case '**':
      return left ** right;
    default:
      return UNKNOWN;
  }
}
