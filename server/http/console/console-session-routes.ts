import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AuthenticationFailure } from '../../auth/authentication-outcome';
import type { ConsoleSessions } from '../../auth/console-sessions';
import type { PasswordLogin } from '../../auth/password-login';
import type { Principal } from '../../auth/principal';
import { SESSION_COOKIE, cookieValue, sessionCookie } from '../../auth/session-cookie';
import { InvalidBody, NotFound, Unauthenticated } from '../../errors';
import type { CredentialRepository } from '../../storage/credential-repository';
import { principalOf } from '../request-scope';

export interface ConsoleSessionDependencies {
  sessions: ConsoleSessions;
  /** The one Basic uses, so console logins share its lockout, scrypt gate and hash upgrade. */
  passwordLogin: PasswordLogin;
  credentials: CredentialRepository;
  /** The authenticator's failure report: log, audit trail and metric, as for a refused Basic login. */
  onFailure: (failure: AuthenticationFailure) => void;
}

const loginBody = z.strictObject({ username: z.string().min(1).max(256), password: z.string().min(1).max(1024) });

function describeSession(principal: Pick<Principal, 'username' | 'organisation' | 'role'>, csrfToken: string) {
  return { username: principal.username, organisation: principal.organisation, role: principal.role, csrf_token: csrfToken };
}

/** POST /console/session: a login form's credentials, checked exactly as an HTTP Basic login. Mounted before the authenticator. */
export function createConsoleLoginRouter(deps: ConsoleSessionDependencies): Router {
  const router = Router();
  router.post('/console/session', express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) throw new InvalidBody('Send {"username": "...", "password": "..."} as application/json.');
    const outcome = await deps.passwordLogin.verify(parsed.data, req.ip);
    if ('failure' in outcome) {
      deps.onFailure(outcome.failure);
      throw new Unauthenticated('The username or password is not valid, or the account is locked for a while.');
    }
    // Read after the check: a login may just have upgraded the stored hash, which the session must match.
    const user = await deps.credentials.findUser(outcome.principal.username);
    if (!user) throw new Unauthenticated('The username or password is not valid, or the account is locked for a while.');
    const { sessionId, session } = deps.sessions.open(user.username, user.passwordHash);
    res.setHeader('Set-Cookie', sessionCookie(sessionId, req.secure));
    res.setHeader('Cache-Control', 'no-store');
    res.json(describeSession(outcome.principal, session.csrfToken));
  });
  return router;
}

/**
 * GET /console/session (who am I, and the CSRF token after a page reload) and DELETE (logout).
 * Mounted after the authenticator, so both need a live session, and the DELETE its CSRF token.
 */
export function createConsoleSessionRouter(deps: ConsoleSessionDependencies): Router {
  const router = Router();
  const currentSession = (req: Request, res: Response) => {
    const principal = principalOf(res);
    const sessionId = cookieValue(req, SESSION_COOKIE);
    const session = principal.authenticatedBy.method === 'session' && sessionId ? deps.sessions.use(sessionId) : undefined;
    // A Basic or token client has no console session to describe.
    if (!sessionId || !session) throw new NotFound('There is no console session on this request.');
    return { principal, sessionId, session };
  };
  router.get('/console/session', (req: Request, res: Response) => {
    const { principal, session } = currentSession(req, res);
    res.setHeader('Cache-Control', 'no-store');
    res.json(describeSession(principal, session.csrfToken));
  });
  router.delete('/console/session', (req: Request, res: Response) => {
    const { sessionId } = currentSession(req, res);
    deps.sessions.close(sessionId);
    res.setHeader('Set-Cookie', sessionCookie('', req.secure));
    res.status(204).end();
  });
  return router;
}
