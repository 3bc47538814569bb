import { createHmac, randomBytes } from 'node:crypto';

const DEFAULT_TTL_MS = 5 * 60 * 1000;
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Remembers, for a few minutes, that a password matched a stored scrypt hash. TAXII clients send
 * Basic credentials with every page of a poll; paying ~100 ms of scrypt per page would cap a
 * poller at ten pages a second. Keys are HMACs under a per-process random key, and include the
 * stored hash, so a changed password or a rotated hash misses at once. Only successes are kept:
 * a wrong password always pays the full scrypt cost.
 */
export class VerifiedPasswordCache {
  private readonly secret = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  private keyOf(storedHash: string, password: string): string {
    return createHmac('sha256', this.secret).update(storedHash).update('\0').update(password).digest('base64url');
  }

  has(storedHash: string, password: string): boolean {
    const key = this.keyOf(storedHash, password);
    const expiresAt = this.entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.now()) {
      this.entries.delete(key);
      return false;
    }
    return true;
  }

  add(storedHash: string, password: string): void {
    const key = this.keyOf(storedHash, password);
    this.entries.delete(key);
    this.entries.set(key, this.now() + this.ttlMs);
    // Maps iterate in insertion order, so the first key is the oldest entry.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
