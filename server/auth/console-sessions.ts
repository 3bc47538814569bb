import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a console login leaves on the server; the browser holds only the random session id. */
export interface ConsoleSession {
  username: string;
  /** Sent with every change as X-CSRF-Token (docs/security.md, "Console sessions"). */
  csrfToken: string;
  /** The stored password hash at login: a password set since then ends the session. */
  passwordHash: string;
  createdAt: number;
  lastUsedAt: number;
}

export interface ConsoleSessionLimits {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after login, however busy. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: ConsoleSessionLimits = { idleMs: 30 * 60_000, absoluteMs: 8 * 60 * 60_000 };

function digest(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** Compares two secrets in time independent of where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The console's sessions, held in this process (docs/security.md, "Console sessions" says why, and
 * what that costs). Kept under the SHA-256 of their id, so a heap dump does not hand out live
 * cookies. Whether the user may still use one (disabled, password changed) is checked by the
 * strategy on every request against the credential store, not here.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly limits: ConsoleSessionLimits = DEFAULT_SESSION_LIMITS, private readonly now: () => number = Date.now) {}

  /** A new session; returns the id the cookie carries, 256 random bits. */
  open(username: string, passwordHash: string): { sessionId: string; session: ConsoleSession } {
    this.sweep();
    const sessionId = randomBytes(32).toString('base64url');
    const at = this.now();
    const session: ConsoleSession = { username, passwordHash, csrfToken: randomBytes(32).toString('base64url'), createdAt: at, lastUsedAt: at };
    this.sessions.set(digest(sessionId), session);
    return { sessionId, session };
  }

  /** The live session with this id, its idle clock restarted; undefined when unknown or expired. */
  use(sessionId: string): ConsoleSession | undefined {
    const key = digest(sessionId);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastUsedAt = at;
    return session;
  }

  close(sessionId: string): void {
    this.sessions.delete(digest(sessionId));
  }

  /** Ends every session of a user, e.g. when the strategy finds the user disabled. */
  closeAllOf(username: string): void {
    for (const [key, session] of this.sessions) if (session.username === username) this.sessions.delete(key);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: ConsoleSession, at: number): boolean {
    return at - session.lastUsedAt >= this.limits.idleMs || at - session.createdAt >= this.limits.absoluteMs;
  }

  /** Drops expired sessions at each login, so abandoned ones do not pile up. */
  private sweep(): void {
    const at = this.now();
    for (const [key, session] of this.sessions) if (this.expired(session, at)) this.sessions.delete(key);
  }
}
