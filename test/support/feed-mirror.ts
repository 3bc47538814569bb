import type { AllianceConfig, FeedConfig } from '../../server/config/types';
import { feedAuthorization, type SecretSources } from '../../server/config/feed-credentials';
import { createRuntime, type Runtime } from '../../server/bootstrap';
import { FeedPoller, type FeedPollerOptions } from '../../server/feeds/feed-poller';
import { silentLogger } from '../../server/logging';
import type { StoredVersion } from '../../server/storage/repository';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { openTestStorage, type TestStorage } from './storage';
import { COLLECTION_IDS, testAlliance } from './alliance';

/** Fast enough for a test, with no jitter so that a delay can be stated exactly. */
export const TEST_POLLER_OPTIONS: FeedPollerOptions = {
  tickMs: 50,
  leaseMs: 30_000,
  requestTimeoutMs: 5_000,
  backoff: { baseMs: 1_000, maxMs: 8_000 },
  random: () => 1,
};

/** The test alliance with `feeds` on one collection (by default gb-nca's own, which has no TLP ceiling). */
export function allianceWithFeeds(feeds: FeedConfig[], collectionId: string = COLLECTION_IDS.gbOnly): AllianceConfig {
  const config = testAlliance();
  return { ...config, collections: config.collections.map((collection) => (collection.id === collectionId ? { ...collection, feeds } : collection)) };
}

export function feed(id: string, url: string, changes: Partial<FeedConfig> = {}): FeedConfig {
  return { id, url, pollIntervalSeconds: 3600, pageSize: 1000, ...changes };
}

export function secretsFrom(env: Record<string, string>): SecretSources {
  return { env, readFile: () => { throw new Error('no secret files in this test'); }, baseDir: '/nonexistent' };
}

/** A server's store and runtime, with a poller for its feeds that a test drives with pollNow (or starts). */
export interface Mirror {
  storage: TestStorage;
  runtime: Runtime;
  poller: FeedPoller;
  /** Another poller on the same store, as a second server process would run. */
  newPoller(options?: Partial<FeedPollerOptions>): FeedPoller;
  /** Every version held in one collection, oldest date_added first. */
  versions(collectionId?: string): Promise<StoredVersion[]>;
  close(): Promise<void>;
}

export async function openMirror(label: string, config: AllianceConfig, secrets: SecretSources, options: Partial<FeedPollerOptions> = {}): Promise<Mirror> {
  const storage = await openTestStorage(label);
  const runtime = await createRuntime(storage, config);
  const pollers: FeedPoller[] = [];
  const newPoller = (extra: Partial<FeedPollerOptions> = {}) => {
    const poller = new FeedPoller(runtime.context, storage.feedStates, (declared) => feedAuthorization(declared, secrets), silentLogger(), { ...TEST_POLLER_OPTIONS, ...options, ...extra });
    pollers.push(poller);
    return poller;
  };
  return {
    storage,
    runtime,
    poller: newPoller(),
    newPoller,
    async versions(collectionId = COLLECTION_IDS.gbOnly) {
      return (await storage.objects.page({ collectionId, filter: { versions: ALL_VERSIONS }, limit: 10_000, withContent: true })).records;
    },
    async close() {
      for (const poller of pollers) await poller.stop();
      await runtime.stop();
      await storage.close();
    },
  };
}
