import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import type { Strategy } from 'passport-strategy';
import { Unauthenticated } from '../errors';
import type { CredentialRepository } from '../storage/credential-repository';
import type { AuthenticationFailure, AuthenticationOutcome } from './authentication-outcome';
import { BasicStrategy } from './basic-strategy';
import { ClientCertificateStrategy, checkClientCertificate } from './client-certificate-strategy';
import { parseToken, verifyTokenSecret, type ScryptParameters } from './credentials';
import { LoginLockout, type Lockout } from './login-lockout';
import { PasswordLogin, type PasswordCheckLimits } from './password-login';
import { ROLES, type Principal } from './principal';
import { ApiTokenStrategy } from './token-strategy';

export type { AuthenticationFailure } from './authentication-outcome';

export interface AuthenticatorOptions {
  /** Called once for every rejected request, for logging, audit and metrics; the client only ever sees a 401. */
  onFailure?: (info: AuthenticationFailure) => void;
  /** Called when repeated failures lock a username or an address, for the audit trail. */
  onLockout?: (lockout: Lockout) => void;
  /** Shared with whoever lifts locks (server/auth/unlock-requests.ts); a fresh one with default settings if absent. */
  lockout?: LoginLockout;
  passwordChecks?: PasswordCheckLimits;
  /** Parameters a stored password hash is upgraded to on login; tests pass cheap ones. */
  passwordHashParameters?: ScryptParameters;
  /** The console's login shares it, so its attempts count against the same locks (docs/security.md). */
  passwordLogin?: PasswordLogin;
  /** The console's session cookie (session-cookie-strategy.ts), tried after Basic and tokens. */
  sessionStrategy?: Strategy & { readonly name: string };
  /** Clock for token expiry; tests pass a fixed one. */
  now?: () => Date;
}

// Compared against when a token id is unknown, so unknown and wrong tokens cost the same.
const DUMMY_SECRET_HASH = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
// The certificate first: when a client presents a mapped certificate it is who that certificate says (docs/security.md).
const STRATEGIES = ['client-certificate', 'basic', 'api-token'];

function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Principal>;
  return typeof candidate.username === 'string' && typeof candidate.organisation === 'string'
    && (ROLES as readonly unknown[]).includes(candidate.role) && typeof candidate.authenticatedBy === 'object';
}

function isFailure(value: unknown): value is AuthenticationFailure {
  return typeof value === 'object' && value !== null && typeof (value as Partial<AuthenticationFailure>).reason === 'string';
}

/** The authenticated principal of this request; a route reached without the authenticator is a bug. */
export function principalOf(res: Response): Principal {
  const value: unknown = res.locals.principal;
  if (!isPrincipal(value)) throw new Error('no authenticated principal on this request: is the authenticator mounted before this route?');
  return value;
}

async function checkToken(credentials: CredentialRepository, now: () => Date, token: string, ip: string | undefined): Promise<AuthenticationOutcome> {
  const fail = (reason: string, username?: string): AuthenticationOutcome => ({ failure: { username, ip, reason } });
  const parsed = parseToken(token);
  if (!parsed) return fail('malformed token');
  const record = await credentials.findToken(parsed.tokenId);
  const matches = verifyTokenSecret(parsed.secret, record?.secretHash ?? DUMMY_SECRET_HASH);
  if (!record) return fail(`unknown token ${parsed.tokenId}`);
  const username = record.username;
  if (!matches) return fail(`wrong secret for token ${record.tokenId}`, username);
  if (record.revokedAt) return fail(`token ${record.tokenId} is revoked`, username);
  if (record.expiresAt && record.expiresAt.getTime() <= now().getTime()) return fail(`token ${record.tokenId} has expired`, username);
  const user = await credentials.findUser(username);
  if (!user) return fail(`owner of token ${record.tokenId} no longer exists`, username);
  if (user.disabled) return fail('user is disabled', username);
  return { principal: { username, organisation: user.organisation, role: user.role, authenticatedBy: { method: 'token', tokenId: record.tokenId } } };
}

/**
 * Express middleware: authenticates with a TLS client certificate, HTTP Basic or an API token,
 * whichever the client presents, and stores the Principal at `res.locals.principal`. Passport tries both strategies;
 * each reads its own scheme and reports its own outcome. Every failure becomes an `Unauthenticated`
 * error for the central error handler, with the same answer whatever the reason, a lock included.
 * API tokens are not subject to the lockout: 256 random bits cannot be guessed, and checking one
 * is a single SHA-256.
 */
export function createAuthenticator(credentials: CredentialRepository, options: AuthenticatorOptions = {}): RequestHandler {
  const now = options.now ?? (() => new Date());
  const passwordLogin = options.passwordLogin ?? new PasswordLogin(credentials, {
    lockout: options.lockout ?? new LoginLockout(),
    limits: options.passwordChecks,
    hashParameters: options.passwordHashParameters,
    onLockout: options.onLockout,
  });
  const passport = new Passport();
  passport.use(new BasicStrategy((basic, ip) => passwordLogin.verify(basic, ip)));
  passport.use(new ApiTokenStrategy((token, ip) => checkToken(credentials, now, token, ip)));
  passport.use(new ClientCertificateStrategy((certificate, ip) => checkClientCertificate(credentials, certificate, ip)));
  if (options.sessionStrategy) passport.use(options.sessionStrategy);
  const strategies = options.sessionStrategy ? [...STRATEGIES, options.sessionStrategy.name] : STRATEGIES;

  return (req: Request, res: Response, next: NextFunction): void => {
    passport.authenticate(strategies, { session: false }, (error: unknown, user: unknown, challenges: unknown) => {
      if (error) return next(error);
      if (isPrincipal(user)) {
        res.locals.principal = user;
        return next();
      }
      // A strategy whose scheme this is fails with a reason; the others fail without one.
      // A client may present a certificate and an Authorization header; each that failed is reported.
      const failures = (Array.isArray(challenges) ? challenges : [challenges]).filter(isFailure);
      const header = req.headers.authorization;
      if (failures.length > 0) {
        for (const failure of failures) options.onFailure?.(failure);
        return next(new Unauthenticated('Authentication failed: the credentials are not valid.'));
      }
      if (!header) {
        options.onFailure?.({ ip: req.ip, reason: 'no Authorization header' });
        return next(new Unauthenticated());
      }
      options.onFailure?.({ ip: req.ip, reason: `unsupported Authorization header '${header.split(/\s/)[0] ?? ''}'` });
      next(new Unauthenticated('Use HTTP Basic or a Bearer token.'));
    })(req, res, next);
  };
}
