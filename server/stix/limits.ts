/**
 * Structural limits on one STIX object (docs/security.md §3). Going over one is a reason like any other:
 * the object fails, the objects beside it do not. The published corpus in shared/data/real nests
 * at most 5 levels, and its longest pattern has 452 characters and 11 comparisons; the limits sit
 * far above that and far below what exhausts a stack or a request's time. Sizes in bytes are
 * settings (config/settings.ts); these are not, because no honest object comes near them.
 */
import { segment } from './reasons';

/** Containers on the deepest path, the object itself being the first (JSON has no depth limit; RFC 8259 §9 lets us set one). */
export const MAX_JSON_DEPTH = 64;

/**
 * Reasons reported for one object. A list of 300,000 bad items gives as many errors; turning each
 * into a sentence and sorting them cost seconds, for a message the status cuts at 1 KiB anyway.
 */
export const MAX_REASONS = 100;

/** Characters of an indicator's `pattern` when pattern_type is stix (STIX 2.1 Part 9 sets none). */
export const MAX_PATTERN_LENGTH = 65_536;

/** Parentheses open at once, observation and comparison groups together. */
export const MAX_PATTERN_NESTING = 32;

/** Comparison expressions in one pattern; an `IN (...)` set is one. */
export const MAX_PATTERN_COMPARISONS = 1_000;

/**
 * Above this many JSON values (objects, lists and scalars) in one object, schema validation stops at
 * the first error instead of collecting them all: ajv with allErrors copies its error list at every
 * `$ref` it returns from, which is quadratic (300,000 bad items in one list took minutes). The
 * published corpus has at most 6,452 values in an object (an ATT&CK collection).
 */
export const MAX_VALUES_FOR_ALL_ERRORS = 10_000;

interface Visit {
  readonly value: object;
  readonly depth: number;
  /** The object's own property this value lies under; '' for the object itself. */
  readonly property: string;
}

export interface JsonMeasure {
  /** Why the value nests too deep, naming the top-level property; undefined when it does not. */
  tooDeep?: string;
  /** JSON values counted, the value itself included (complete only when not too deep). */
  values: number;
}

/**
 * Measures a value: the first top-level property whose value nests deeper than `maxDepth`, and how
 * many JSON values it holds. Walks with an explicit stack, so a value a million levels deep costs
 * memory in proportion, never the call stack; it stops at the first container past the limit. The
 * reason names the property only (cut short: a hostile name may be megabytes long), which is where
 * the publisher must look.
 */
export function measureJson(value: unknown, maxDepth: number = MAX_JSON_DEPTH): JsonMeasure {
  if (typeof value !== 'object' || value === null) return { values: 1 };
  let values = 1;
  const pending: Visit[] = [{ value, depth: 1, property: '' }];
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    if (visit.depth > maxDepth) {
      const name = visit.property.length > 80 ? `${visit.property.slice(0, 77)}...` : visit.property;
      return { tooDeep: `${name === '' ? '/' : segment(name)}: nests more than ${maxDepth} levels deep`, values };
    }
    const children: [string, unknown][] = Array.isArray(visit.value)
      ? visit.value.map((item: unknown, index): [string, unknown] => [String(index), item])
      : Object.entries(visit.value);
    values += children.length;
    for (const [key, child] of children) {
      if (typeof child !== 'object' || child === null) continue;
      pending.push({ value: child, depth: visit.depth + 1, property: visit.depth === 1 ? key : visit.property });
    }
  }
  return { values };
}

/** The reason a value nests deeper than `maxDepth`, or undefined. */
export function depthReason(value: unknown, maxDepth: number = MAX_JSON_DEPTH): string | undefined {
  return measureJson(value, maxDepth).tooDeep;
}
