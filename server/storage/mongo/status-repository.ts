import type { Collection, Db } from 'mongodb';
import type { StatusRecord, StatusRepository } from '../repository';
import { DURABLE_WRITE } from './connect';

export const STATUS_COLLECTION = 'statuses';

type StatusDocument = Omit<StatusRecord, 'id'> & { _id: string };

export class MongoStatusRepository implements StatusRepository {
  private readonly statuses: Collection<StatusDocument>;

  constructor(db: Db) {
    this.statuses = db.collection<StatusDocument>(STATUS_COLLECTION);
  }

  async save(status: StatusRecord): Promise<void> {
    const { id, ...rest } = status;
    await this.statuses.replaceOne({ _id: id }, rest, { upsert: true, writeConcern: DURABLE_WRITE });
  }

  /** Removes statuses past their retention; run at start-up and periodically. */
  async pruneExpired(now: Date = new Date()): Promise<number> {
    const result = await this.statuses.deleteMany({ expiresAt: { $lt: now } });
    return result.deletedCount;
  }

  async find(apiRoot: string, id: string): Promise<StatusRecord | undefined> {
    const document = await this.statuses.findOne({ _id: id, apiRoot });
    if (!document || document.expiresAt.getTime() < Date.now()) return undefined;
    const { _id, ...rest } = document;
    return { id: _id, ...rest };
  }
}
