import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
// Posted out of order: the oldest version arrives last, so "latest" must follow the version, not date_added (Y-04).
const base = indicator({ created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z' });
const v2 = { ...base, modified: '2024-02-01T00:00:00.5Z' };
const v3 = { ...base, modified: '2024-03-01T00:00:00.000001Z' };

beforeAll(async () => {
  server = await startTestServer('object-versions');
  const client = taxiiClient(server, 'de-bka');
  await client.post(`${shared}/objects/`, { objects: [v2] });
  await client.post(`${shared}/objects/`, { objects: [v3] });
  await client.post(`${shared}/objects/`, { objects: [base] });
});
afterAll(() => server.close());

describe('one object and its versions', () => {
  it('serves the latest version by default, in an envelope with date headers (G-02, G-05)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${shared}/objects/${base.id}/`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(response.body.objects).toEqual([v3]);
    expect(response.headers['x-taxii-date-added-first']).toBe(response.headers['x-taxii-date-added-last']);
  });

  it('serves first, all and a specific version compared as an instant (Q-12, Q-13)', async () => {
    const client = taxiiClient(server, 'gb-nca');
    expect((await client.get(`${shared}/objects/${base.id}/?match[version]=first`)).body.objects).toEqual([base]);
    const all = await client.get(`${shared}/objects/${base.id}/?match[version]=all`);
    expect(all.body.objects).toEqual([v2, v3, base]); // date_added order
    const exact = await client.get(`${shared}/objects/${base.id}/?match[version]=2024-02-01T00:00:00.500Z`);
    expect(exact.body.objects).toEqual([v2]);
    const both = await client.get(`${shared}/objects/${base.id}/?match[version]=first,last`);
    expect(both.body.objects).toEqual([v3, base]);
  });

  it('answers 404 for an object the collection does not hold (G-04)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${shared}/objects/${indicator().id}/`);
    expect(response.status).toBe(404);
    expect(response.body.error_code).toBe('object-not-found');
  });

  it('lists versions in date_added order with headers, paged with next (V-01, V-04, P-06)', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const first = await client.get(`${shared}/objects/${base.id}/versions/?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.versions).toEqual([v2.modified, v3.modified]);
    expect(first.body.more).toBe(true);
    expect(first.headers['x-taxii-date-added-first']).toBeDefined();
    const rest = await client.get(`${shared}/objects/${base.id}/versions/?limit=2&next=${encodeURIComponent(first.body.next)}`);
    expect(rest.body).toEqual({ more: false, versions: [base.modified] });
  });

  it('refuses a cursor issued for another resource', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const first = await client.get(`${shared}/objects/${base.id}/versions/?limit=1`);
    const misused = await client.get(`${shared}/objects/?next=${encodeURIComponent(first.body.next)}`);
    expect(misused.status).toBe(400);
    expect(misused.body.error_code).toBe('invalid-parameter');
    const garbage = await client.get(`${shared}/objects/?next=not-a-cursor`);
    expect(garbage.status).toBe(400);
  });

  it('shows one manifest record per version with media_type (M-03, F-manifest)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${shared}/manifest/?match[id]=${base.id}&match[version]=all`);
    expect(response.status).toBe(200);
    expect(response.body.objects.map((record: { version: string }) => record.version)).toEqual([v2.modified, v3.modified, base.modified]);
    for (const record of response.body.objects) {
      expect(Object.keys(record).sort()).toEqual(['date_added', 'id', 'media_type', 'version']);
      expect(record.media_type).toBe('application/stix+json;version=2.1');
    }
  });
});

describe('DELETE an object', () => {
  it('needs both read and write: 403 for a read-only partner (X-01)', async () => {
    const response = await taxiiClient(server, 'gb-nca').delete(`/alliance/collections/${COLLECTION_IDS.bka}/objects/${base.id}/`);
    expect(response.status).toBe(403);
  });

  it('deletes one version by match[version], then the rest without it (X-02, X-03, X-05)', async () => {
    const client = taxiiClient(server, 'de-bka');
    const one = await client.delete(`${shared}/objects/${base.id}/?match[version]=${v3.modified}`);
    expect(one.status).toBe(200);
    expect(one.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(one.text).toBe('');
    // The latest remaining version takes over as "last".
    expect((await client.get(`${shared}/objects/${base.id}/`)).body.objects).toEqual([v2]);
    expect((await client.delete(`${shared}/objects/${base.id}/`)).status).toBe(200);
    expect((await client.get(`${shared}/objects/${base.id}/`)).status).toBe(404);
    const manifest = await client.get(`${shared}/manifest/?match[id]=${base.id}&match[version]=all`);
    expect(manifest.body).toEqual({ more: false });
    expect((await client.delete(`${shared}/objects/${base.id}/`)).status).toBe(404);
  });
});
