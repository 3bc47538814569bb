import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Passport } from 'passport';
import { BasicStrategy } from 'passport-http';
import { Strategy } from 'passport-strategy';
import { Unauthenticated } from '../errors';
import type { CredentialRepository } from '../storage/credential-repository';
import { dummyPasswordHash, parseToken, verifyPassword, verifyTokenSecret } from './credentials';
import { ROLES, type Principal } from './principal';
import { VerifiedPasswordCache } from './verified-password-cache';

export interface AuthenticationFailure {
  username?: string;
  reason: string;
}

export interface AuthenticatorOptions {
  /** Called once for every rejected request, for logging and audit; the client only ever sees a 401. */
  onFailure?: (info: AuthenticationFailure) => void;
  /** Clock for token expiry; tests pass a fixed one. */
  now?: () => Date;
}

type Outcome = { principal: Principal } | { failure: AuthenticationFailure };

// "Token" is what the OASIS taxii2-client sends; RFC 7235 makes scheme names case-insensitive.
const TOKEN_SCHEMES = new Set(['bearer', 'token']);
const BASIC_STRATEGY = 'basic';
const TOKEN_STRATEGY = 'api-token';
// Compared against when a token id is unknown, so unknown and wrong tokens cost the same.
const DUMMY_SECRET_HASH = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function splitAuthorization(header: string): { scheme: string; credentials: string } | undefined {
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)[ \t]+(\S+)[ \t]*$/.exec(header);
  return match?.[1] && match[2] ? { scheme: match[1].toLowerCase(), credentials: match[2] } : undefined;
}

/** Reads `Authorization: Bearer|Token <token>`; verification is the callback's job. */
class ApiTokenStrategy extends Strategy {
  readonly name = TOKEN_STRATEGY;

  constructor(private readonly verify: (req: Request, token: string) => Promise<boolean>) {
    super();
  }

  override authenticate(req: Request): void {
    const parts = splitAuthorization(req.headers.authorization ?? '');
    if (!parts || !TOKEN_SCHEMES.has(parts.scheme)) return this.fail(401);
    this.verify(req, parts.credentials).then(
      (ok) => (ok ? this.success({}) : this.fail(401)),
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/**
 * passport-http's Basic strategy matches the scheme with /Basic/i, so `basic` works, but it
 * splits the decoded credentials on every ':' and passes only the text before the second one
 * as the password. RFC 7617 allows ':' in passwords, so the password is read again here.
 */
function basicPassword(req: Request): string | undefined {
  const parts = splitAuthorization(req.headers.authorization ?? '');
  if (!parts) return undefined;
  const decoded = Buffer.from(parts.credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

function isPrincipal(value: unknown): value is Principal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Principal>;
  return typeof candidate.username === 'string' && typeof candidate.organisation === 'string'
    && (ROLES as readonly unknown[]).includes(candidate.role) && typeof candidate.authenticatedBy === 'object';
}

/** The authenticated principal of this request; a route reached without the authenticator is a bug. */
export function principalOf(res: Response): Principal {
  const value: unknown = res.locals.principal;
  if (!isPrincipal(value)) throw new Error('no authenticated principal on this request: is the authenticator mounted before this route?');
  return value;
}

/**
 * Express middleware: authenticates with HTTP Basic or an API token, whichever the Authorization
 * header uses, and stores the Principal at `res.locals.principal`. Every failure becomes an
 * `Unauthenticated` error for the central error handler, with the same answer whatever the reason.
 */
export function createAuthenticator(credentials: CredentialRepository, options: AuthenticatorOptions = {}): RequestHandler {
  const now = options.now ?? (() => new Date());
  const verified = new VerifiedPasswordCache();
  // Outcomes travel beside passport rather than through it: passport-http drops the `info` of a failure.
  const outcomes = new WeakMap<Request, Outcome>();
  const fail = (req: Request, failure: AuthenticationFailure): false => {
    outcomes.set(req, { failure });
    return false;
  };
  const succeed = (req: Request, principal: Principal): true => {
    outcomes.set(req, { principal });
    return true;
  };

  async function checkPassword(req: Request, username: string): Promise<boolean> {
    const password = basicPassword(req) ?? '';
    const user = await credentials.findUser(username);
    // Unknown users pay for a full scrypt too, so timing does not reveal which usernames exist.
    const stored = user?.passwordHash ?? (await dummyPasswordHash());
    const matches = (user !== undefined && verified.has(stored, password)) || (await verifyPassword(password, stored));
    if (matches && user) verified.add(stored, password);
    if (!user) return fail(req, { username, reason: 'unknown user' });
    if (!matches) return fail(req, { username, reason: 'wrong password' });
    if (user.disabled) return fail(req, { username, reason: 'user is disabled' });
    return succeed(req, { username, organisation: user.organisation, role: user.role, authenticatedBy: { method: 'password' } });
  }

  async function checkToken(req: Request, token: string): Promise<boolean> {
    const parsed = parseToken(token);
    if (!parsed) return fail(req, { reason: 'malformed token' });
    const record = await credentials.findToken(parsed.tokenId);
    const matches = verifyTokenSecret(parsed.secret, record?.secretHash ?? DUMMY_SECRET_HASH);
    if (!record) return fail(req, { reason: `unknown token ${parsed.tokenId}` });
    const username = record.username;
    if (!matches) return fail(req, { username, reason: `wrong secret for token ${record.tokenId}` });
    if (record.revokedAt) return fail(req, { username, reason: `token ${record.tokenId} is revoked` });
    if (record.expiresAt && record.expiresAt.getTime() <= now().getTime()) {
      return fail(req, { username, reason: `token ${record.tokenId} has expired` });
    }
    const user = await credentials.findUser(username);
    if (!user) return fail(req, { username, reason: `owner of token ${record.tokenId} no longer exists` });
    if (user.disabled) return fail(req, { username, reason: 'user is disabled' });
    const authenticatedBy = { method: 'token' as const, tokenId: record.tokenId };
    return succeed(req, { username, organisation: user.organisation, role: user.role, authenticatedBy });
  }

  const passport = new Passport();
  passport.use(
    BASIC_STRATEGY,
    new BasicStrategy({ passReqToCallback: true }, (req, username, _password, done) => {
      checkPassword(req, username).then((ok) => done(null, ok && {}), (error: unknown) => done(error));
    }),
  );
  passport.use(TOKEN_STRATEGY, new ApiTokenStrategy(checkToken));

  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const reject = (failure: AuthenticationFailure, description?: string): void => {
      options.onFailure?.(failure);
      next(new Unauthenticated(description ?? 'Authentication failed: the credentials are not valid.'));
    };
    if (!header) {
      options.onFailure?.({ reason: 'no Authorization header' });
      return next(new Unauthenticated());
    }
    const scheme = splitAuthorization(header)?.scheme;
    const strategy = scheme === 'basic' ? BASIC_STRATEGY : scheme && TOKEN_SCHEMES.has(scheme) ? TOKEN_STRATEGY : undefined;
    if (!strategy) return reject({ reason: `unsupported Authorization header '${header.split(/\s/)[0] ?? ''}'` }, 'Use HTTP Basic or a Bearer token.');

    passport.authenticate(strategy, { session: false }, (error: unknown) => {
      if (error) return next(error);
      const outcome = outcomes.get(req);
      outcomes.delete(req);
      if (outcome && 'principal' in outcome) {
        res.locals.principal = outcome.principal;
        return next();
      }
      // No outcome: the strategy refused the header before asking us (e.g. Basic without a ':').
      reject(outcome?.failure ?? { reason: `malformed ${scheme} credentials` });
    })(req, res, next);
  };
}
