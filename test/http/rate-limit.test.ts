import supertest from 'supertest';
import { issueToken } from '../../server/auth/credentials';
import { DEFAULT_LOCKOUT_SETTINGS, LoginLockout } from '../../server/auth/login-lockout';
import type { AllianceConfig } from '../../server/config/types';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

// A window of a minute rather than the server's second: a slow machine cannot then spread a burst
// over two windows, so each count below is exact. The limits are per window either way.
const WINDOW_SECONDS = 60;
const ROOT_LIMIT = 3;
const DEFAULT_LIMIT = 5;
const COLLECTIONS = '/alliance/collections/';

/** `alliance` allows 3 requests per window and credential; `bka/internal`, which gb-nca may not see, only 1. */
function limitedAlliance(): AllianceConfig {
  const config = testAlliance();
  config.apiRoots = config.apiRoots.map((root) => ({ ...root, rateLimitPerSecond: root.path === 'alliance' ? ROOT_LIMIT : 1 }));
  return config;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('rate_limit', limitedAlliance(), {
    http: { tls: false, corsOrigins: [], rateLimit: { defaultRequests: DEFAULT_LIMIT, windowSeconds: WINDOW_SECONDS } },
    // The failed-login lockout (test/auth/password-login.test.ts) would lock the guessed username after
    // 5 failures; out of reach here, so these tests see the rate limit alone.
    authentication: { lockout: new LoginLockout({ ...DEFAULT_LOCKOUT_SETTINGS, userFailures: 1000, ipFailures: 1000 }) },
  });
});
afterAll(() => server.close());

function expectTooMany(response: supertest.Response): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
  expect(response.body.error_code).toBe('too-many-requests');
  expect(response.body.http_status).toBe('429');
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe('request rate limit per credential (docs/security.md 6)', () => {
  it("answers the 4th request under a root limited to 3 with 429 and Retry-After; another credential is unaffected", async () => {
    const bka = taxiiClient(server, 'de-bka');
    for (let request = 1; request <= ROOT_LIMIT; request += 1) expect((await bka.get(COLLECTIONS)).status).toBe(200);
    expectTooMany(await bka.get(COLLECTIONS));
    // Other paths of the same root share its budget.
    expectTooMany(await bka.get(`${COLLECTIONS}${COLLECTION_IDS.shared}/objects/`));

    expect((await taxiiClient(server, 'gb-nca').get(COLLECTIONS)).status).toBe(200);
    // Discovery is outside the root: the credential's general budget still has room.
    expect((await bka.get('/taxii2/')).status).toBe(200);
  });

  it('charges every spelling of a root path to that root', async () => {
    const europol = taxiiClient(server, 'europol');
    for (const path of ['/alliance/collections/', '/ALLIANCE/collections/', '/Alliance/collections/']) expect((await europol.get(path)).status).toBe(200);
    expectTooMany(await europol.get('/aLLiance/collections/'));
  });

  it('gives a token its own budget, apart from its owner\'s password', async () => {
    const issued = issueToken();
    await server.credentials.addToken({ tokenId: issued.tokenId, username: 'analyst@acme-sec', secretHash: issued.secretHash, createdAt: new Date() });
    const byPassword = taxiiClient(server, 'acme-sec');
    for (let request = 1; request <= ROOT_LIMIT; request += 1) expect((await byPassword.get(COLLECTIONS)).status).toBe(200);
    expectTooMany(await byPassword.get(COLLECTIONS));
    const byToken = await supertest(server.app).get(COLLECTIONS).set('Accept', TAXII_MEDIA_TYPE).set('Authorization', `Bearer ${issued.token}`);
    expect(byToken.status).toBe(200);
  });

  it("does not charge a hidden root's own limit, so a 429 cannot tell that it exists", async () => {
    // gb-nca's general budget is 5; bka/internal's own limit of 1 would refuse the 2nd request.
    const nca = taxiiClient(server, 'gb-nca');
    const hidden = [];
    for (let request = 1; request <= 2; request += 1) hidden.push((await nca.get('/bka/internal/collections/')).status);
    expect(hidden).toEqual([404, 404]);
  });

  it('charges requests that fail authentication to the client address, and not the credentials they name', async () => {
    const wrong = { Authorization: `Basic ${Buffer.from('analyst@de-bka:wrong password').toString('base64')}` };
    const statuses = [];
    for (let request = 1; request <= DEFAULT_LIMIT + 1; request += 1) {
      statuses.push((await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set(wrong)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set(wrong);
    expectTooMany(refused);
    // The real user's own budget is untouched by someone guessing its password.
    expect((await taxiiClient(server, 'de-bka').get('/taxii2/')).status).toBe(200);
  });

  it('never limits the health probes', async () => {
    for (let request = 1; request <= DEFAULT_LIMIT + 2; request += 1) expect((await supertest(server.app).get('/health/live')).status).toBe(200);
  });
});
