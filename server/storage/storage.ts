import type { AllianceConfigStore } from './alliance-config-store';
import type { AuditLog } from './audit-log';
import type { CredentialRepository } from './credential-repository';
import type { FeedStateRepository } from './feed-state';
import type { IngestQueue } from './ingest-queue';
import type { ProvenanceRepository } from './provenance-repository';
import type { PushOutbox } from './push-outbox';
import type { ObjectRepository, StatusRepository } from './repository';
import type { StoreTransfer } from './store-transfer';

export type StorageEngine = 'sqlite' | 'mongodb';

/** Hands out `date_added` values during one write turn: strictly increasing, above everything stored in the collection. */
export interface DateAddedSource {
  next(): number;
}

/**
 * TAXII 2.1 §3.4.1 pagination by `added_after` is exact only if versions become visible in
 * `date_added` order. A write turn makes one writer at a time the collection's only writer,
 * across every process sharing the store, so commit order is `date_added` order.
 */
export interface CollectionWriteTurns {
  run<T>(collectionId: string, task: (dateAdded: DateAddedSource) => Promise<T>): Promise<T>;
}

/** Every repository of one store, on one engine, and the store's own life cycle. */
export interface Storage {
  readonly engine: StorageEngine;
  readonly objects: ObjectRepository;
  readonly statuses: StatusRepository;
  readonly audit: AuditLog;
  readonly credentials: CredentialRepository;
  readonly provenance: ProvenanceRepository;
  readonly configStore: AllianceConfigStore;
  readonly writeTurns: CollectionWriteTurns;
  /** The whole store as records, out and in: `npm run admin -- export` / `import` (store-transfer.ts). */
  readonly transfer: StoreTransfer;
  readonly ingestQueue: IngestQueue;
  /** Upstream feeds' cursors, counters and poll leases (docs/federation.md). */
  readonly feedStates: FeedStateRepository;
  /** Downstream push cursors, refusals and leases (docs/federation.md, push). */
  readonly pushOutbox: PushOutbox;
  /** Creates tables and indexes; idempotent, run by the server at every start. */
  prepare(): Promise<void>;
  /** Throws when the store does not answer: what `/health` reports. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
