import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { FeedState, FeedStateRepository } from '../feed-state';
import { DURABLE_WRITE } from './connect';

const DUPLICATE_KEY = 11000;

type FeedStateDocument = Omit<FeedState, 'feedId'> & { _id: string };

interface FeedLeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

function fromDocument({ _id, ...rest }: FeedStateDocument): FeedState {
  return { feedId: _id, ...rest };
}

/**
 * Several server processes may share one database, and each runs a poller: a feed is polled only
 * by the holder of its lease, a document inserted under the feed's id. The unique _id makes taking
 * it atomic on any MongoDB-protocol server (write-turns.ts explains why not a conditional update);
 * an expired lease is deleted by its exact holder and expiry, so a newer holder's is never removed.
 */
export class MongoFeedStateRepository implements FeedStateRepository {
  private readonly states: Collection<FeedStateDocument>;
  private readonly leases: Collection<FeedLeaseDocument>;

  constructor(db: Db) {
    this.states = db.collection<FeedStateDocument>('feed_state');
    this.leases = db.collection<FeedLeaseDocument>('feed_leases');
  }

  async find(feedId: string): Promise<FeedState | undefined> {
    const document = await this.states.findOne({ _id: feedId });
    return document ? fromDocument(document) : undefined;
  }

  async list(): Promise<FeedState[]> {
    // Bounded by the number of feeds declared in the configuration.
    return (await this.states.find({}).sort({ _id: 1 }).toArray()).map(fromDocument);
  }

  async save(state: FeedState): Promise<void> {
    const { feedId, ...rest } = state;
    // replaceOne drops fields left out, so a cleared optional field is cleared in the store too.
    await this.states.replaceOne({ _id: feedId }, rest, { upsert: true, writeConcern: DURABLE_WRITE });
  }

  async claim(feedId: string, holder: string, leaseMs: number): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.leases.insertOne({ _id: feedId, holder, expiresAt: new Date(Date.now() + leaseMs) }, { writeConcern: DURABLE_WRITE });
        return true;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const current = await this.leases.findOne({ _id: feedId });
      if (current?.holder === holder) return this.renew(feedId, holder, leaseMs);
      if (current && current.expiresAt.getTime() >= Date.now()) return false;
      if (current) await this.leases.deleteOne({ _id: feedId, holder: current.holder, expiresAt: current.expiresAt }, { writeConcern: DURABLE_WRITE });
    }
    return false;
  }

  async renew(feedId: string, holder: string, leaseMs: number): Promise<boolean> {
    const result = await this.leases.updateOne({ _id: feedId, holder }, { $set: { expiresAt: new Date(Date.now() + leaseMs) } }, { writeConcern: DURABLE_WRITE });
    return result.matchedCount === 1;
  }

  async release(feedId: string, holder: string): Promise<void> {
    await this.leases.deleteOne({ _id: feedId, holder }, { writeConcern: DURABLE_WRITE });
  }
}
