import { isRetryableStatus, isTransientNetworkError, parseRetryAfter, retryDelayMs, type RetryPolicy } from '../../server/taxii/retry-policy';

const policy: RetryPolicy = { retries: 6, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

describe('retry policy', () => {
  it.each([
    [500, true], [502, true], [503, true], [504, true], [429, true], [408, true],
    [400, false], [401, false], [403, false], [404, false], [413, false], [422, false],
  ])('HTTP %i is retried: %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });

  it.each([
    ['ECONNREFUSED', true], ['ECONNRESET', true], ['ETIMEDOUT', true], ['EPIPE', true],
    ['ENOTFOUND', false], ['DEPTH_ZERO_SELF_SIGNED_CERT', false], [undefined, false],
  ])('network error %s is retried: %s', (code, expected) => {
    expect(isTransientNetworkError(code)).toBe(expected);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 10 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 10 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('doubles the back-off from the base up to the cap, never below half of it', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, policy, undefined, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, policy, undefined, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });

  it('obeys Retry-After, up to its bound', () => {
    expect(retryDelayMs(1, policy, 5_000, () => 0)).toBe(5_000);
    expect(retryDelayMs(1, policy, 3_600_000, () => 0)).toBe(60_000);
  });
});
