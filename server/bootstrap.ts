import { ephemeralCursorKeys } from './config/cursor-keys';
import type { AllianceConfig } from './config/types';
import type { AdminServices } from './services/admin/admin-services';
import type { TaxiiContext } from './services/context';
import { KeyedLock } from './services/keyed-lock';
import { createStixValidator } from './stix/validator';
import type { Storage } from './storage/storage';
import type { CursorKeys } from './taxii/cursor-seal';
import type { PageSizeSettings } from './taxii/pagination';

export interface Runtime {
  context: TaxiiContext;
  storage: Storage;
  checkDatabase: () => Promise<void>;
}

export const DEFAULT_PAGE_SIZES: PageSizeSettings = { defaultLimit: 1000, maxLimit: 5000 };

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
    pageSizes,
    cursorKeys,
    statusRetentionHours: 48,
  };
  return { context, storage, checkDatabase: () => storage.ping() };
}

/**
 * The administration use cases over the same storage. `live` is the TaxiiContext the app
 * serves, so an apply is seen by the next TAXII request; the admin CLI passes a plain holder.
 */
export function createAdminServices(storage: Storage, configDir: string, live: { config: AllianceConfig }): AdminServices {
  return {
    live,
    audit: storage.audit,
    credentials: storage.credentials,
    provenance: storage.provenance,
    configStore: storage.configStore,
    configDir,
    configLock: new KeyedLock(),
  };
}
