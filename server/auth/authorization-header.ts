import type { Request } from 'express';
import type { Strategy } from 'passport-strategy';
import type { AuthenticationOutcome } from './authentication-outcome';

/**
 * The credentials of `Authorization: <scheme> <credentials>` when the scheme is one of `schemes`
 * (lower case; RFC 7235 §2.1 makes scheme names case-insensitive), else undefined.
 */
export function credentialsFor(req: Request, schemes: ReadonlySet<string>): string | undefined {
  const match = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)[ \t]+(\S+)[ \t]*$/.exec(req.headers.authorization ?? '');
  return match?.[1] && match[2] && schemes.has(match[1].toLowerCase()) ? match[2] : undefined;
}

/**
 * Reports a verify function's outcome through passport: the principal as the user, a failure as
 * the challenge of a 401, anything thrown as an error. The authenticator reads both from
 * passport's callback, so nothing travels beside passport.
 */
export function settle(strategy: Strategy, outcome: Promise<AuthenticationOutcome>): void {
  outcome.then(
    (result) => ('principal' in result ? strategy.success(result.principal) : strategy.fail(result.failure, 401)),
    (error: unknown) => strategy.error(error instanceof Error ? error : new Error(String(error))),
  );
}
