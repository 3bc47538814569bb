import type { Statement } from 'better-sqlite3';
import type { AllianceConfig } from '../../config/types';
import type { AllianceConfigStore, NewAllianceConfig, StoredAllianceConfig } from '../alliance-config-store';
import type { SqliteDatabase } from './connection';

interface AllianceConfigRow {
  revision: number;
  config: string;
  applied_at_ms: number;
  applied_by: string;
}

/** By name, not instanceof: see isDuplicateKey in credential-repository.ts for why. */
function isPrimaryKeyConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function isAllianceConfig(value: unknown): value is AllianceConfig {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AllianceConfig, unknown>>;
  return typeof candidate.server === 'object' && Array.isArray(candidate.apiRoots)
    && Array.isArray(candidate.organisations) && Array.isArray(candidate.collections);
}

/**
 * The one row `id = 'current'`, replaced whole by a single statement: SQLite commits it
 * atomically, so a reader sees the old configuration or the new one, never a mixture.
 */
export class SqliteAllianceConfigStore implements AllianceConfigStore {
  private readonly current: Statement<[], AllianceConfigRow>;
  private readonly currentRevision: Statement<[], { revision: number }>;
  private readonly insertFirst: Statement<[number, string, number, string]>;
  private readonly swap: Statement<[number, string, number, string, number]>;

  constructor(private readonly db: SqliteDatabase) {
    this.current = db.prepare("SELECT revision, config, applied_at_ms, applied_by FROM alliance_config WHERE id = 'current'");
    this.currentRevision = db.prepare("SELECT revision FROM alliance_config WHERE id = 'current'");
    this.insertFirst = db.prepare("INSERT INTO alliance_config (id, revision, config, applied_at_ms, applied_by) VALUES ('current', ?, ?, ?, ?)");
    // The revision in the WHERE makes this a compare-and-swap: two applies cannot both win.
    this.swap = db.prepare("UPDATE alliance_config SET revision = ?, config = ?, applied_at_ms = ?, applied_by = ? WHERE id = 'current' AND revision = ?");
  }

  async read(): Promise<StoredAllianceConfig | undefined> {
    const row = this.current.get();
    if (!row) return undefined;
    const config: unknown = JSON.parse(row.config);
    if (!isAllianceConfig(config)) throw new Error(`the stored alliance configuration (revision ${row.revision}) has an unexpected shape`);
    return { revision: row.revision, config, appliedAt: new Date(row.applied_at_ms), appliedBy: row.applied_by };
  }

  async revision(): Promise<number> {
    return this.currentRevision.get()?.revision ?? 0;
  }

  async replace(expectedRevision: number, next: NewAllianceConfig): Promise<boolean> {
    // JSON drops undefined fields, so the configuration read back has the same keys as the Mongo one.
    const values = [expectedRevision + 1, JSON.stringify(next.config), next.appliedAt.getTime(), next.appliedBy] as const;
    if (expectedRevision === 0) {
      try {
        this.insertFirst.run(...values);
        return true;
      } catch (error) {
        // Another apply stored the first revision before this one.
        if (isPrimaryKeyConflict(error)) return false;
        throw error;
      }
    }
    return this.swap.run(...values, expectedRevision).changes === 1;
  }
}
