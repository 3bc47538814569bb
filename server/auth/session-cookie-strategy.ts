import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import { CsrfTokenInvalid } from '../errors';
import type { CredentialRepository } from '../storage/credential-repository';
import type { AuthenticationOutcome } from './authentication-outcome';
import { settle } from './authorization-header';
import { sameSecret, type ConsoleSessions } from './console-sessions';
import { SESSION_COOKIE, cookieValue } from './session-cookie';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The console's session cookie as a passport strategy. It only speaks for requests without an
 * Authorization header, so a Basic or Bearer client is never affected by a cookie its browser
 * happens to hold. Every request re-reads the user, so disabling a user or setting a password
 * ends the session at once, as it does for Basic (docs/security.md, "Console sessions").
 * A change (anything but GET/HEAD/OPTIONS) must carry the session's CSRF token.
 */
export class SessionCookieStrategy extends Strategy {
  readonly name = 'session-cookie';

  constructor(private readonly sessions: ConsoleSessions, private readonly credentials: CredentialRepository) {
    super();
  }

  override authenticate(req: Request): void {
    const sessionId = cookieValue(req, SESSION_COOKIE);
    if (req.headers.authorization !== undefined || !sessionId) return this.fail(401);
    settle(this, this.check(req, sessionId));
  }

  private async check(req: Request, sessionId: string): Promise<AuthenticationOutcome> {
    const ip = req.ip;
    const session = this.sessions.use(sessionId);
    if (!session) return { failure: { ip, reason: 'unknown or expired console session' } };
    const username = session.username;
    const user = await this.credentials.findUser(username);
    const ended = !user ? 'user no longer exists' : user.disabled ? 'user is disabled' : user.passwordHash !== session.passwordHash ? 'password changed since login' : undefined;
    if (ended || !user) {
      this.sessions.close(sessionId);
      return { failure: { username, ip, reason: `console session ended: ${ended ?? 'user no longer exists'}` } };
    }
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) throw new CsrfTokenInvalid();
    }
    return { principal: { username, organisation: user.organisation, role: user.role, authenticatedBy: { method: 'session' } } };
  }
}
