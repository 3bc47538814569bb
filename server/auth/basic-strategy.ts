import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import type { AuthenticationOutcome } from './authentication-outcome';
import { credentialsFor, settle } from './authorization-header';

export interface BasicCredentials {
  username: string;
  password: string;
}

const BASIC_SCHEMES: ReadonlySet<string> = new Set(['basic']);

/** RFC 7617 §2: the user-id cannot contain ':', so the first colon ends it and the password may hold more. */
export function decodeBasicCredentials(encoded: string): BasicCredentials | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic as a passport strategy. passport-http's BasicStrategy is not used: it splits the
 * decoded credentials at every ':' and hands on only the text up to the second one, so a password
 * containing ':' (allowed by RFC 7617) could never match, and it cannot pass the client address or
 * a reason for a failure to its verify callback.
 *
 * A header of another scheme fails without a challenge, so the authenticator can tell "not mine"
 * from "mine, and wrong" when passport has tried every strategy.
 */
export class BasicStrategy extends Strategy {
  readonly name = 'basic';

  constructor(private readonly verify: (credentials: BasicCredentials, ip: string | undefined) => Promise<AuthenticationOutcome>) {
    super();
  }

  override authenticate(req: Request): void {
    const encoded = credentialsFor(req, BASIC_SCHEMES);
    if (encoded === undefined) return this.fail(401);
    const credentials = decodeBasicCredentials(encoded);
    if (!credentials) return this.fail({ ip: req.ip, reason: 'malformed basic credentials' }, 401);
    settle(this, this.verify(credentials, req.ip));
  }
}
