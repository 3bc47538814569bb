import { backoffDelay, parseRetryAfter } from '../../server/feeds/backoff';

const POLICY = { baseMs: 1_000, maxMs: 60_000 };

describe('backoffDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [7, 60_000],
    [500, 60_000],
  ])('waits at most the doubled step after %i failures (%i ms), capped', (failures, step) => {
    expect(backoffDelay(failures, POLICY, () => 0.999999)).toBe(step);
  });

  it('jitters between half and all of the step', () => {
    expect(backoffDelay(3, POLICY, () => 0)).toBe(2_000);
    expect(backoffDelay(3, POLICY, () => 0.5)).toBe(3_000);
  });

  it('never asks again before the remote\'s Retry-After', () => {
    expect(backoffDelay(1, POLICY, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelay(5, POLICY, () => 1, 2_000)).toBe(16_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Mon, 30 Nov 2026 12:00:30 GMT', 30_000],
    ['Mon, 30 Nov 2026 11:00:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-5']])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
