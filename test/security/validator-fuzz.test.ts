import fc from 'fast-check';
import { createStixValidator, type StixVerdict } from '../../server/stix/validator';

/**
 * docs/security.md §3, as a property: whatever JSON value or pattern a partner sends, the validator answers
 * with a verdict for that one object. It never throws (a throw would be a 500 for the whole
 * envelope) and never takes long. Runs are bounded so the file finishes in seconds.
 */
const validator = createStixValidator();
const RUNS = 150;

function valid(): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    created: '2024-03-01T10:00:00.000Z', modified: '2024-03-01T10:00:00.000Z',
    pattern: "[domain-name:value = 'x']", pattern_type: 'stix', valid_from: '2024-03-01T10:00:00Z',
  };
}

/** A verdict, in the shape the status resource needs, within a time bound. */
function expectVerdict(object: unknown, strictTypes = false): StixVerdict {
  const started = process.hrtime.bigint();
  const verdict = validator.validate(object, { strictTypes });
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  expect(typeof verdict.valid).toBe('boolean');
  if (!verdict.valid) {
    expect(verdict.reasons.length).toBeGreaterThan(0);
    for (const reason of verdict.reasons) expect(typeof reason).toBe('string');
  }
  // Generous, so a loaded CI machine passes; what it catches is the quadratic case, which took minutes.
  expect(millis).toBeLessThan(5_000);
  return verdict;
}

/** Nests a leaf `depth` containers deep, each an array or an object as the shape says (built without recursion). */
function nest(leaf: unknown, depth: number, shape: readonly boolean[], key: string): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = shape[level % Math.max(1, shape.length)] ? [value] : { [key]: value };
  return value;
}

// Where a hostile value may sit: properties the schemas define (and so look into), custom ones, extensions, markings.
const PLACES = [
  'description', 'name', 'pattern', 'labels', 'x_acme_value', 'external_references', 'granular_markings',
  'object_marking_refs', 'extensions', 'kill_chain_phases', 'type', 'id', 'created', 'lang', 'confidence',
  'external_references as a whole',
] as const;

function placed(place: (typeof PLACES)[number], value: unknown): Record<string, unknown> {
  const object = valid();
  switch (place) {
    case 'external_references':
      return { ...object, external_references: [{ source_name: 'acme', description: 'x', x_acme: value }] };
    case 'external_references as a whole':
      // ajv copies its errors at each $ref it returns from: many bad items here were once quadratic.
      return { ...object, external_references: value };
    case 'granular_markings':
      return { ...object, granular_markings: [{ lang: 'en', selectors: ['name'], x_acme: value }], name: 'n' };
    case 'extensions':
      return { ...object, extensions: { 'extension-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f': { extension_type: 'property-extension', x_acme: value } } };
    default:
      return { ...object, [place]: value };
  }
}

const KEYS = fc.constantFrom('x_level', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'type', 'id', '0');

describe('the STIX validator gives every object a verdict and never throws', () => {
  it('on values nested up to 20,000 levels deep, wherever they sit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), fc.constantFrom(...PLACES), KEYS, fc.jsonValue({ maxDepth: 2 }),
        (depth, shape, place, key, leaf) => {
          const verdict = expectVerdict(placed(place, nest(leaf, depth, shape, key)));
          if (depth > 70) expect(verdict.valid).toBe(false);
        }),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary JSON values, as objects and in every place of an indicator', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(...PLACES), fc.boolean(), (value, place, strictTypes) => {
        expectVerdict(value, strictTypes);
        expectVerdict(placed(place, value), strictTypes);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('on large values: long strings, long lists and wide objects', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.constantFrom(...PLACES), fc.constantFrom('string', 'list', 'object'), (size, place, kind) => {
        const value = kind === 'string' ? 'a-'.repeat(Math.ceil(size / 2)) : kind === 'list' ? Array.from({ length: Math.min(size, 200_000) }, () => '') : Object.fromEntries(Array.from({ length: Math.min(size, 50_000) }, (_, n) => [`x_k${n}`, n]));
        expectVerdict(placed(place, value));
      }),
      { numRuns: 25 },
    );
  });

  it('on object types and property names that are prototype keys', () => {
    fc.assert(
      fc.property(fc.constantFrom('constructor', '__proto__', 'prototype', 'hasownproperty', 'tostring', 'valueof', 'isprototypeof', 'propertyisenumerable', 'tolocalestring', '__definegetter__'), fc.boolean(), KEYS,
        (type, sdoLike, key) => {
          const object: Record<string, unknown> = JSON.parse(`{"type":${JSON.stringify(type)},"spec_version":"2.1","id":"${type}--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",${JSON.stringify(key)}:{"x":1}}`);
          if (sdoLike) Object.assign(object, { created: '2024-03-01T10:00:00.000Z', modified: '2024-03-01T10:00:00.000Z' });
          expectVerdict(object);
          expectVerdict({ ...valid(), granular_markings: [{ lang: 'en', selectors: [key] }] });
        }),
      { numRuns: RUNS },
    );
  });
});

describe('the STIX pattern checker gives a verdict for any pattern', () => {
  const TOKENS = ['[', ']', '(', ')', ' AND ', ' OR ', ' FOLLOWEDBY ', ' NOT ', "file:name = 'a'", 'ipv4-addr:value', ' = ', "'x'", ' WITHIN 5 SECONDS', ' REPEATS 2 TIMES', 'EXISTS ', ' IN (1, 2)', "t'2024-01-01T00:00:00Z'", ':', '.', '*', '/*', '*/', "h'00'", "b'AA=='", "\\'", 'true'];

  it('on random token soup', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 400 }), (tokens) => {
        expectVerdict({ ...valid(), pattern: tokens.join('') });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('on deeply nested and very long patterns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 1, max: 60_000 }), fc.constantFrom(' AND ', ' OR ', ' FOLLOWEDBY '), fc.boolean(),
        (depth, terms, operator, inside) => {
          const comparison = "file:name = 'a'";
          const nested = inside ? `[${'('.repeat(depth)}${comparison}${')'.repeat(depth)}]` : `${'('.repeat(depth)}[${comparison}]${')'.repeat(depth)}`;
          const chained = operator === ' AND ' && inside ? `[${Array.from({ length: terms }, () => comparison).join(operator)}]` : Array.from({ length: terms }, () => `[${comparison}]`).join(operator);
          const verdicts = [expectVerdict({ ...valid(), pattern: nested }), expectVerdict({ ...valid(), pattern: chained })];
          if (depth > 100) expect(verdicts[0]?.valid).toBe(false);
          if (terms > 5_000) expect(verdicts[1]?.valid).toBe(false);
        }),
      { numRuns: 60 },
    );
  });
});
