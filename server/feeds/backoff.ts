/** How long a feed waits after failed polls: doubling from `baseMs`, never above `maxMs`. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 15 * 60_000 };

/**
 * The wait before the next attempt after `failures` failures in a row. Jittered between half and
 * all of the exponential step, so that the pollers of many partners hit by one outage do not all
 * come back in the same second. A remote's Retry-After (RFC 9110 §10.2.3) is a floor: asking
 * earlier than it said would only earn another 429.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  const jittered = Math.round(step / 2 + (random() * step) / 2);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxMs * 4));
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its weekday and month; anything else Date.parse might guess at is not one.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
