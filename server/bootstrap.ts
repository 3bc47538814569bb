import type { Db } from 'mongodb';
import { ephemeralCursorKeys } from './config/cursor-keys';
import type { AllianceConfig } from './config/types';
import type { AdminServices } from './services/admin/admin-services';
import type { TaxiiContext } from './services/context';
import { KeyedLock } from './services/keyed-lock';
import { createStixValidator } from './stix/validator';
import { MongoAllianceConfigStore } from './storage/mongo/alliance-config-store';
import { MongoAuditLog } from './storage/mongo/audit-log';
import { MongoCredentialRepository } from './storage/mongo/credential-repository';
import { ensureIndexes } from './storage/mongo/indexes';
import { MongoObjectRepository } from './storage/mongo/object-repository';
import { MongoProvenanceRepository } from './storage/mongo/provenance-repository';
import { MongoStatusRepository } from './storage/mongo/status-repository';
import type { CursorKeys } from './taxii/cursor-seal';
import type { PageSizeSettings } from './taxii/pagination';
import { DateAddedClock } from './taxii/timestamps';

export interface Runtime {
  context: TaxiiContext;
  credentials: MongoCredentialRepository;
  audit: MongoAuditLog;
  provenance: MongoProvenanceRepository;
  configStore: MongoAllianceConfigStore;
  checkDatabase: () => Promise<void>;
}

export const DEFAULT_PAGE_SIZES: PageSizeSettings = { defaultLimit: 1000, maxLimit: 5000 };

/**
 * The one factory that wires storage, validation and the alliance into a TaxiiContext: used by
 * the server, the admin CLI, the fixture loader, the benchmarks and the tests alike. The server
 * passes loadCursorKeys(settings), so that its `next` cursors outlive a restart; a runtime given no
 * keys draws its own, good for as long as it lives.
 */
export async function createRuntime(db: Db, config: AllianceConfig, pageSizes: PageSizeSettings = DEFAULT_PAGE_SIZES, cursorKeys: CursorKeys = ephemeralCursorKeys()): Promise<Runtime> {
  await ensureIndexes(db);
  const credentials = new MongoCredentialRepository(db);
  await credentials.ensureIndexes();
  const statuses = new MongoStatusRepository(db);
  await statuses.pruneExpired();
  const audit = new MongoAuditLog(db);
  await audit.ensureIndexes();
  const objects = new MongoObjectRepository(db);
  // A clock set back (or a restart on another host) must not hand out a date_added below one already
  // stored: pollers holding an added_after or a cursor past it would never see the new version.
  const clock = new DateAddedClock();
  clock.advancePast(await objects.latestDateAdded(config.collections.map((collection) => collection.id)));
  const context: TaxiiContext = {
    config,
    objects,
    statuses,
    audit,
    validator: createStixValidator(),
    clock,
    ingestLock: new KeyedLock(),
    pageSizes,
    cursorKeys,
    statusRetentionHours: 48,
  };
  const checkDatabase = async () => {
    await db.command({ ping: 1 });
  };
  return { context, credentials, audit, provenance: new MongoProvenanceRepository(db), configStore: new MongoAllianceConfigStore(db), checkDatabase };
}

/**
 * The administration use cases over the same storage. `live` is the TaxiiContext the app
 * serves, so an apply is seen by the next TAXII request.
 */
export function createAdminServices(
  runtime: Pick<Runtime, 'audit' | 'credentials' | 'provenance' | 'configStore'>,
  configDir: string,
  live: { config: AllianceConfig },
): AdminServices {
  return {
    live,
    audit: runtime.audit,
    credentials: runtime.credentials,
    provenance: runtime.provenance,
    configStore: runtime.configStore,
    configDir,
    configLock: new KeyedLock(),
  };
}

/**
 * For the admin CLI: the administration repositories alone, without the TAXII context and
 * without (re)creating indexes, which is the server's job at start-up.
 */
export function createAdminServicesForDb(db: Db, configDir: string, config: AllianceConfig): AdminServices {
  const repositories = {
    audit: new MongoAuditLog(db),
    credentials: new MongoCredentialRepository(db),
    provenance: new MongoProvenanceRepository(db),
    configStore: new MongoAllianceConfigStore(db),
  };
  return createAdminServices(repositories, configDir, { config });
}
