import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal';
import type { AllianceConfig, ApiRootConfig } from '../config/types';
import { TooManyRequests, Unauthenticated } from '../errors';
import { visibleApiRoots } from '../policy/visibility';
import { principalOf } from './request-scope';

export interface RateLimitPolicy {
  /** Requests per window per credential where the API root sets no `rate_limit_per_second` (RATE_LIMIT_PER_SECOND). */
  defaultRequests: number;
  /** 1 s on a server; a test widens it so that a slow machine cannot spread a burst over two windows. */
  windowSeconds: number;
}

export interface RateLimit {
  /** After authentication: charges the principal's credential, under the API root the request is for. */
  perCredential: RequestHandler;
  /** An error handler between authentication and the routes: a request that failed authentication is charged to its address. */
  perAddressOnFailure: ErrorRequestHandler;
}

/** A token is its own credential; a password is the user's (docs/security.md 6). */
function credentialKey(principal: Principal): string {
  return principal.authenticatedBy.method === 'token' ? `token:${principal.authenticatedBy.tokenId}` : `user:${principal.username}`;
}

/**
 * The API root a path falls under, among those the principal may see. A root the caller may not see
 * is left out on purpose: charging it with the root's own limit would let a 429 tell that it exists
 * (docs/security.md 5); its requests are charged as any unknown path is. Express matches mount paths
 * without regard to case, and so does this.
 */
function visibleRootOf(path: string, principal: Principal, config: AllianceConfig): ApiRootConfig | undefined {
  const lower = path.toLowerCase();
  let found: ApiRootConfig | undefined;
  for (const root of visibleApiRoots(principal, config)) {
    const mount = `/${root.path.toLowerCase()}`;
    const under = lower === mount || lower.startsWith(`${mount}/`);
    if (under && (!found || root.path.length > found.path.length)) found = root;
  }
  return found;
}

/**
 * A per-process request rate limit (rate-limiter-flexible, in memory): each credential has one budget
 * per API root it uses and one for everything else (discovery, admin API). With several server
 * processes each keeps its own count, so the effective limit is the setting times the processes.
 * `config` is read per request, so a configuration reload changes a root's limit at once.
 */
export function createRateLimit(policy: RateLimitPolicy, config: () => AllianceConfig): RateLimit {
  const limiters = new Map<number, RateLimiterMemory>();
  const limiterFor = (requests: number): RateLimiterMemory => {
    let limiter = limiters.get(requests);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: requests, duration: policy.windowSeconds });
      limiters.set(requests, limiter);
    }
    return limiter;
  };

  async function charge(requests: number, key: string): Promise<TooManyRequests | undefined> {
    try {
      await limiterFor(requests).consume(key);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return new TooManyRequests(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
  }

  return {
    perCredential: (req: Request, res: Response, next: NextFunction): void => {
      const principal = principalOf(res);
      const root = visibleRootOf(req.path, principal, config());
      const requests = root?.rateLimitPerSecond ?? policy.defaultRequests;
      charge(requests, `${root ? `/${root.path}` : ''} ${credentialKey(principal)}`).then(next, next);
    },
    perAddressOnFailure: (error: unknown, req: Request, _res: Response, next: NextFunction): void => {
      if (!(error instanceof Unauthenticated)) return next(error);
      charge(policy.defaultRequests, `address:${req.ip ?? 'unknown'}`).then((tooMany) => next(tooMany ?? error), next);
    },
  };
}
