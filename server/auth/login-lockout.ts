/**
 * Failed-login lockout (docs/security.md, "Password guessing and scrypt floods"): after a run of
 * failed password checks a username, or a client address, is locked for a while, and each further
 * lock lasts twice as long as the one before, up to a ceiling. While a key is locked the
 * authenticator refuses before running scrypt, so a locked key costs a map lookup, not 32 MiB of
 * memory-hard hashing. State lives in this process only: several server processes on one MongoDB
 * each keep their own count, so an attacker spreading over N processes gets N times the attempts.
 */
export interface LockoutSettings {
  /** Consecutive failures for one username before it is locked. */
  userFailures: number;
  /** Consecutive failures from one client address before it is locked; higher, as an office shares one address. */
  ipFailures: number;
  /** The first lock; each later one doubles. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key with no failure and no lock for this long is forgotten, back-off included. */
  forgetAfterMs: number;
  /** Keys remembered at most; the least recently failed is forgotten first. */
  maxKeys: number;
}

export const DEFAULT_LOCKOUT_SETTINGS: LockoutSettings = {
  userFailures: 5,
  ipFailures: 20,
  baseLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  maxKeys: 100_000,
};

export type LockoutKind = 'user' | 'ip';

export interface Lockout {
  kind: LockoutKind;
  /** The username or the client address. */
  key: string;
  until: Date;
  /** Consecutive failures that led to this lock. */
  failures: number;
}

interface KeyState {
  failures: number;
  /** Locks so far in this run of failures: the next lasts baseLockMs * 2^locks. */
  locks: number;
  lockedUntil: number;
  lastFailureAt: number;
}

export class LoginLockout {
  private readonly states = new Map<string, KeyState>();

  constructor(
    private readonly settings: LockoutSettings = DEFAULT_LOCKOUT_SETTINGS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The locks in force on this username or this address, user first. */
  lockedOut(username: string | undefined, ip: string | undefined): Lockout[] {
    const at = this.now();
    const locks: Lockout[] = [];
    for (const [kind, key] of this.keysOf(username, ip)) {
      const state = this.current(kind, key, at);
      if (state && state.lockedUntil > at) locks.push({ kind, key, until: new Date(state.lockedUntil), failures: state.failures });
    }
    return locks;
  }

  /** Counts one failed password check; returns the locks it starts, for the audit trail. */
  recordFailure(username: string | undefined, ip: string | undefined): Lockout[] {
    const at = this.now();
    const started: Lockout[] = [];
    for (const [kind, key] of this.keysOf(username, ip)) {
      const state = this.current(kind, key, at) ?? { failures: 0, locks: 0, lockedUntil: 0, lastFailureAt: at };
      state.failures += 1;
      state.lastFailureAt = at;
      const threshold = kind === 'user' ? this.settings.userFailures : this.settings.ipFailures;
      // Once past the threshold every failure after a lock ends starts the next, longer lock.
      if (state.failures >= threshold && state.lockedUntil <= at) {
        const duration = Math.min(this.settings.baseLockMs * 2 ** state.locks, this.settings.maxLockMs);
        state.locks += 1;
        state.lockedUntil = at + duration;
        started.push({ kind, key, until: new Date(state.lockedUntil), failures: state.failures });
      }
      this.remember(kind, key, state);
    }
    return started;
  }

  /**
   * A correct password clears the username's count. The address keeps its count: otherwise one
   * valid account would let an attacker reset the address between rounds of guesses at others.
   */
  recordSuccess(username: string): void {
    this.states.delete(stateKey('user', username));
  }

  /** Lifts a lock and forgets its back-off; false when the key was not locked. */
  unlock(kind: LockoutKind, given: string): boolean {
    const key = kind === 'ip' ? clientAddressKey(given) : given;
    const state = this.current(kind, key, this.now());
    this.states.delete(stateKey(kind, key));
    return state !== undefined && state.lockedUntil > this.now();
  }

  private keysOf(username: string | undefined, ip: string | undefined): [LockoutKind, string][] {
    const keys: [LockoutKind, string][] = [];
    if (username !== undefined) keys.push(['user', username]);
    if (ip !== undefined) keys.push(['ip', clientAddressKey(ip)]);
    return keys;
  }

  private current(kind: LockoutKind, key: string, at: number): KeyState | undefined {
    const state = this.states.get(stateKey(kind, key));
    if (state && Math.max(state.lastFailureAt, state.lockedUntil) + this.settings.forgetAfterMs <= at) {
      this.states.delete(stateKey(kind, key));
      return undefined;
    }
    return state;
  }

  private remember(kind: LockoutKind, key: string, state: KeyState): void {
    const name = stateKey(kind, key);
    // Re-inserting keeps the Map in order of last failure, so the first entry is the one to forget.
    this.states.delete(name);
    this.states.set(name, state);
    while (this.states.size > this.settings.maxKeys) {
      const oldest = this.states.keys().next();
      if (oldest.done) break;
      this.states.delete(oldest.value);
    }
  }
}

/** An IPv4 client on a dual-stack socket appears as `::ffff:a.b.c.d`; one key for both spellings, the one an operator types. */
export function clientAddressKey(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip;
}

function stateKey(kind: LockoutKind, key: string): string {
  return `${kind}\u0000${key}`;
}
