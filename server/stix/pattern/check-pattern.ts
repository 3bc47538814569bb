import type { ComparisonExpression, ObservationExpression } from './ast';
import { PatternLimitError, PatternSyntaxError } from './lexer';
import { parsePattern } from './parser';
import { isValidTypeName } from '../identifiers';

type PropertyTest = Exclude<ComparisonExpression, { kind: 'and' | 'or' }>;

/**
 * Every property test of a pattern, left to right. An explicit stack, not recursion: a chain of
 * a thousand ANDs is a tree a thousand levels deep (docs/security.md §3).
 */
function propertyTests(pattern: ObservationExpression): PropertyTest[] {
  const tests: PropertyTest[] = [];
  const pending: (ObservationExpression | ComparisonExpression)[] = [pattern];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    switch (node.kind) {
      case 'observation':
        pending.push(node.comparison);
        break;
      case 'group':
        pending.push(node.inner);
        break;
      case 'and':
      case 'or':
      case 'followedby':
        // Right first, so the left side comes off the stack first.
        pending.push(node.right, node.left);
        break;
      default:
        tests.push(node);
    }
  }
  return tests;
}

/** Reasons for an indicator's pattern of pattern_type "stix": syntax and limits first, then the object types it names. */
export function checkStixPattern(pattern: string): string[] {
  let parsed: ObservationExpression;
  try {
    parsed = parsePattern(pattern);
  } catch (error) {
    if (error instanceof PatternSyntaxError) return [`/pattern: ${error.message}`];
    if (error instanceof PatternLimitError) return [`/pattern: ${error.message}`];
    throw error;
  }
  const reasons: string[] = [];
  for (const comparison of propertyTests(parsed)) {
    const type = comparison.path.objectType;
    if (!isValidTypeName(type)) reasons.push(`/pattern: '${type}' is not a valid object type name (a-z, 0-9 and hyphen, 3 to 250 characters)`);
  }
  return reasons;
}
