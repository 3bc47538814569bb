import type { Request } from 'express';
import { Strategy } from 'passport-strategy';
import type { AuthenticationOutcome } from './authentication-outcome';
import { credentialsFor, settle } from './authorization-header';

// "Token" is what the OASIS taxii2-client sends.
const TOKEN_SCHEMES: ReadonlySet<string> = new Set(['bearer', 'token']);

/** `Authorization: Bearer|Token <token>` as a passport strategy; a header of another scheme fails without a challenge. */
export class ApiTokenStrategy extends Strategy {
  readonly name = 'api-token';

  constructor(private readonly verify: (token: string, ip: string | undefined) => Promise<AuthenticationOutcome>) {
    super();
  }

  override authenticate(req: Request): void {
    const token = credentialsFor(req, TOKEN_SCHEMES);
    if (token === undefined) return this.fail(401);
    settle(this, this.verify(token, req.ip));
  }
}
