import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AllianceConfig } from '../../server/config/types';
import { DEFAULT_PUSH_TIMINGS, PushScheduler } from '../../server/federation/push-scheduler';
import { connectDatabase } from '../../server/storage/mongo/connect';
import { mongoStorageOn } from '../../server/storage/mongo/mongo-storage';
import type { NewVersion } from '../../server/storage/repository';
import type { Storage } from '../../server/storage/storage';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { listenOnFreePort, type LiveServer } from '../support/live-server';
import { mongoAvailable, openTestStorage, type TestStorage } from '../support/storage';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

const OBJECT_COUNT = 300;
const describeOnMongo = mongoAvailable() ? describe : describe.skip;

function version(index: number): NewVersion {
  const id = `indicator--00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  const stix = JSON.stringify({
    type: 'indicator', spec_version: '2.1', id, created: '2026-03-01T10:00:00.000Z', modified: '2026-03-01T10:00:00.000Z',
    pattern: `[ipv4-addr:value = '10.0.${index >> 8}.${index & 255}']`, pattern_type: 'stix', valid_from: '2026-03-01T10:00:00Z',
  });
  return {
    collectionId: COLLECTION_IDS.shared, id, type: 'indicator', specVersion: '2.1', version: '2026-03-01T10:00:00.000Z', versionKey: '20260301100000000000',
    dateAdded: 1_772_000_000_000_000 + index, publishedBy: { organisation: 'europol', username: 'analyst@europol' }, stix,
  };
}

// Several server processes on one MongoDB each run a scheduler over the same targets; the outbox's
// lease lets one of them push a target at a time, so the remote gets each envelope once.
describeOnMongo('two push schedulers on one MongoDB store', () => {
  let store: TestStorage;
  let second: Storage;
  let remote: TestServer;
  let remoteLive: LiveServer;
  let proxy: FaultProxy;
  let secretDir: string;

  beforeAll(async () => {
    store = await openTestStorage('push-lease', 'mongodb');
    await store.prepare();
    second = mongoStorageOn(await connectDatabase(store.childEnv.MONGODB_URI ?? '', store.childEnv.MONGODB_DATABASE ?? ''));
    remote = await startTestServer('push-lease-remote');
    remoteLive = await listenOnFreePort(remote.app);
    proxy = await startFaultProxy(remoteLive.origin);
    secretDir = mkdtempSync(join(tmpdir(), 'taxii-push-lease-'));
    writeFileSync(join(secretDir, 'password'), TEST_PASSWORD);
  });
  afterAll(async () => {
    await second?.close();
    await store?.close();
    await proxy?.close();
    await remoteLive?.close();
    await remote?.close();
    rmSync(secretDir, { recursive: true, force: true });
  });

  it('sends every version exactly once between them', async () => {
    await store.objects.insertVersions(Array.from({ length: OBJECT_COUNT }, (_, index) => version(index)));
    const remoteUrl = `${proxy.origin}/alliance/collections/${COLLECTION_IDS.shared}/`;
    const config: AllianceConfig = testAlliance();
    config.collections = config.collections.map((collection) => collection.id === COLLECTION_IDS.shared
      ? { ...collection, push: [{ collectionUrl: remoteUrl, credentials: { kind: 'basic', username: 'analyst@europol', password: { file: join(secretDir, 'password') } }, intervalSeconds: 0.05 }] }
      : collection);
    // Small envelopes and pages, so the round is long enough for the two to overlap.
    const timings = { ...DEFAULT_PUSH_TIMINGS, tickMs: 10, round: { ...DEFAULT_PUSH_TIMINGS.round, pageSize: 20, pagesPerRound: 1, maxObjectsPerEnvelope: 10 } };
    const schedulers = [store, second].map((storage) => new PushScheduler({
      config: () => config, objects: storage.objects, outbox: storage.pushOutbox, audit: storage.audit, environment: () => undefined, timings,
    }));
    for (const scheduler of schedulers) scheduler.start();
    try {
      const key = { collectionId: COLLECTION_IDS.shared, remoteUrl };
      let state = await store.pushOutbox.state(key);
      for (let attempt = 0; attempt < 1_200 && (state?.cursor ?? 0) < version(OBJECT_COUNT - 1).dateAdded; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = await store.pushOutbox.state(key);
      }
      expect(state).toMatchObject({ cursor: version(OBJECT_COUNT - 1).dateAdded, sentCount: OBJECT_COUNT, refusedCount: 0 });
      expect(proxy.seen.filter((request) => request.method === 'POST')).toHaveLength(OBJECT_COUNT / 10);
      const held = await remote.context.objects.page({ collectionId: COLLECTION_IDS.shared, filter: { versions: ALL_VERSIONS }, limit: 10_000, withContent: false });
      expect(held.records).toHaveLength(OBJECT_COUNT);
    } finally {
      await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
    }
  });
});
