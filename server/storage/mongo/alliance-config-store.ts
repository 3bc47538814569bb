import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { AllianceConfig } from '../../config/types';
import type { AllianceConfigStore, NewAllianceConfig, StoredAllianceConfig } from '../alliance-config-store';
import { DURABLE_WRITE } from './connect';

export const ALLIANCE_CONFIG_COLLECTION = 'alliance_config_revisions';
const DUPLICATE_KEY = 11000;

/** One document per applied revision, keyed by its number. */
interface AllianceConfigDocument extends Omit<StoredAllianceConfig, 'revision'> {
  _id: number;
}

function isAllianceConfig(value: unknown): value is AllianceConfig {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof AllianceConfig, unknown>>;
  return typeof candidate.server === 'object' && Array.isArray(candidate.apiRoots)
    && Array.isArray(candidate.organisations) && Array.isArray(candidate.collections);
}

/** A JSON round trip drops undefined fields, which BSON would otherwise store as null. */
function plain(config: AllianceConfig): AllianceConfig {
  return JSON.parse(JSON.stringify(config)) as AllianceConfig;
}

/**
 * Each apply inserts revision n+1 as a new document whose _id is its number, so the
 * compare-and-swap is the unique _id itself: of two applies from the same revision, exactly one
 * insert succeeds. A conditional replaceOne would rely on the server making read-and-write
 * atomic, which FerretDB 1.x does not. Earlier revisions stay as a history.
 */
export class MongoAllianceConfigStore implements AllianceConfigStore {
  private readonly documents: Collection<AllianceConfigDocument>;

  constructor(db: Db) {
    this.documents = db.collection<AllianceConfigDocument>(ALLIANCE_CONFIG_COLLECTION);
  }

  async read(): Promise<StoredAllianceConfig | undefined> {
    const document = await this.documents.findOne({}, { sort: { _id: -1 } });
    if (!document) return undefined;
    if (!isAllianceConfig(document.config)) throw new Error(`the stored alliance configuration (revision ${document._id}) has an unexpected shape`);
    return { revision: document._id, config: document.config, appliedAt: document.appliedAt, appliedBy: document.appliedBy };
  }

  async revision(): Promise<number> {
    const document = await this.documents.findOne({}, { sort: { _id: -1 }, projection: { _id: 1 } });
    return document?._id ?? 0;
  }

  async replace(expectedRevision: number, next: NewAllianceConfig): Promise<boolean> {
    if ((await this.revision()) !== expectedRevision) return false;
    try {
      await this.documents.insertOne({ _id: expectedRevision + 1, ...next, config: plain(next.config) }, { writeConcern: DURABLE_WRITE });
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}
