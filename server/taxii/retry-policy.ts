/** When and how long to wait before asking a TAXII server again. Pure: the clock and the dice are passed in. */

export interface RetryPolicy {
  /** Retries after the first attempt; 0 never retries. */
  retries: number;
  /** The first back-off; each next one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After is obeyed up to this, so that a wrong header cannot park a client for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

/**
 * Whether an HTTP answer is worth asking again: 5xx is the server's trouble (a restart, a proxy
 * that lost it), 429 and 408 say "later". Any other 4xx would be answered the same way again.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** Network errors that a later attempt may not meet: the server restarting, a dropped connection, a timeout. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export function isTransientNetworkError(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1 for the first): exponential back-off with jitter, so that
 * partners who all lost the server at once do not all come back in the same millisecond; or the
 * server's Retry-After when it gave one (bounded by `maxRetryAfterMs`).
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // "Equal jitter": at least half the back-off, so the delay still grows.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
