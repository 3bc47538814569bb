import { COLLECTION_IDS } from '../support/alliance';
import { allianceWithFeeds, feed, openMirror, secretsFrom, type Mirror } from '../support/feed-mirror';
import { listenOnFreePort, type LiveServer } from '../support/live-server';
import { indicator, malware } from '../support/stix-samples';
import { startTestServer, taxiiClient, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

const TLP_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const REMOTE_OBJECTS = `/alliance/collections/${COLLECTION_IDS.shared}/objects/`;
const SECRETS = secretsFrom({ REMOTE_PASSWORD: TEST_PASSWORD });
const AUTH = { type: 'basic' as const, username: 'analyst@europol', passwordEnv: 'REMOTE_PASSWORD' };

/** A second instance of this server is the remote: the mirror pulls its shared collection. */
describe('feed poller against a second instance of this server', () => {
  let remote: TestServer;
  let live: LiveServer;
  const mirrors: Mirror[] = [];

  beforeAll(async () => {
    remote = await startTestServer('feed-remote');
    live = await listenOnFreePort(remote.app);
  });
  afterEach(async () => {
    for (const mirror of mirrors.splice(0)) await mirror.close();
  });
  afterAll(async () => {
    await live.close();
    await remote.close();
  });

  async function publish(objects: Record<string, unknown>[]): Promise<void> {
    const answer = await taxiiClient(remote, 'europol').post(REMOTE_OBJECTS, { objects });
    expect(answer.status).toBe(202);
    expect(answer.body.success_count).toBe(objects.length);
  }

  async function mirrorOf(feedId: string, changes: Parameters<typeof feed>[2] = {}, collectionId?: string): Promise<Mirror> {
    const mirror = await openMirror(`feed-${feedId}`, allianceWithFeeds([feed(feedId, `${live.origin}/alliance/collections/${COLLECTION_IDS.shared}/`, { auth: AUTH, ...changes })], collectionId), SECRETS);
    mirrors.push(mirror);
    return mirror;
  }

  it('mirrors every object over several pages, as the collection owner publishing as feed:<id>, and keeps the remote\'s last date_added as its cursor', async () => {
    const objects = Array.from({ length: 7 }, () => indicator());
    await publish(objects);
    const mirror = await mirrorOf('nca-from-remote', { pageSize: 3 });

    const outcome = await mirror.poller.pollNow('nca-from-remote');

    expect(outcome).toMatchObject({ kind: 'polled', pages: 3, stored: 7, duplicates: 0, rejected: 0 });
    const held = await mirror.versions();
    expect(held.map((version) => version.id).sort()).toEqual(objects.map((object) => String(object.id)).sort());
    expect(new Set(held.map((version) => `${version.publishedBy.organisation} ${version.publishedBy.username}`))).toEqual(new Set(['gb-nca feed:nca-from-remote']));
    const remoteLast = await taxiiClient(remote, 'europol').get(`${REMOTE_OBJECTS}?limit=500`);
    const state = await mirror.storage.feedStates.find('nca-from-remote');
    expect(state).toMatchObject({ collectionId: COLLECTION_IDS.gbOnly, cursor: remoteLast.headers['x-taxii-date-added-last'], objectsMirrored: 7, consecutiveFailures: 0 });
    expect(state?.lastSuccessAt).toBeInstanceOf(Date);
    const audit = await mirror.storage.audit.query({ actions: ['feed.poll'], limit: 10 });
    expect(audit).toHaveLength(3);
    expect(audit.map((record) => record.details?.stored)).toEqual([1, 3, 3]);
    expect(audit[0]).toMatchObject({ username: 'feed:nca-from-remote', organisation: 'gb-nca', collectionId: COLLECTION_IDS.gbOnly });
  });

  it('resumes from the stored cursor after a restart: only what the remote added since is fetched, and a repeat stores nothing twice', async () => {
    const mirror = await mirrorOf('resume');
    const first = await mirror.poller.pollNow('resume');
    expect(first.kind).toBe('polled');
    const before = await mirror.versions();

    const later = [indicator(), malware()];
    await publish(later);
    // A new poller on the same store is a restarted server: nothing but the store remembers.
    const restarted = mirror.newPoller();
    expect(await restarted.pollNow('resume')).toMatchObject({ kind: 'polled', stored: 2, duplicates: 0 });
    expect(await restarted.pollNow('resume')).toMatchObject({ kind: 'polled', pages: 1, stored: 0, duplicates: 0 });
    expect(await mirror.versions()).toHaveLength(before.length + 2);
  });

  it('mirrors a version updated upstream as a new version, and absorbs a remote that sends versions it already sent (a cursor set back)', async () => {
    const original = indicator();
    await publish([original]);
    const mirror = await mirrorOf('updates');
    await mirror.poller.pollNow('updates');
    await publish([{ ...original, modified: '2026-11-30T12:00:00.000Z', name: 'Phishing domain, confirmed' }]);

    expect(await mirror.poller.pollNow('updates')).toMatchObject({ kind: 'polled', stored: 1 });
    const versions = (await mirror.versions()).filter((version) => version.id === original.id);
    expect(versions.map((version) => version.version)).toEqual(['2024-03-01T10:00:00.000Z', '2026-11-30T12:00:00.000Z']);

    // As if the remote were restored from a backup and served everything again.
    const state = await mirror.storage.feedStates.find('updates');
    if (!state) throw new Error('no state');
    const held = (await mirror.versions()).length;
    const withoutCursor = { ...state };
    delete withoutCursor.cursor;
    await mirror.storage.feedStates.save(withoutCursor);
    const replay = await mirror.poller.pollNow('updates');
    expect(replay).toMatchObject({ kind: 'polled', stored: 0 });
    expect(replay.kind === 'polled' && replay.duplicates).toBe(held);
    expect(await mirror.versions()).toHaveLength(held);
    expect((await mirror.storage.feedStates.find('updates'))?.cursor).toBe(state.cursor);
  });

  it('refuses, counts and does not store what a POST would refuse: an object over the collection\'s TLP ceiling', async () => {
    const red = indicator({ object_marking_refs: [TLP_RED] });
    await publish([red]);
    const mirror = await mirrorOf('green-only', {}, COLLECTION_IDS.greenCeiling);

    const outcome = await mirror.poller.pollNow('green-only');

    expect(outcome.kind === 'polled' && outcome.rejected).toBeGreaterThanOrEqual(1);
    const held = await mirror.versions(COLLECTION_IDS.greenCeiling);
    expect(held.map((version) => version.id)).not.toContain(red.id);
    expect((await mirror.storage.feedStates.find('green-only'))?.objectsRejected).toBe(outcome.kind === 'polled' ? outcome.rejected : -1);
  });

  it('asks for match[type] only', async () => {
    await publish([indicator(), malware()]);
    const mirror = await mirrorOf('malware-only', { types: ['malware'] });
    await mirror.poller.pollNow('malware-only');
    const types = new Set((await mirror.versions()).map((version) => version.type));
    expect(types).toEqual(new Set(['malware']));
  });

  it('lets one poller poll a feed while another process\'s poller, on the same store, stands aside', async () => {
    await publish([indicator()]);
    const mirror = await mirrorOf('one-at-a-time');
    const other = mirror.newPoller();
    const outcomes = await Promise.all([mirror.poller.pollNow('one-at-a-time'), other.pollNow('one-at-a-time')]);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['busy', 'polled']);
    // The lease is released at the end of a poll, so the other may poll next time.
    expect((await other.pollNow('one-at-a-time')).kind).toBe('polled');
  });

  it('polls on its own once started, and stops without leaving a timer behind', async () => {
    const objects = [indicator(), indicator()];
    await publish(objects);
    const mirror = await mirrorOf('scheduled', { pollIntervalSeconds: 1 });
    mirror.poller.start();
    const deadline = Date.now() + 20_000;
    while (!(await mirror.storage.feedStates.find('scheduled'))?.lastSuccessAt && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await mirror.poller.stop();
    const ids = (await mirror.versions()).map((version) => version.id);
    for (const object of objects) expect(ids).toContain(object.id);
  });
});
