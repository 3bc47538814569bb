import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { hashPassword, issueToken } from '../../server/auth/credentials';
import { createAuthenticator, principalOf, type AuthenticationFailure } from '../../server/auth/strategies';
import { TaxiiError } from '../../server/errors';
import type { CredentialRepository } from '../../server/storage/credential-repository';
import { openTestStorage, type TestStorage } from '../support/storage';

const NOW = new Date('2026-06-01T12:00:00Z');
const PASSWORD = 'correct:horse battery';
const basic = (username: string, password: string): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('createAuthenticator', () => {
  let database: TestStorage;
  let credentials: CredentialRepository;
  let app: express.Express;
  const failures: AuthenticationFailure[] = [];
  const tokens: Record<'valid' | 'expired' | 'revoked' | 'disabledOwner' | 'future', string> = {
    valid: '', expired: '', revoked: '', disabledOwner: '', future: '',
  };

  beforeAll(async () => {
    database = await openTestStorage('auth_strategies');
    credentials = database.credentials;
    await database.prepare();
    const passwordHash = await hashPassword(PASSWORD, { cost: 2 ** 10, blockSize: 8, parallelization: 1 });
    const createdAt = new Date('2026-01-01T00:00:00Z');
    await credentials.addUser({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', passwordHash, disabled: false, createdAt });
    await credentials.addUser({ username: 'former@gb-nca', organisation: 'gb-nca', role: 'org-admin', passwordHash, disabled: true, createdAt });

    const add = async (name: keyof typeof tokens, username: string, extra: { expiresAt?: Date; revokedAt?: Date }): Promise<void> => {
      const issued = issueToken();
      tokens[name] = issued.token;
      await credentials.addToken({ tokenId: issued.tokenId, username, secretHash: issued.secretHash, createdAt, ...extra });
    };
    await add('valid', 'analyst@de-bka', {});
    await add('future', 'analyst@de-bka', { expiresAt: new Date('2026-06-01T12:00:01Z') });
    await add('expired', 'analyst@de-bka', { expiresAt: NOW });
    await add('revoked', 'analyst@de-bka', { revokedAt: new Date('2026-05-01T00:00:00Z') });
    await add('disabledOwner', 'former@gb-nca', {});

    app = express();
    app.use(createAuthenticator(credentials, { onFailure: (info) => failures.push(info), now: () => NOW }));
    app.get('/whoami', (_req, res) => {
      res.json(principalOf(res));
    });
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof TaxiiError) res.status(error.httpStatus).json({ error_code: error.errorCode, description: error.description });
      else res.status(500).json({ error_code: 'internal' });
    });
  });
  afterAll(() => database.close());
  beforeEach(() => {
    failures.length = 0;
  });

  async function expectUnauthenticated(authorization: string | undefined, reason: RegExp): Promise<void> {
    const call = request(app).get('/whoami');
    const response = await (authorization === undefined ? call : call.set('Authorization', authorization));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error_code: 'unauthenticated' });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toMatch(reason);
  }

  it('accepts HTTP Basic with a password containing a colon', async () => {
    const response = await request(app).get('/whoami').set('Authorization', basic('analyst@de-bka', PASSWORD));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', authenticatedBy: { method: 'password' } });
  });

  it.each(['basic', 'BASIC'])('accepts the Basic scheme written %s', async (scheme) => {
    const header = basic('analyst@de-bka', PASSWORD).replace('Basic', scheme);
    const response = await request(app).get('/whoami').set('Authorization', header);
    expect(response.status).toBe(200);
    expect(response.body.username).toBe('analyst@de-bka');
  });

  it.each(['Bearer', 'bearer', 'Token', 'token'])('accepts an API token with scheme %s', async (scheme) => {
    const response = await request(app).get('/whoami').set('Authorization', `${scheme} ${tokens.valid}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member' });
    expect(response.body.authenticatedBy).toEqual({ method: 'token', tokenId: tokens.valid.split('_')[1] });
  });

  it('accepts a token until the instant it expires', async () => {
    const response = await request(app).get('/whoami').set('Authorization', `Bearer ${tokens.future}`);
    expect(response.status).toBe(200);
  });

  it('refuses a user disabled after a successful login, although the password check is cached', async () => {
    const passwordHash = (await credentials.findUser('analyst@de-bka'))?.passwordHash ?? '';
    await credentials.addUser({ username: 'leaver@de-bka', organisation: 'de-bka', role: 'member', passwordHash, disabled: false, createdAt: new Date() });
    expect((await request(app).get('/whoami').set('Authorization', basic('leaver@de-bka', PASSWORD))).status).toBe(200);
    await credentials.setDisabled('leaver@de-bka', true);
    await expectUnauthenticated(basic('leaver@de-bka', PASSWORD), /disabled/);
  });

  it('returns 401 for a wrong password', () => expectUnauthenticated(basic('analyst@de-bka', 'correct:horse'), /^wrong password$/));
  it('returns 401 for an unknown user', () => expectUnauthenticated(basic('nobody@de-bka', PASSWORD), /^unknown user$/));
  it('returns 401 for a disabled user with the right password', () => expectUnauthenticated(basic('former@gb-nca', PASSWORD), /disabled/));
  it('returns 401 for a token of a disabled user', () => expectUnauthenticated(`Bearer ${tokens.disabledOwner}`, /disabled/));
  it('returns 401 for an expired token', () => expectUnauthenticated(`Bearer ${tokens.expired}`, /has expired/));
  it('returns 401 for a revoked token', () => expectUnauthenticated(`Token ${tokens.revoked}`, /is revoked/));
  it('returns 401 for a token with a wrong secret', () => expectUnauthenticated(`Bearer ${tokens.valid.slice(0, -2)}xx`, /wrong secret/));
  it('returns 401 for an unknown token id', () => expectUnauthenticated(`Bearer tas_0123456789abcdef_${'a'.repeat(43)}`, /unknown token/));
  it('returns 401 for a malformed token', () => expectUnauthenticated('Bearer not-a-token', /malformed token/));
  it('returns 401 without an Authorization header', () => expectUnauthenticated(undefined, /no Authorization header/));
  it('returns 401 for an unsupported scheme', () => expectUnauthenticated('Digest username="x"', /unsupported/));
  it('returns 401 for Basic credentials without a colon', () => expectUnauthenticated(`Basic ${Buffer.from('analyst').toString('base64')}`, /malformed basic/));

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await request(app).get('/whoami').set('Authorization', basic('nobody@de-bka', PASSWORD));
    const wrong = await request(app).get('/whoami').set('Authorization', basic('analyst@de-bka', 'nope'));
    expect(unknown.body).toEqual(wrong.body);
  });

  it('principalOf refuses a response that was never authenticated', () => {
    const fake = { locals: {} } as unknown as Response;
    expect(() => principalOf(fake)).toThrow(/no authenticated principal/);
  });
});
