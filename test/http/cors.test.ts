import supertest from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

const PORTAL = 'https://portal.alliance.example';
const OBJECTS = `/alliance/collections/${COLLECTION_IDS.shared}/objects/`;

let off: TestServer;
let on: TestServer;
beforeAll(async () => {
  off = await startTestServer('cors_off');
  on = await startTestServer('cors_on', undefined, { http: { tls: false, corsOrigins: [PORTAL] } });
});
afterAll(async () => {
  await off.close();
  await on.close();
});

function preflight(server: TestServer, path: string, origin: string) {
  return supertest(server.app).options(path).set('Origin', origin).set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization, content-type, accept');
}

describe('OPTIONS without credentials (no 401, no existence oracle)', () => {
  it.each([
    ['/taxii2/', 'GET, OPTIONS'],
    ['/alliance/', 'GET, OPTIONS'],
    ['/alliance/collections/', 'GET, OPTIONS'],
    [OBJECTS, 'GET, POST, OPTIONS'],
    [`${OBJECTS}indicator--00000000-0000-4000-8000-000000000000/`, 'GET, DELETE, OPTIONS'],
    ['/admin/users', 'GET, POST, OPTIONS'],
  ])('answers 204 for %s with Allow: %s', async (path, allow) => {
    const response = await supertest(off.app).options(path);
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe(allow);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('answers a hidden API root, a hidden collection and absent ones alike', async () => {
    const observe = async (path: string) => {
      const response = await supertest(off.app).options(path);
      return { status: response.status, allow: response.headers.allow, type: response.headers['content-type'], body: response.text };
    };
    expect(await observe('/bka/internal/collections/')).toEqual(await observe('/no/such-root/collections/'));
    expect(await observe(`/bka/internal/collections/${COLLECTION_IDS.internal}/objects/`)).toEqual(await observe('/nowhere/collections/x/objects/'));
  });

  it('answers 404 with a TAXII error where no route has that shape', async () => {
    const response = await supertest(off.app).options('/');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(response.body.error_code).toBe('not-found');
  });

  it('with credentials goes through the routes: 405 with Allow on a visible resource', async () => {
    const response = await supertest(off.app).options(OBJECTS).set(off.authFor('de-bka'));
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
    expect(response.body.error_code).toBe('method-not-allowed');
  });
});

describe('CORS', () => {
  it('is off by default: no Access-Control header, even for a preflight', async () => {
    const response = await preflight(off, OBJECTS, PORTAL);
    expect(response.status).toBe(204);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const read = await taxiiClient(off, 'de-bka').get(OBJECTS).set('Origin', PORTAL);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the preflight of a listed origin without credentials, with credentials allowed', async () => {
    const response = await preflight(on, OBJECTS, PORTAL);
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(response.headers['access-control-allow-headers']).toBe('Authorization, Accept, Content-Type, X-Request-Id');
    expect(response.headers['access-control-max-age']).toBe('600');
    expect(response.headers.vary).toMatch(/Origin/);
  });

  it('answers a preflight that carries credentials the same way, for a hidden root as for an absent one', async () => {
    const hidden = await preflight(on, '/bka/internal/collections/', PORTAL).set(on.authFor('gb-nca'));
    const absent = await preflight(on, '/no/such-root/collections/', PORTAL).set(on.authFor('gb-nca'));
    expect(hidden.status).toBe(204);
    expect({ ...hidden.headers, date: '', 'x-request-id': '' }).toEqual({ ...absent.headers, date: '', 'x-request-id': '' });
  });

  it('gives an unlisted origin no CORS header, on the preflight and on the request', async () => {
    const evil = 'https://evil.example';
    const response = await preflight(on, OBJECTS, evil);
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    const read = await taxiiClient(on, 'de-bka').get(OBJECTS).set('Origin', evil);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('exposes the TAXII headers to a listed origin on answers and on errors', async () => {
    const read = await taxiiClient(on, 'de-bka').get(OBJECTS).set('Origin', PORTAL);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(read.headers['access-control-allow-credentials']).toBe('true');
    const exposed = String(read.headers['access-control-expose-headers']).split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['X-TAXII-Date-Added-First', 'X-TAXII-Date-Added-Last', 'Content-Type']));
    const unauthenticated = await supertest(on.app).get(OBJECTS).set('Accept', TAXII_MEDIA_TYPE).set('Origin', PORTAL);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['access-control-allow-origin']).toBe(PORTAL);
  });
});
