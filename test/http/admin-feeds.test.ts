import type { FeedConfig } from '../../server/config/types';
import { adminClient, IDS, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

let server: AdminTestServer;

function feed(id: string): FeedConfig {
  return { id, url: `https://taxii.partner.example/api/collections/${id}/`, pollIntervalSeconds: 300, pageSize: 1000 };
}

beforeAll(async () => {
  server = await startAdminTestServer('admin_feeds');
  // Feeds on de-bka's and on gb-nca's collections; the live configuration is what the admin API reads.
  const feedsByCollection = new Map<string, FeedConfig[]>([[IDS.bkaRansomware, [feed('bka-upstream')]], [IDS.gbPhishing, [feed('nca-upstream')]]]);
  server.context.config = {
    ...server.context.config,
    collections: server.context.config.collections.map((collection) => ({ ...collection, ...(feedsByCollection.has(collection.id) && { feeds: feedsByCollection.get(collection.id) }) })),
  };
  await server.admin.feedStates.save({
    feedId: 'bka-upstream',
    collectionId: IDS.bkaRansomware,
    cursor: '2026-11-30T10:00:00.000000Z',
    lastPollAt: new Date('2026-11-30T10:05:00.000Z'),
    lastSuccessAt: new Date('2026-11-30T10:00:00.000Z'),
    lastError: { at: new Date('2026-11-30T10:05:00.000Z'), message: 'https://taxii.partner.example/ answered 503' },
    consecutiveFailures: 1,
    objectsMirrored: 42,
    objectsDuplicate: 3,
    objectsRejected: 2,
  });
});
afterAll(() => server.close());

describe('admin API: GET /admin/feeds', () => {
  it('shows an alliance-admin every feed with its state: health, last success, lag, last error, counters', async () => {
    const response = await adminClient(server, 'operator@europol').get('/admin/feeds');
    expect(response.status).toBe(200);
    expect(response.body.feeds.map((entry: { id: string }) => entry.id).sort()).toEqual(['bka-upstream', 'nca-upstream']);
    const bka = response.body.feeds.find((entry: { id: string }) => entry.id === 'bka-upstream');
    expect(bka).toMatchObject({
      collection_id: IDS.bkaRansomware,
      owner: 'de-bka',
      health: 'failing',
      cursor: '2026-11-30T10:00:00.000000Z',
      last_success_at: '2026-11-30T10:00:00.000Z',
      last_error: { at: '2026-11-30T10:05:00.000Z', message: 'https://taxii.partner.example/ answered 503' },
      consecutive_failures: 1,
      objects_mirrored: 42,
      objects_duplicate: 3,
      objects_rejected: 2,
    });
    expect(bka.lag_seconds).toBeGreaterThan(0);
    const nca = response.body.feeds.find((entry: { id: string }) => entry.id === 'nca-upstream');
    expect(nca).toMatchObject({ owner: 'gb-nca', health: 'new', objects_mirrored: 0 });
    expect(nca).not.toHaveProperty('last_success_at');
  });

  it('shows an org-admin its own organisation\'s feeds only', async () => {
    const response = await adminClient(server, 'lead@gb-nca').get('/admin/feeds');
    expect(response.status).toBe(200);
    expect(response.body.feeds.map((entry: { id: string }) => entry.id)).toEqual(['nca-upstream']);
  });

  it('refuses a member (403) and an unknown query parameter (400)', async () => {
    const member = await adminClient(server, 'analyst@de-bka').get('/admin/feeds');
    expect(member.status).toBe(403);
    expect(member.body.error_code).toBeDefined();
    const unknown = await adminClient(server, 'operator@europol').get('/admin/feeds?org=de-bka');
    expect(unknown.status).toBe(400);
  });
});
