import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { AllianceConfig } from '../../config/types';
import type { AllianceConfigStore, NewAllianceConfig, StoredAllianceConfig } from '../alliance-config-store';
import { DURABLE_WRITE } from './connect';

export const ALLIANCE_CONFIG_COLLECTION = 'alliance_config';
const CURRENT = 'current';
const DUPLICATE_KEY = 11000;

interface AllianceConfigDocument extends StoredAllianceConfig {
  _id: string;
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

export class MongoAllianceConfigStore implements AllianceConfigStore {
  private readonly documents: Collection<AllianceConfigDocument>;

  constructor(db: Db) {
    this.documents = db.collection<AllianceConfigDocument>(ALLIANCE_CONFIG_COLLECTION);
  }

  async read(): Promise<StoredAllianceConfig | undefined> {
    const document = await this.documents.findOne({ _id: CURRENT });
    if (!document) return undefined;
    if (!isAllianceConfig(document.config)) throw new Error(`the stored alliance configuration (revision ${document.revision}) has an unexpected shape`);
    return { revision: document.revision, config: document.config, appliedAt: document.appliedAt, appliedBy: document.appliedBy };
  }

  async revision(): Promise<number> {
    const document = await this.documents.findOne({ _id: CURRENT }, { projection: { revision: 1 } });
    return document?.revision ?? 0;
  }

  async replace(expectedRevision: number, next: NewAllianceConfig): Promise<boolean> {
    const document: AllianceConfigDocument = { _id: CURRENT, revision: expectedRevision + 1, ...next, config: plain(next.config) };
    if (expectedRevision === 0) {
      try {
        await this.documents.insertOne(document, { writeConcern: DURABLE_WRITE });
        return true;
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
        throw error;
      }
    }
    // The revision in the filter makes this a compare-and-swap: two applies cannot both win.
    const result = await this.documents.replaceOne({ _id: CURRENT, revision: expectedRevision }, document, { writeConcern: DURABLE_WRITE });
    return result.matchedCount === 1;
  }
}
