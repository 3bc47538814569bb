import supertest from 'supertest';
import type { Principal } from '../../server/auth/principal';
import { listCollections } from '../../server/services/collections';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { indicator, malware } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/**
 * The checklist's MUST and SHOULD lines, each named by its id, for those whose behaviour the
 * per-resource files exercise without naming it.
 */
let server: TestServer;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const first = indicator({ name: 'Zürich – Überweisungsbetrug ✓' });
const second = malware();

beforeAll(async () => {
  server = await startTestServer('conformance-named');
  const client = taxiiClient(server, 'de-bka');
  await client.post(`${shared}/objects/`, { objects: [first] });
  await client.post(`${shared}/objects/`, { objects: [second] });
});
afterAll(() => server.close());

const isSafeIntegers = (value: unknown): boolean =>
  typeof value === 'number' ? Number.isSafeInteger(value) : Array.isArray(value) ? value.every(isSafeIntegers) : typeof value === 'object' && value !== null ? Object.values(value).every(isSafeIntegers) : true;

describe('checklist lines by id', () => {
  it('C-01: discovery is GET /taxii2/ at the server root', async () => {
    const response = await taxiiClient(server, 'de-bka').get('/taxii2/');
    expect(response.status).toBe(200);
    expect(response.body.title).toBe('Test Alliance TAXII');
  });

  it('C-04: bodies are UTF-8 and non-ASCII text comes back unchanged', async () => {
    const response = await taxiiClient(server, 'de-bka').get(`${shared}/objects/${first.id}/`);
    expect(response.body.objects[0].name).toBe('Zürich – Überweisungsbetrug ✓');
  });

  it('C-08: every integer the server writes is within ±(2^53−1)', async () => {
    const client = taxiiClient(server, 'de-bka');
    for (const path of ['/alliance/', `${shared}/manifest/`, `/alliance/collections/`]) expect(isSafeIntegers((await client.get(path)).body)).toBe(true);
  });

  it('C-12: objects and manifest come sorted by date_added, newest last', async () => {
    const manifest = await taxiiClient(server, 'de-bka').get(`${shared}/manifest/?match[id]=${second.id},${first.id}`);
    expect(manifest.body.objects.map((record: { id: string }) => record.id)).toEqual([first.id, second.id]);
    const objects = await taxiiClient(server, 'de-bka').get(`${shared}/objects/?match[id]=${second.id},${first.id}`);
    expect(objects.body.objects.map((object: { id: string }) => object.id)).toEqual([first.id, second.id]);
  });

  it('C-13, L-03: the collections list keeps one order, ascending by id', async () => {
    const a = await taxiiClient(server, 'gb-nca').get('/alliance/collections/');
    const b = await taxiiClient(server, 'gb-nca').get('/alliance/collections/');
    const ids = a.body.collections.map((collection: { id: string }) => collection.id);
    expect(b.body.collections.map((collection: { id: string }) => collection.id)).toEqual(ids);
    expect([...ids].sort()).toEqual(ids);
  });

  it('D-02: api_roots are relative URLs with one leading slash and no query', async () => {
    const response = await taxiiClient(server, 'de-bka').get('/taxii2/');
    for (const root of response.body.api_roots as string[]) expect(root).toMatch(/^\/[^/?][^?]*\/$/);
  });

  it('R-02: versions holds exactly application/taxii+json;version=2.1', async () => {
    expect((await taxiiClient(server, 'de-bka').get('/alliance/')).body.versions).toEqual(['application/taxii+json;version=2.1']);
  });

  it('K-01: a collection has id, title, can_read and can_write', async () => {
    const response = await taxiiClient(server, 'europol').get(`${shared}/`);
    expect(response.body).toEqual(expect.objectContaining({ id: COLLECTION_IDS.shared, title: expect.any(String), can_read: true, can_write: true }));
  });

  it('L-01: a principal who sees no collection of a root gets {}', () => {
    const outsider: Principal = { username: 'x@nowhere', organisation: 'nowhere', role: 'member', authenticatedBy: { method: 'password' } };
    const config = testAlliance();
    const root = config.apiRoots.find((candidate) => candidate.path === 'bka/internal');
    if (!root) throw new Error('test alliance lacks its internal root');
    expect(listCollections(config, outsider, root)).toEqual({});
  });

  it('L-02, H-05: HTTP Basic is accepted, and a failed authentication on collections is 401', async () => {
    const failed = await supertest(server.app).get('/alliance/collections/').set('Accept', TAXII_MEDIA_TYPE).auth('analyst@de-bka', 'wrong');
    expect(failed.status).toBe(401);
    expect((await taxiiClient(server, 'de-bka').get('/alliance/collections/')).status).toBe(200);
  });

  it('M-01, O-01: without read access the manifest and objects answer 403, hidden collections 404', async () => {
    const bka = `/alliance/collections/${COLLECTION_IDS.bka}`;
    expect((await taxiiClient(server, 'europol').get(`${bka}/manifest/`)).status).toBe(403);
    expect((await taxiiClient(server, 'europol').get(`${bka}/objects/`)).status).toBe(403);
    expect((await taxiiClient(server, 'acme-sec').get(`${bka}/manifest/`)).status).toBe(404);
  });

  it('M-02: manifest filters apply to the source object, so match[type] works there too', async () => {
    const response = await taxiiClient(server, 'de-bka').get(`${shared}/manifest/?match[type]=malware`);
    expect(response.body.objects.map((record: { id: string }) => record.id)).toEqual([second.id]);
  });

  it('M-04, O-04, V-03: 200 listings carry both X-TAXII-Date-Added headers', async () => {
    const client = taxiiClient(server, 'de-bka');
    for (const path of [`${shared}/manifest/`, `${shared}/objects/`, `${shared}/objects/${first.id}/versions/`]) {
      const response = await client.get(path);
      expect(response.headers['x-taxii-date-added-first']).toBeDefined();
      expect(response.headers['x-taxii-date-added-last']).toBeDefined();
    }
  });

  it('N-02: every response, errors included, is application/taxii+json;version=2.1 exactly', async () => {
    const client = taxiiClient(server, 'de-bka');
    for (const path of ['/taxii2/', `${shared}/objects/`, `${shared}/objects/?limit=0`, '/nowhere/']) {
      expect((await client.get(path)).headers['content-type']).toBe('application/taxii+json;version=2.1');
    }
  });

  it('N-05: an Accept without a version gets TAXII 2.1', async () => {
    const response = await supertest(server.app).get('/taxii2/').set(server.authFor('de-bka')).set('Accept', 'application/taxii+json');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/taxii+json;version=2.1');
  });

  it('G-01: an object is addressed by its STIX id', async () => {
    expect((await taxiiClient(server, 'de-bka').get(`${shared}/objects/${second.id}/`)).body.objects[0].id).toBe(second.id);
  });

  it('P-02: when everything fits within the limit, everything comes and more is false', async () => {
    const response = await taxiiClient(server, 'de-bka').get(`${shared}/objects/?limit=500`);
    expect(response.body.more).toBe(false);
    expect(response.body.objects.map((object: { id: string }) => object.id)).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('P-07: a next cursor is re-checked: it cannot be used on another collection', async () => {
    const page = await taxiiClient(server, 'de-bka').get(`${shared}/objects/?limit=1`);
    expect(page.body.more).toBe(true);
    const elsewhere = await taxiiClient(server, 'de-bka').get(`/alliance/collections/${COLLECTION_IDS.bka}/objects/?next=${encodeURIComponent(page.body.next)}`);
    expect(elsewhere.status).toBe(400);
  });

  it('S-02, A-09: a status is complete at once and kept at least 24 hours', async () => {
    const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [indicator()] });
    expect(posted.body.status).toBe('complete');
    const stored = await server.context.statuses.find('alliance', posted.body.id);
    expect((stored?.expiresAt.getTime() ?? 0) - Date.now()).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 60_000);
  });

  it('V-02: the versions endpoint applies match[spec_version]', async () => {
    const client = taxiiClient(server, 'de-bka');
    expect((await client.get(`${shared}/objects/${first.id}/versions/?match[spec_version]=2.0`)).body).toEqual({ more: false });
    expect((await client.get(`${shared}/objects/${first.id}/versions/?match[spec_version]=2.1`)).body.versions).toEqual([first.modified]);
  });

  it('B-01: a body of exactly max_content_length is not refused as too large', async () => {
    const limit = 1_000_000;
    const skeleton = JSON.stringify({ objects: [indicator({ description: '' })] });
    const padded = skeleton.replace('"description":""', `"description":"${'x'.repeat(limit - skeleton.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(limit);
    const response = await supertest(server.app)
      .post(`${shared}/objects/`)
      .set(server.authFor('de-bka'))
      .set('Accept', TAXII_MEDIA_TYPE)
      .set('Content-Type', TAXII_MEDIA_TYPE)
      .send(padded);
    expect(response.status).toBe(202);
  });
});
