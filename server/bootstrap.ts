import type { Db } from 'mongodb';
import type { AllianceConfig } from './config/types';
import type { TaxiiContext } from './services/context';
import { KeyedLock } from './services/keyed-lock';
import { createStixValidator } from './stix/validator';
import { MongoAuditLog } from './storage/mongo/audit-log';
import { MongoCredentialRepository } from './storage/mongo/credential-repository';
import { ensureIndexes } from './storage/mongo/indexes';
import { MongoObjectRepository } from './storage/mongo/object-repository';
import { MongoStatusRepository } from './storage/mongo/status-repository';
import { DateAddedClock } from './taxii/timestamps';

export interface Runtime {
  context: TaxiiContext;
  credentials: MongoCredentialRepository;
  audit: MongoAuditLog;
}

export const DEFAULT_PAGE_SIZES = { defaultLimit: 1000, maxLimit: 5000 };

/**
 * The one factory that wires storage, validation and the alliance into a TaxiiContext: used by
 * the server, the admin CLI, the fixture loader, the benchmarks and the tests alike.
 */
export async function createRuntime(db: Db, config: AllianceConfig): Promise<Runtime> {
  await ensureIndexes(db);
  const credentials = new MongoCredentialRepository(db);
  await credentials.ensureIndexes();
  const statuses = new MongoStatusRepository(db);
  await statuses.pruneExpired();
  const audit = new MongoAuditLog(db);
  await audit.ensureIndexes();
  const context: TaxiiContext = {
    config,
    objects: new MongoObjectRepository(db),
    statuses,
    audit,
    validator: createStixValidator(),
    clock: new DateAddedClock(),
    ingestLock: new KeyedLock(),
    pageSizes: DEFAULT_PAGE_SIZES,
    statusRetentionHours: 48,
  };
  return { context, credentials, audit };
}
