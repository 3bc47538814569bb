import type { ComparisonExpression, ObservationExpression } from './ast';
import { PatternSyntaxError } from './lexer';
import { parsePattern } from './parser';
import { isValidTypeName } from '../identifiers';

type PropertyTest = Exclude<ComparisonExpression, { kind: 'and' | 'or' }>;

function* comparisons(expression: ComparisonExpression): Generator<PropertyTest> {
  switch (expression.kind) {
    case 'and':
    case 'or':
      yield* comparisons(expression.left);
      yield* comparisons(expression.right);
      break;
    default:
      yield expression;
  }
}

function* observations(expression: ObservationExpression): Generator<PropertyTest> {
  if (expression.kind === 'observation') yield* comparisons(expression.comparison);
  else if (expression.kind === 'group') yield* observations(expression.inner);
  else {
    yield* observations(expression.left);
    yield* observations(expression.right);
  }
}

/** Reasons for an indicator's pattern of pattern_type "stix": syntax first, then the object types it names. */
export function checkStixPattern(pattern: string): string[] {
  let parsed: ObservationExpression;
  try {
    parsed = parsePattern(pattern);
  } catch (error) {
    if (error instanceof PatternSyntaxError) return [`/pattern: ${error.message}`];
    throw error;
  }
  const reasons: string[] = [];
  for (const comparison of observations(parsed)) {
    const type = comparison.path.objectType;
    if (!isValidTypeName(type)) reasons.push(`/pattern: '${type}' is not a valid object type name (a-z, 0-9 and hyphen, 3 to 250 characters)`);
  }
  return reasons;
}
