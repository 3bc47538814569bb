import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const REASON = /another organisation first published this object in this collection/;

// STIX 2.1 §3.6: only the object creator makes new versions. In a pool every partner writes to, the
// organisation that first published an id owns it there.
describe('object ownership in a shared pool', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('object-ownership');
  });
  afterAll(() => server.close());

  it('refuses a newer version (a revocation, say) from another organisation and keeps serving the owner\'s', async () => {
    const owner = taxiiClient(server, 'de-bka');
    const rival = taxiiClient(server, 'gb-nca');
    const original = indicator({ modified: '2024-03-01T10:00:00.000Z' });
    expect((await owner.post(`${shared}/objects/`, { objects: [original] })).body.success_count).toBe(1);

    const hijack = { ...original, modified: '2024-04-01T00:00:00.000Z', revoked: true };
    const refused = await rival.post(`${shared}/objects/`, { objects: [hijack, indicator()] });
    expect(refused.body).toMatchObject({ success_count: 1, failure_count: 1 });
    expect(refused.body.failures).toEqual([{ id: original.id, version: '2024-04-01T00:00:00.000Z', message: expect.stringMatching(REASON) }]);
    // Spelling the id in upper case is the same object (docs/security.md) and is refused alike.
    const respelt = await rival.post(`${shared}/objects/`, { objects: [{ ...hijack, id: String(original.id).toUpperCase().replace('INDICATOR', 'indicator') }] });
    expect(respelt.body.failures?.[0]?.message).toMatch(REASON);

    const latest = await owner.get(`${shared}/objects/${String(original.id)}/`);
    expect(latest.body.objects).toEqual([original]);
    // The owner itself still publishes new versions.
    const revision = { ...original, modified: '2024-05-01T00:00:00.000Z', name: 'updated by its creator' };
    expect((await owner.post(`${shared}/objects/`, { objects: [revision] })).body.success_count).toBe(1);
  });

  it('lets a collection that allows foreign versions take them', async () => {
    const config = testAlliance();
    const pool = config.collections.find((collection) => collection.id === COLLECTION_IDS.shared);
    if (!pool) throw new Error('test alliance lacks the shared pool');
    pool.foreignVersions = 'allow';
    const open = await startTestServer('object-ownership-allow', config);
    try {
      const original = indicator({ modified: '2024-03-01T10:00:00.000Z' });
      await taxiiClient(open, 'de-bka').post(`${shared}/objects/`, { objects: [original] });
      const newer = await taxiiClient(open, 'gb-nca').post(`${shared}/objects/`, { objects: [{ ...original, modified: '2024-04-01T00:00:00.000Z' }] });
      expect(newer.body).toMatchObject({ success_count: 1, failure_count: 0 });
    } finally {
      await open.close();
    }
  });
});
