import { adminClient, IDS, startAdminTestServer, taxiiAs, type AdminTestServer } from '../scripts/admin/admin-test-server';
import { indicator } from '../support/stix-samples';

let server: AdminTestServer;
const ransomware = `/alliance/collections/${IDS.bkaRansomware}/objects/`;
const pool = `/alliance/collections/${IDS.allianceIndicators}/objects/`;
const first = indicator({ modified: '2024-03-01T10:00:00.000Z' });
const second = { ...first, modified: '2024-03-02T10:00:00.000Z', name: 'Phishing domain, revised' };
const nlObject = indicator();
let start = '';
let between = '';

beforeAll(async () => {
  server = await startAdminTestServer('admin_provenance');
  start = new Date().toISOString();
  expect((await taxiiAs(server, 'analyst@de-bka').post(ransomware, { objects: [first] })).status).toBe(202);
  await new Promise((resolve) => setTimeout(resolve, 20));
  between = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect((await taxiiAs(server, 'lead@de-bka').post(ransomware, { objects: [second] })).status).toBe(202);
  expect((await taxiiAs(server, 'analyst@nl-police').post(pool, { objects: [nlObject] })).status).toBe(202);
});
afterAll(() => server.close());

describe('admin API: provenance', () => {
  it('tells the owner who published each version of an object and when', async () => {
    const response = await adminClient(server, 'lead@de-bka').get(`/admin/provenance?collection=${IDS.bkaRansomware}&object=${first.id as string}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ collection: { id: IDS.bkaRansomware, owner: 'de-bka' }, object_id: first.id, more: false });
    expect(response.body.versions).toEqual([
      expect.objectContaining({ version: '2024-03-01T10:00:00.000Z', type: 'indicator', published_by: { organisation: 'de-bka', username: 'analyst@de-bka' } }),
      expect.objectContaining({ version: '2024-03-02T10:00:00.000Z', published_by: { organisation: 'de-bka', username: 'lead@de-bka' } }),
    ]);
    expect(response.body.versions[0].date_added).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(JSON.stringify(response.body)).not.toContain('Phishing domain');
  });

  it('picks one version by its timestamp, given by alias too', async () => {
    const response = await adminClient(server, 'operator@europol').get(`/admin/provenance?collection=de-bka-ransomware&object=${first.id as string}&version=2024-03-02T10:00:00Z`);
    expect(response.status).toBe(200);
    expect(response.body.versions).toEqual([expect.objectContaining({ version: '2024-03-02T10:00:00.000Z', published_by: { organisation: 'de-bka', username: 'lead@de-bka' } })]);
  });

  it('refuses a partner that may read the collection but does not own it (403), hides it from one that cannot see it (404)', async () => {
    const reader = await adminClient(server, 'lead@europol').get(`/admin/provenance?collection=${IDS.bkaRansomware}&object=${first.id as string}`);
    expect(reader.status).toBe(403);
    const outsider = await adminClient(server, 'lead@sentinelgrid').get(`/admin/provenance?collection=${IDS.bkaRansomware}&object=${first.id as string}`);
    expect(outsider.status).toBe(404);
    expect(outsider.body.error_code).toBe('collection-not-found');
  });

  it('refuses a missing parameter and a version that is not a timestamp (400)', async () => {
    const client = adminClient(server, 'lead@de-bka');
    expect((await client.get(`/admin/provenance?collection=${IDS.bkaRansomware}`)).body).toMatchObject({ error_code: 'invalid-parameter', description: "parameter 'object' is required" });
    expect((await client.get(`/admin/provenance?collection=${IDS.bkaRansomware}&object=x&version=yesterday`)).status).toBe(400);
    expect((await client.get(`/admin/provenance?collection=${IDS.bkaRansomware}&object=x&colection=y`)).status).toBe(400);
  });
});

describe('admin API: publications', () => {
  it('lists what an organisation published in a time window, oldest first', async () => {
    const all = await adminClient(server, 'lead@de-bka').get(`/admin/publications?org=de-bka&since=${start}`);
    expect(all.status).toBe(200);
    expect(all.body.publications).toEqual([
      expect.objectContaining({ collection_id: IDS.bkaRansomware, object_id: first.id, version: '2024-03-01T10:00:00.000Z' }),
      expect.objectContaining({ collection_id: IDS.bkaRansomware, object_id: first.id, version: '2024-03-02T10:00:00.000Z' }),
    ]);
    const early = await adminClient(server, 'lead@de-bka').get(`/admin/publications?org=de-bka&since=${start}&until=${between}`);
    expect(early.body.publications).toHaveLength(1);
    expect(early.body.publications[0].version).toBe('2024-03-01T10:00:00.000Z');
    const limited = await adminClient(server, 'lead@de-bka').get(`/admin/publications?org=de-bka&since=${start}&limit=1`);
    expect(limited.body).toMatchObject({ more: true, publications: [expect.objectContaining({ version: '2024-03-01T10:00:00.000Z' })] });
  });

  it('answers the alliance-admin for any organisation and refuses an org-admin another organisation', async () => {
    const nl = await adminClient(server, 'operator@europol').get(`/admin/publications?org=nl-police&since=${start}`);
    expect(nl.body.publications).toEqual([expect.objectContaining({ collection_id: IDS.allianceIndicators, object_id: nlObject.id, published_by: { organisation: 'nl-police', username: 'analyst@nl-police' } })]);
    expect((await adminClient(server, 'lead@de-bka').get('/admin/publications?org=nl-police')).status).toBe(403);
  });
});

describe('admin API: audit query', () => {
  it('shows the owner who read its collection, though the reader is another organisation', async () => {
    const read = await taxiiAs(server, 'analyst@europol').get(`${ransomware}?limit=5`).set('X-Request-Id', 'prov-read-1');
    expect(read.status).toBe(200);
    const trail = await adminClient(server, 'lead@de-bka').get(`/admin/audit?collection=${IDS.bkaRansomware}&action=objects.read`);
    expect(trail.status).toBe(200);
    expect(trail.body.records).toEqual([expect.objectContaining({ action: 'objects.read', username: 'analyst@europol', organisation: 'europol', request_id: 'prov-read-1' })]);
  });

  it('finds the same records by alias as by id (config/resolve-collection.ts)', async () => {
    const read = await taxiiAs(server, 'analyst@nl-police').get(`${ransomware}?limit=1`).set('X-Request-Id', 'prov-read-alias');
    expect(read.status).toBe(200);
    const byId = await adminClient(server, 'lead@de-bka').get(`/admin/audit?collection=${IDS.bkaRansomware}&since=${start}`);
    const byAlias = await adminClient(server, 'lead@de-bka').get(`/admin/audit?collection=de-bka-ransomware&since=${start}`);
    expect(byAlias.status).toBe(200);
    // Two writes in beforeAll, the reads of the tests before and this one: at least three, all on the collection.
    expect(byAlias.body.records.length).toBeGreaterThanOrEqual(3);
    expect(byAlias.body.records).toEqual(byId.body.records);
    expect(byAlias.body.records).toContainEqual(expect.objectContaining({ action: 'objects.read', request_id: 'prov-read-alias', collection_id: IDS.bkaRansomware }));
    expect(new Set(byAlias.body.records.map((record: { collection_id: string }) => record.collection_id))).toEqual(new Set([IDS.bkaRansomware]));
  });

  it('refuses an org-admin another organisation\'s collection by alias exactly as by id, without naming the id', async () => {
    const byAlias = await adminClient(server, 'lead@sentinelgrid').get('/admin/audit?collection=de-gb-bilateral');
    const byId = await adminClient(server, 'lead@sentinelgrid').get(`/admin/audit?collection=${IDS.deGbBilateral}`);
    expect([byAlias.status, byAlias.body.error_code]).toEqual([byId.status, byId.body.error_code]);
    expect(byAlias.status).toBe(403);
    expect(JSON.stringify(byAlias.body)).not.toContain(IDS.deGbBilateral);
  });

  it('gives an org-admin its own trail by default, and refuses another organisation\'s', async () => {
    const own = await adminClient(server, 'lead@nl-police').get(`/admin/audit?since=${start}`);
    expect(own.status).toBe(200);
    const organisations = new Set(own.body.records.map((record: { organisation: string }) => record.organisation));
    expect([...organisations]).toEqual(['nl-police']);
    expect((await adminClient(server, 'lead@nl-police').get('/admin/audit?org=de-bka')).status).toBe(403);
    expect((await adminClient(server, 'operator@europol').get(`/admin/audit?org=de-bka&collection=${IDS.bkaRansomware}`)).status).toBe(400);
    expect((await adminClient(server, 'operator@europol').get('/admin/audit?limit=0')).status).toBe(400);
  });
});
