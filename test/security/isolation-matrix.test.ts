import type { Response } from 'supertest';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/**
 * The access each organisation has to each collection of the test alliance, written out by hand
 * from test/support/alliance.ts (not computed by the policy module, which is what is under test).
 * It covers all four cases: no grant, read only, write only, read and write.
 */
type Rights = '' | 'r' | 'w' | 'rw';
type CollectionName = keyof typeof COLLECTION_IDS;
const ORGANISATIONS = ['de-bka', 'gb-nca', 'europol', 'acme-sec'] as const;
const EXPECTED: Record<(typeof ORGANISATIONS)[number], Record<CollectionName, Rights>> = {
  'de-bka': { bka: 'rw', shared: 'rw', greenCeiling: 'rw', gbOnly: '', internal: 'rw' },
  'gb-nca': { bka: 'r', shared: 'rw', greenCeiling: 'rw', gbOnly: 'rw', internal: '' },
  europol: { bka: 'w', shared: 'rw', greenCeiling: 'rw', gbOnly: '', internal: '' },
  'acme-sec': { bka: '', shared: 'rw', greenCeiling: 'rw', gbOnly: '', internal: '' },
};
const OWNER: Record<CollectionName, string> = { bka: 'de-bka', shared: 'europol', greenCeiling: 'europol', gbOnly: 'gb-nca', internal: 'de-bka' };
const ROOT: Record<CollectionName, string> = { bka: 'alliance', shared: 'alliance', greenCeiling: 'alliance', gbOnly: 'alliance', internal: 'bka/internal' };
const COLLECTIONS = Object.keys(COLLECTION_IDS) as CollectionName[];
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';

let server: TestServer;
const markers = {} as Record<CollectionName, Record<string, unknown>>;

beforeAll(async () => {
  server = await startTestServer('isolation-matrix');
  for (const name of COLLECTIONS) {
    markers[name] = indicator({ name: `marker-of-${name}`, object_marking_refs: [TLP_GREEN] });
    const posted = await taxiiClient(server, OWNER[name]).post(`/${ROOT[name]}/collections/${COLLECTION_IDS[name]}/objects/`, { objects: [markers[name]] });
    expect(posted.body.success_count).toBe(1);
  }
});
afterAll(() => server.close());

/** No response may carry the marker object of a collection the organisation cannot read. */
function expectNoLeak(organisation: (typeof ORGANISATIONS)[number], response: Response): void {
  for (const name of COLLECTIONS) {
    if (EXPECTED[organisation][name].includes('r')) continue;
    expect(response.text).not.toContain(`marker-of-${name}`);
  }
}

const cases = ORGANISATIONS.flatMap((organisation) => COLLECTIONS.map((name) => [organisation, name, EXPECTED[organisation][name]] as const));

describe.each(cases)('%s on collection %s (rights %p)', (organisation, name, rights) => {
  const canRead = rights.includes('r');
  const canWrite = rights.includes('w');
  const visible = rights !== '';
  const base = () => `/${ROOT[name]}/collections/${COLLECTION_IDS[name]}`;
  const objectId = () => String(markers[name].id);
  const client = () => taxiiClient(server, organisation);

  it('gets the collection resource with its own truth, or 404', async () => {
    const response = await client().get(`${base()}/`);
    expectNoLeak(organisation, response);
    if (!visible) return expect(response.status).toBe(404);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: COLLECTION_IDS[name], can_read: canRead, can_write: canWrite });
  });

  it.each(['/objects/', '/manifest/', '/objects/{id}/', '/objects/{id}/versions/'])('GET %s: 200 to a reader, 403 to a writer only, 404 otherwise', async (path) => {
    const response = await client().get(`${base()}${path.replace('{id}', objectId())}`);
    expectNoLeak(organisation, response);
    expect(response.status).toBe(canRead ? 200 : visible ? 403 : 404);
    const evidence = path.endsWith('versions/') ? String(markers[name].modified) : objectId();
    if (canRead) expect(response.text).toContain(evidence);
  });

  it('POST objects: 202 to a writer, 403 to a reader only, 404 otherwise', async () => {
    const response = await client().post(`${base()}/objects/`, { objects: [indicator({ object_marking_refs: [TLP_GREEN] })] });
    expectNoLeak(organisation, response);
    expect(response.status).toBe(canWrite ? 202 : visible ? 403 : 404);
  });

  it('DELETE an object: 200 only with read and write, 403 with one of them, 404 without either (X-01)', async () => {
    // A version that does not exist: the answer is decided without removing the marker.
    const response = await client().delete(`${base()}/objects/${objectId()}/?match[version]=2000-01-01T00:00:00Z`);
    expect(response.status).toBe(canRead && canWrite ? 200 : visible ? 403 : 404);
  });

  it('answers the same for a percent-encoded collection id and object id', async () => {
    const encodedCollection = encodeURIComponent(COLLECTION_IDS[name]).replace(/-/g, '%2D');
    const encodedObject = objectId().replace(/-/g, '%2D');
    const response = await client().get(`/${ROOT[name]}/collections/${encodedCollection}/objects/${encodedObject}/`);
    expectNoLeak(organisation, response);
    expect(response.status).toBe(canRead ? 200 : visible ? 403 : 404);
  });

  it('hides a collection without a grant exactly like a random id', async () => {
    if (visible) return;
    const hidden = await client().get(`${base()}/objects/`);
    const random = await client().get(`/${ROOT[name]}/collections/00000000-0000-4000-8000-000000000000/objects/`);
    expect(hidden.status).toBe(random.status);
    expect(hidden.body.error_code).toBe(random.body.error_code);
  });
});

describe.each(ORGANISATIONS)('collection listings for %s', (organisation) => {
  it.each(['alliance', 'bka/internal'])('lists in /%s/ exactly the collections it may see, with can_read/can_write', async (root) => {
    const response = await taxiiClient(server, organisation).get(`/${root}/collections/`);
    const expected = COLLECTIONS.filter((name) => ROOT[name] === root && EXPECTED[organisation][name] !== '')
      .map((name) => ({ id: COLLECTION_IDS[name], can_read: EXPECTED[organisation][name].includes('r'), can_write: EXPECTED[organisation][name].includes('w') }))
      .sort((a, b) => a.id.localeCompare(b.id));
    if (expected.length === 0) return expect(response.status).toBe(404);
    expect(response.status).toBe(200);
    const listed = response.body.collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => ({ id: c.id, can_read: c.can_read, can_write: c.can_write }));
    expect(listed).toEqual(expected);
  });
});
