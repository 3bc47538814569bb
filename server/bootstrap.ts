import { ephemeralCursorKeys } from './config/cursor-keys';
import { DEFAULT_INGEST_ANSWER_WAIT_MS, DEFAULT_PAGE_SIZES } from './config/settings';
import type { AllianceConfig } from './config/types';
import type { AdminDependencies } from './services/admin/admin-dependencies';
import type { TaxiiContext } from './services/context';
import { PushScheduler, type PushTimings } from './federation/push-scheduler';
import type { EnvironmentLookup } from './federation/push-credentials';
import { IngestWorker } from './services/ingest-worker';
import { KeyedLock } from './services/keyed-lock';
import { createStixValidator } from './stix/validator';
import type { Storage } from './storage/storage';
import type { CursorKeys } from './taxii/cursor-seal';
import type { PageSizeSettings } from './taxii/pagination';

export interface Runtime {
  context: TaxiiContext;
  storage: Storage;
  checkDatabase: () => Promise<void>;
  /** Processes queued envelopes; set its onError to log failures. */
  worker: IngestWorker;
  /** Forwards accepted versions to the `push:` targets of the configuration (docs/federation.md). */
  pusher: PushScheduler;
  /** Stops the ingest worker after the batch in progress and the push; the store stays open. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Where `password_env` / `token_env` of a push target are read; unset, only file references work. */
  environment?: EnvironmentLookup;
  pushTimings?: PushTimings;
  /** Told of a failed push round; the target's state records it too. */
  onPushError?: (target: string, error: Error) => void;
}

/**
 * The one factory that wires storage, validation and the alliance into a TaxiiContext: used by
 * the server, the fixture loader, the benchmarks and the tests alike, on either engine. The server
 * passes loadCursorKeys(settings), so that its `next` cursors outlive a restart; a runtime given no
 * keys draws its own, good for as long as it lives.
 */
export async function createRuntime(
  storage: Storage,
  config: AllianceConfig,
  pageSizes: PageSizeSettings = DEFAULT_PAGE_SIZES,
  cursorKeys: CursorKeys = ephemeralCursorKeys(),
  options: RuntimeOptions = {},
): Promise<Runtime> {
  await storage.prepare();
  await storage.statuses.pruneExpired();
  const context: TaxiiContext = {
    config,
    objects: storage.objects,
    statuses: storage.statuses,
    audit: storage.audit,
    validator: createStixValidator(),
    writeTurns: storage.writeTurns,
    ingestQueue: storage.ingestQueue,
    // Replaced below by the worker, which needs the finished context.
    ingest: { accept: () => undefined, waitFor: async () => false },
    ingestAnswerWaitMs: DEFAULT_INGEST_ANSWER_WAIT_MS,
    pageSizes,
    cursorKeys,
    statusRetentionHours: 48,
  };
  const worker = new IngestWorker(context, storage.ingestQueue);
  context.ingest = worker;
  // Resumes envelopes a previous run left unfinished (a kill -9 after the 202 answer loses nothing).
  worker.start();
  const pusher = new PushScheduler({
    config: () => context.config,
    objects: storage.objects,
    outbox: storage.pushOutbox,
    audit: storage.audit,
    environment: options.environment ?? (() => undefined),
    ...(options.pushTimings && { timings: options.pushTimings }),
    onError: (key, error) => options.onPushError?.(`${key.collectionId} -> ${key.remoteUrl}`, error),
  });
  pusher.start();
  const stop = async () => {
    await pusher.stop();
    await worker.stop();
  };
  return { context, storage, checkDatabase: () => storage.ping(), worker, pusher, stop };
}

/**
 * The administration use cases over the same storage. `live` is the TaxiiContext the app
 * serves, so an apply is seen by the next TAXII request; the admin CLI passes a plain holder.
 */
export function createAdminDependencies(storage: Storage, configDir: string, live: { config: AllianceConfig }): AdminDependencies {
  return {
    live,
    audit: storage.audit,
    credentials: storage.credentials,
    provenance: storage.provenance,
    configStore: storage.configStore,
    feedStates: storage.feedStates,
    configDir,
    configLock: new KeyedLock(),
  };
}
