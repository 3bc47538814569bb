import { COLLECTION_IDS } from '../support/alliance';
import { indicator, ipv4, malware } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
const gb = `/alliance/collections/${COLLECTION_IDS.gbOnly}`;
const indicators = [indicator(), indicator(), indicator()];
const malwares = [malware(), malware()];
const address = ipv4('203.0.113.9');
let cutOff = '';

beforeAll(async () => {
  server = await startTestServer('filters');
  const client = taxiiClient(server, 'gb-nca');
  await client.post(`${gb}/objects/`, { objects: [...indicators, malwares[0]] });
  const manifest = await client.get(`${gb}/manifest/`);
  cutOff = manifest.headers['x-taxii-date-added-last'] ?? '';
  await client.post(`${gb}/objects/`, { objects: [malwares[1], address] });
});
afterAll(() => server.close());

const idsOf = (body: { objects?: { id: string }[] }) => (body.objects ?? []).map((object) => object.id);

describe('filters on the objects endpoint', () => {
  it('matches any of several types, ORed by commas (Q-08, Q-11)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?match[type]=malware,ipv4-addr`);
    expect(response.status).toBe(200);
    expect(idsOf(response.body)).toEqual([malwares[0]?.id, malwares[1]?.id, address.id]);
  });

  it('ANDs different fields (3.13.1.8)', async () => {
    const wanted = `${indicators[0]?.id},${malwares[0]?.id}`;
    const response = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?match[id]=${wanted}&match[type]=indicator`);
    expect(idsOf(response.body)).toEqual([indicators[0]?.id]);
  });

  it('treats added_after as exclusive on date_added (Q-03)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?added_after=${cutOff}`);
    expect(idsOf(response.body)).toEqual([malwares[1]?.id, address.id]);
  });

  it('returns nothing for a spec_version the collection does not hold, and everything for 2.1 (Q-14)', async () => {
    const none = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?match[spec_version]=2.0`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ more: false });
    expect(none.headers['x-taxii-date-added-first']).toBeUndefined();
    const all = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?match[spec_version]=2.1`);
    expect(idsOf(all.body)).toHaveLength(6);
  });

  it('pages with limit and next, and the cursor keeps the filters (P-01, P-04, P-05)', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const first = await client.get(`${gb}/objects/?match[type]=indicator,malware&limit=2`);
    expect(idsOf(first.body)).toEqual([indicators[0]?.id, indicators[1]?.id]);
    expect(first.body.more).toBe(true);
    const second = await client.get(`${gb}/objects/?limit=2&next=${encodeURIComponent(first.body.next)}`);
    expect(idsOf(second.body)).toEqual([indicators[2]?.id, malwares[0]?.id]);
    // taxii2-client may lower the limit with next (P-08).
    const third = await client.get(`${gb}/objects/?limit=1&next=${encodeURIComponent(second.body.next)}`);
    expect(idsOf(third.body)).toEqual([malwares[1]?.id]);
    expect(third.body.more).toBe(false);
    expect(third.body.next).toBeUndefined();
  });

  it('pages the manifest with next too (P-06)', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const first = await client.get(`${gb}/manifest/?limit=4`);
    expect(first.body.objects).toHaveLength(4);
    const second = await client.get(`${gb}/manifest/?next=${encodeURIComponent(first.body.next)}`);
    expect(second.body.objects.map((record: { id: string }) => record.id)).toEqual([malwares[1]?.id, address.id]);
  });

  it.each([
    ['a duplicated match field (3.13.1.10)', 'match[type]=indicator&match[type]=malware'],
    ['limit=0', 'limit=0'],
    ['a bad added_after', 'added_after=yesterday'],
    ['an operator smuggled in a value', 'match[type]=%7B%22%24ne%22%3A1%7D'],
  ])('answers 400 with a TAXII error to %s (Q-01)', async (_label, query) => {
    const response = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('invalid-parameter');
  });

  it('cannot be widened by operator-shaped parameter names (Z-03)', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?match[id][$ne]=x&match[type][$exists]=true`);
    expect(response.status).toBe(200);
    expect(idsOf(response.body)).toHaveLength(6);
    const unknown = await taxiiClient(server, 'gb-nca').get(`${gb}/objects/?match[id]=indicator--00000000-0000-4000-8000-000000000000`);
    expect(unknown.body).toEqual({ more: false });
  });
});
