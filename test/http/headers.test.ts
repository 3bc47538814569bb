import supertest from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';
import { adminClient, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const OBJECTS = `/alliance/collections/${COLLECTION_IDS.bka}/objects/`;

let plain: TestServer;
let tls: TestServer;
beforeAll(async () => {
  plain = await startTestServer('headers_plain', undefined, { http: { tls: false, corsOrigins: [] } });
  tls = await startTestServer('headers_tls', undefined, { http: { tls: true, corsOrigins: [] } });
});
afterAll(async () => {
  await plain.close();
  await tls.close();
});

/** What every answer of the TAXII listener carries, whatever its status (docs/security.md 6). */
function expectHardened(headers: Record<string, string | undefined>): void {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-powered-by']).toBeUndefined();
}

describe('security headers on the TAXII listener', () => {
  it('serves TLP:AMBER objects with no-store, nosniff and no framing', async () => {
    const amber = indicator({ object_marking_refs: [TLP_AMBER] });
    const posted = await taxiiClient(plain, 'europol').post(OBJECTS, { objects: [amber] });
    expect(posted.status).toBe(202);
    expect(posted.body.success_count).toBe(1);
    expectHardened(posted.headers);

    const read = await taxiiClient(plain, 'de-bka').get(OBJECTS);
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(read.body.objects.map((object: { id: string }) => object.id)).toContain(amber.id);
    expectHardened(read.headers);
  });

  it.each(['/taxii2/', '/alliance/', '/alliance/collections/', `/alliance/collections/${COLLECTION_IDS.shared}/manifest/`])(
    'sends no-store on discovery and every TAXII resource: %s',
    async (path) => {
      const response = await taxiiClient(plain, 'de-bka').get(path);
      expect(response.status).toBe(200);
      expectHardened(response.headers);
    },
  );

  it('sends the same headers on error answers: 401, 404, 406', async () => {
    const unauthenticated = await supertest(plain.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE);
    expect(unauthenticated.status).toBe(401);
    expectHardened(unauthenticated.headers);
    const missing = await taxiiClient(plain, 'de-bka').get('/alliance/collections/00000000-0000-4000-8000-000000000000/');
    expect(missing.status).toBe(404);
    expectHardened(missing.headers);
    const unacceptable = await supertest(plain.app).get('/taxii2/').set(plain.authFor('de-bka')).set('Accept', 'text/html');
    expect(unacceptable.status).toBe(406);
    expectHardened(unacceptable.headers);
  });

  it('sends no HSTS over plain HTTP, and HSTS for a year when the server terminates TLS', async () => {
    const overHttp = await taxiiClient(plain, 'de-bka').get('/taxii2/');
    expect(overHttp.headers['strict-transport-security']).toBeUndefined();
    const overTls = await taxiiClient(tls, 'de-bka').get('/taxii2/');
    expect(overTls.status).toBe(200);
    expect(overTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expectHardened(overTls.headers);
  });

  it('sends no-store on the health probes too', async () => {
    const ready = await supertest(plain.app).get('/health/ready');
    expect(ready.status).toBe(200);
    expectHardened(ready.headers);
  });
});

describe('security headers on the admin API', () => {
  let admin: AdminTestServer;
  beforeAll(async () => {
    admin = await startAdminTestServer('headers_admin');
  });
  afterAll(() => admin.close());

  it('sends no-store on admin answers, listings and refusals alike', async () => {
    const users = await adminClient(admin, 'operator@europol').get('/admin/users');
    expect(users.status).toBe(200);
    expectHardened(users.headers);
    const refused = await adminClient(admin, 'analyst@de-bka').get('/admin/audit');
    expect(refused.status).toBe(403);
    expectHardened(refused.headers);
  });
});
