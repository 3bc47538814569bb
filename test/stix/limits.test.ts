import { depthReason, MAX_JSON_DEPTH } from '../../server/stix/limits';
import { createStixValidator } from '../../server/stix/validator';

const validator = createStixValidator();

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { x_level: value };
  return value;
}

describe('JSON depth (docs/security.md §3)', () => {
  it('counts the object itself as the first level', () => {
    expect(depthReason({ a: 1 })).toBeUndefined();
    expect(depthReason({ x_deep: nested(MAX_JSON_DEPTH - 1) })).toBeUndefined();
    expect(depthReason({ x_deep: nested(MAX_JSON_DEPTH) })).toBe('/x_deep: nests more than 64 levels deep');
  });

  it('names the top-level property, cut short, and walks a million levels without a stack overflow', () => {
    expect(depthReason({ ok: [1, [2]], ['k'.repeat(1_000)]: nested(1_000_000) })).toBe(`/${'k'.repeat(77)}...: nests more than 64 levels deep`);
    expect(depthReason(nested(1_000_000))).toBe('/x_level: nests more than 64 levels deep');
  });

  it('makes the validator refuse the object before anything recurses into it', () => {
    const verdict = validator.validate({ type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', x_deep: nested(100_000) }, { strictTypes: false });
    expect(verdict).toEqual({ valid: false, reasons: ['/x_deep: nests more than 64 levels deep'] });
  });

  const indicatorWith = (labels: unknown[]) => ({
    type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2024-03-01T10:00:00.000Z',
    modified: '2024-03-01T10:00:00.000Z', pattern: '[a-b:c = 1]', pattern_type: 'stix', valid_from: '2024-03-01T10:00:00Z', labels,
  });

  it('caps the reasons of one object and counts the rest', () => {
    const verdict = validator.validate(indicatorWith(Array.from({ length: 5_000 }, () => 5)), { strictTypes: false });
    const reasons = verdict.valid ? [] : verdict.reasons;
    expect(reasons).toHaveLength(101);
    expect(reasons[100]).toBe('(and up to 4900 more problems)');
  });

  it('stops at the first schema problem of an object with more than 10,000 values, in linear time', () => {
    const object = indicatorWith(Array.from({ length: 300_000 }, () => 5));
    const started = Date.now();
    const verdict = validator.validate(object, { strictTypes: false });
    expect(verdict).toEqual({
      valid: false,
      reasons: [
        '(the object holds more than 10000 JSON values, so only its first schema problem is listed)',
        '/labels/0: must be a string (got 5)',
      ],
    });
    // Typically 0.2 s; the quadratic path this avoids took minutes. Generous for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
