import { AuthenticationBusy } from '../errors';
import type { CredentialRepository } from '../storage/credential-repository';
import type { AuthenticationOutcome } from './authentication-outcome';
import type { BasicCredentials } from './basic-strategy';
import { ConcurrencyGate, GateFull } from './concurrency-gate';
import { PASSWORD_HASH_PARAMETERS, dummyPasswordHash, hashPassword, passwordHashNeedsUpgrade, verifyPassword, type ScryptParameters } from './credentials';
import type { Lockout, LoginLockout } from './login-lockout';
import { VerifiedPasswordCache } from './verified-password-cache';

export interface PasswordCheckLimits {
  /** scrypt checks running at once (AUTH_PASSWORD_CHECKS). */
  concurrency: number;
  /** Checks allowed to wait for one of those; beyond, 503 (AUTH_PASSWORD_QUEUE). */
  maxWaiting: number;
}

export const DEFAULT_PASSWORD_CHECK_LIMITS: PasswordCheckLimits = { concurrency: 1, maxWaiting: 32 };

export interface PasswordLoginOptions {
  lockout: LoginLockout;
  limits?: PasswordCheckLimits;
  /** Hashes below these are re-hashed at them on a successful login; tests pass cheap ones. */
  hashParameters?: ScryptParameters;
  onLockout?: (lockout: Lockout) => void;
  /** A stored hash could not be upgraded; the login still succeeds. */
  onUpgradeError?: (username: string, error: unknown) => void;
}

/**
 * Checks a Basic login (docs/security.md, "Password guessing and scrypt floods"), cheapest test
 * first: a lock refuses before any scrypt; credentials verified in the last minutes skip scrypt;
 * everything else waits its turn at the gate, and the lock is asked again once it has the turn,
 * since failures queued ahead of it may have started one.
 */
export class PasswordLogin {
  private readonly verified = new VerifiedPasswordCache();
  private readonly gate: ConcurrencyGate;
  private readonly hashParameters: ScryptParameters;

  constructor(private readonly credentials: CredentialRepository, private readonly options: PasswordLoginOptions) {
    const limits = options.limits ?? DEFAULT_PASSWORD_CHECK_LIMITS;
    this.gate = new ConcurrencyGate(limits.concurrency, limits.maxWaiting);
    this.hashParameters = options.hashParameters ?? PASSWORD_HASH_PARAMETERS;
  }

  async verify({ username, password }: BasicCredentials, ip: string | undefined): Promise<AuthenticationOutcome> {
    const user = await this.credentials.findUser(username);
    // Unknown users pay for a full scrypt too, so timing does not reveal which usernames exist.
    const stored = user?.passwordHash ?? (await dummyPasswordHash());
    const cached = user !== undefined && this.verified.has(stored, password);
    // A recently verified password skips the address lock (an office behind one address keeps
    // working during an attack from it) but never the username lock: a 200 during that lock would
    // tell a guesser the password is right.
    const locked = (): string | undefined => this.options.lockout.lockedOut(username, cached ? undefined : ip)
      .map((lock) => `${lock.kind === 'user' ? 'username' : 'address'} locked until ${lock.until.toISOString()}`)[0];
    const refusal = locked();
    if (refusal) return { failure: { username, ip, reason: refusal, refusedUnchecked: true } };

    let matches = cached;
    if (!cached) {
      const outcome = await this.checkAtGate(async () => locked() ?? (await verifyPassword(password, stored)), ip);
      if (typeof outcome === 'string') return { failure: { username, ip, reason: outcome, refusedUnchecked: true } };
      matches = outcome;
    }
    if (!user || !matches) {
      for (const lockout of this.options.lockout.recordFailure(username, ip)) this.options.onLockout?.(lockout);
      return { failure: { username, ip, reason: user ? 'wrong password' : 'unknown user' } };
    }
    this.verified.add(stored, password);
    if (user.disabled) return { failure: { username, ip, reason: 'user is disabled' } };
    this.options.lockout.recordSuccess(username);
    if (passwordHashNeedsUpgrade(stored, this.hashParameters)) await this.upgradeHash(username, password, stored);
    return { principal: { username, organisation: user.organisation, role: user.role, authenticatedBy: { method: 'password' } } };
  }

  /**
   * A check turned away because the queue is full counts as a failure of the client address (not
   * of the username, which was not checked): no real client keeps that many logins waiting, and
   * counting them locks a flooding address within a fraction of a second instead of after
   * `ipFailures` full scrypt checks, which at one check at a time would take several seconds.
   */
  private async checkAtGate<T>(check: () => Promise<T>, ip: string | undefined): Promise<T> {
    try {
      return await this.gate.run(check);
    } catch (error) {
      if (!(error instanceof GateFull)) throw error;
      for (const lockout of this.options.lockout.recordFailure(undefined, ip)) this.options.onLockout?.(lockout);
      throw new AuthenticationBusy();
    }
  }

  /**
   * The promise in credentials.ts: parameters live in each hash, so raising them reaches a stored
   * hash the next time its owner logs in, the only time the password is at hand. A failure here
   * must not fail the login, which was verified.
   */
  private async upgradeHash(username: string, password: string, stored: string): Promise<void> {
    try {
      const stronger = await this.gate.run(() => hashPassword(password, this.hashParameters));
      if (await this.credentials.updatePasswordHash(username, stored, stronger)) this.verified.add(stronger, password);
    } catch (error) {
      this.options.onUpgradeError?.(username, error);
    }
  }
}
