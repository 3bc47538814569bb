import { BufferedAuditLog } from '../audit-buffer';
import type { Storage } from '../storage';
import { MongoAllianceConfigStore } from './alliance-config-store';
import { MongoAuditLog } from './audit-log';
import { connectDatabase, type DatabaseHandle } from './connect';
import { MongoCredentialRepository } from './credential-repository';
import { MongoFeedStateRepository } from './feed-state';
import { ensureIndexes } from './indexes';
import { MongoIngestQueue } from './ingest-queue';
import { MongoObjectRepository } from './object-repository';
import { MongoProvenanceRepository } from './provenance-repository';
import { MongoPushOutbox } from './push-outbox';
import { MongoStatusRepository } from './status-repository';
import { MongoStoreTransfer } from './store-transfer';
import { MongoWriteTurns, type LeaseTimings } from './write-turns';

/** Every repository over one MongoDB database; `close` closes the handle too. */
export function mongoStorageOn(handle: DatabaseHandle, leaseTimings?: LeaseTimings): Storage {
  const { db } = handle;
  const credentials = new MongoCredentialRepository(db);
  const audit = new BufferedAuditLog(new MongoAuditLog(db));
  return {
    engine: 'mongodb',
    objects: new MongoObjectRepository(db),
    statuses: new MongoStatusRepository(db),
    audit,
    credentials,
    provenance: new MongoProvenanceRepository(db),
    configStore: new MongoAllianceConfigStore(db),
    writeTurns: new MongoWriteTurns(db, leaseTimings),
    transfer: new MongoStoreTransfer(db),
    ingestQueue: new MongoIngestQueue(db),
    feedStates: new MongoFeedStateRepository(db),
    pushOutbox: new MongoPushOutbox(db),
    async prepare() {
      await ensureIndexes(db);
    },
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      try {
        await audit.flush();
      } finally {
        await handle.close();
      }
    },
  };
}

export async function openMongoStorage(uri: string, databaseName: string): Promise<Storage> {
  return mongoStorageOn(await connectDatabase(uri, databaseName));
}
