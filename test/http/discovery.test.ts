import supertest from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('discovery');
});
afterAll(() => server.close());

describe('discovery, API roots and collections', () => {
  it('serves discovery with only the API roots the caller can see (D-01, D-03, D-04)', async () => {
    const bka = await taxiiClient(server, 'de-bka').get('/taxii2/');
    expect(bka.status).toBe(200);
    expect(bka.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(bka.body).toEqual({
      title: 'Test Alliance TAXII',
      description: 'for tests',
      contact: 'soc@example.org',
      default: '/alliance/',
      api_roots: ['/alliance/', '/bka/internal/'],
    });
    const nca = await taxiiClient(server, 'gb-nca').get('/taxii2/');
    expect(nca.body.api_roots).toEqual(['/alliance/']);
  });

  it('answers 401 with a challenge without credentials, even on unknown paths (H-06, H-07)', async () => {
    for (const path of ['/taxii2/', '/alliance/', '/no/such/path/']) {
      const response = await supertest(server.app).get(path).set('Accept', TAXII_MEDIA_TYPE);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
      expect(response.body.error_code).toBe('unauthenticated');
      expect(response.body.http_status).toBe('401');
    }
  });

  it('describes an API root with the TAXII 2.1 version and its max_content_length (R-01..R-03)', async () => {
    const response = await taxiiClient(server, 'de-bka').get('/alliance/');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      title: 'Alliance',
      description: 'shared root',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 1_000_000,
    });
  });

  it('serves an API root with two path segments (C-02)', async () => {
    const response = await taxiiClient(server, 'de-bka').get('/bka/internal/collections/');
    expect(response.status).toBe(200);
    expect(response.body.collections.map((c: { id: string }) => c.id)).toEqual([COLLECTION_IDS.internal]);
  });

  it('hides another partner\'s internal API root: 404, exactly as a root that does not exist (R-04, docs/security.md §5)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get('/bka/internal/');
    const absent = await taxiiClient(server, 'gb-nca').get('/bka/nowhere/');
    expect(response.status).toBe(404);
    expect(response.body.error_code).toBe('not-found');
    expect({ ...response.body, error_id: undefined }).toEqual({ ...absent.body, error_id: undefined });
  });

  it('lists visible collections sorted by id with the caller\'s own rights (L-03, K-02)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get('/alliance/collections/');
    expect(response.status).toBe(200);
    const summary = response.body.collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => [c.id, c.can_read, c.can_write]);
    expect(summary).toEqual(
      [
        [COLLECTION_IDS.bka, true, false],
        [COLLECTION_IDS.shared, true, true],
        [COLLECTION_IDS.gbOnly, true, true],
        [COLLECTION_IDS.greenCeiling, true, true],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('serves a collection by id and by alias, and hides one without a grant (K-03, K-05)', async () => {
    const byId = await taxiiClient(server, 'europol').get(`/alliance/collections/${COLLECTION_IDS.bka}/`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: COLLECTION_IDS.bka, alias: 'bka-indicators', can_read: false, can_write: true });
    const byAlias = await taxiiClient(server, 'europol').get('/alliance/collections/bka-indicators/');
    expect(byAlias.body.id).toBe(COLLECTION_IDS.bka);
    const hidden = await taxiiClient(server, 'acme-sec').get(`/alliance/collections/${COLLECTION_IDS.gbOnly}/`);
    const random = await taxiiClient(server, 'acme-sec').get('/alliance/collections/5b4a7a8c-6ebf-4b9d-9e7c-9fbd4a6b5e05/');
    expect(hidden.status).toBe(404);
    expect(random.status).toBe(404);
    expect(hidden.body.error_code).toBe(random.body.error_code);
    expect(hidden.body.description).toBe(random.body.description.replace('5b4a7a8c-6ebf-4b9d-9e7c-9fbd4a6b5e05', COLLECTION_IDS.gbOnly));
  });

  it('answers 406 to an Accept header that rules out TAXII 2.1, and serves */* (N-03, N-04)', async () => {
    const auth = server.authFor('de-bka');
    const old = await supertest(server.app).get('/taxii2/').set(auth).set('Accept', 'application/taxii+json;version=2.0');
    expect(old.status).toBe(406);
    expect(old.body.error_code).toBe('not-acceptable');
    const html = await supertest(server.app).get('/taxii2/').set(auth).set('Accept', 'text/html');
    expect(html.status).toBe(406);
    const any = await supertest(server.app).get('/taxii2/').set(auth).set('Accept', '*/*');
    expect(any.status).toBe(200);
    const spaced = await supertest(server.app).get('/taxii2/').set(auth).set('Accept', 'Application/TAXII+json; version=2.1; q=0.9');
    expect(spaced.status).toBe(200);
  });

  it('answers 405 with a TAXII error to a method the resource does not have', async () => {
    const auth = server.authFor('de-bka');
    const response = await supertest(server.app).put('/alliance/collections/').set(auth).set('Accept', TAXII_MEDIA_TYPE);
    expect(response.status).toBe(405);
    expect(response.body.error_code).toBe('method-not-allowed');
  });
});
