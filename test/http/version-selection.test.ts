import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

const objects = `/alliance/collections/${COLLECTION_IDS.shared}/objects/`;
const manifest = `/alliance/collections/${COLLECTION_IDS.shared}/manifest/`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('version-selection');
});
afterAll(() => server.close());

// TAXII 2.1 §3.4.1: match[version]=last returns "the latest version for each object matching the
// remainder of the request", so the other filters narrow the versions before the latest is chosen.
describe('match[version]=last and first with other filters', () => {
  it('returns the only version added after added_after even when an older-dated version, not a newer one, was posted last', async () => {
    const client = taxiiClient(server, 'de-bka');
    const newer = indicator({ created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:01:00.000Z' });
    const older = { ...newer, modified: '2024-01-01T00:00:55.000Z' };
    expect((await client.post(objects, { objects: [newer] })).status).toBe(202);
    const first = await client.get(`${manifest}?match[id]=${String(newer.id)}`);
    const addedNewer = String(first.body.objects[0].date_added);
    expect((await client.post(objects, { objects: [older] })).status).toBe(202);

    const after = await client.get(`${objects}?match[id]=${String(newer.id)}&added_after=${addedNewer}`);
    expect(after.status).toBe(200);
    expect(after.body.objects.map((object: { modified: string }) => object.modified)).toEqual(['2024-01-01T00:00:55.000Z']);
    const manifestAfter = await client.get(`${manifest}?match[id]=${String(newer.id)}&added_after=${addedNewer}`);
    expect(manifestAfter.body.objects.map((entry: { version: string }) => entry.version)).toEqual(['2024-01-01T00:00:55.000Z']);

    // Without added_after the latest is the object's highest version.
    const plain = await client.get(`${objects}?match[id]=${String(newer.id)}`);
    expect(plain.body.objects.map((object: { modified: string }) => object.modified)).toEqual(['2024-01-01T00:01:00.000Z']);
    // first among the versions added after is that same one; all gives it too.
    const firstAfter = await client.get(`${objects}?match[id]=${String(newer.id)}&added_after=${addedNewer}&match[version]=first`);
    expect(firstAfter.body.objects.map((object: { modified: string }) => object.modified)).toEqual(['2024-01-01T00:00:55.000Z']);
  });

  it('judges the latest among the versions of the requested spec_version', async () => {
    const client = taxiiClient(server, 'de-bka');
    const v21 = indicator({ created: '2024-02-01T00:00:00.000Z', modified: '2024-02-01T00:00:00.000Z' });
    const v20: Record<string, unknown> = { ...v21, modified: '2024-02-02T00:00:00.000Z' };
    delete v20.spec_version; // STIX 2.0 has no spec_version property on objects
    expect((await client.post(objects, { objects: [v21, v20] })).status).toBe(202);
    const latest21 = await client.get(`${objects}?match[id]=${String(v21.id)}&match[spec_version]=2.1`);
    expect(latest21.body.objects.map((object: { modified: string }) => object.modified)).toEqual(['2024-02-01T00:00:00.000Z']);
  });

  it('pages exactly through a selection among matching versions, each object once, with next', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const probe = indicator();
    await client.post(objects, { objects: [probe] });
    const marker = String((await client.get(`${manifest}?match[id]=${String(probe.id)}`)).body.objects[0].date_added);
    const posted = Array.from({ length: 7 }, () => indicator({ created: '2024-03-01T00:00:00.000Z', modified: '2024-03-01T00:00:00.000Z' }));
    await client.post(objects, { objects: posted });
    await client.post(objects, { objects: posted.map((object) => ({ ...object, modified: '2024-03-02T00:00:00.000Z' })) });
    const seen: string[] = [];
    let url = `${objects}?limit=3&added_after=${marker}`;
    for (;;) {
      const page = await client.get(url);
      expect(page.status).toBe(200);
      for (const object of page.body.objects ?? []) {
        seen.push(String(object.id));
        expect(object.modified).toBe('2024-03-02T00:00:00.000Z');
      }
      if (!page.body.more) break;
      url = `${objects}?limit=3&next=${String(page.body.next)}`;
    }
    expect(seen.sort()).toEqual(posted.map((object) => String(object.id)).sort());
  });
});
