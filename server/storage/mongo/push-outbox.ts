import { MongoServerError, type Collection, type Db } from 'mongodb';
import { pushTargetId, type PushOutbox, type PushProgress, type PushRefusal, type PushState, type PushTargetKey } from '../push-outbox';
import { DURABLE_WRITE } from './connect';

export const PUSH_REFUSALS_COLLECTION = 'push_refusals';

const DUPLICATE_KEY = 11000;

interface StateDocument {
  _id: string;
  collectionId: string;
  remoteUrl: string;
  cursor: number;
  sentCount: number;
  lastSuccessAt?: Date;
  lastErrorAt?: Date;
  lastError?: string;
  consecutiveErrors: number;
}

interface RefusalDocument extends PushRefusal {
  _id: string;
  target: string;
}

interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * Push state on MongoDB. An advance is two writes, refusals first (upserts keyed by target, id and
 * version) and then the cursor: a crash between them re-sends the stretch, whose refusals are
 * found again and stored once, so the refused count is counted from the refusals themselves.
 * The lease follows write-turns.ts: inserting a document under the target's id is atomic on any
 * MongoDB-protocol server, and an expired lease is deleted only by its exact holder and expiry.
 */
export class MongoPushOutbox implements PushOutbox {
  private readonly states: Collection<StateDocument>;
  private readonly refused: Collection<RefusalDocument>;
  private readonly leases: Collection<LeaseDocument>;

  constructor(db: Db) {
    this.states = db.collection<StateDocument>('push_state');
    this.refused = db.collection<RefusalDocument>(PUSH_REFUSALS_COLLECTION);
    this.leases = db.collection<LeaseDocument>('push_leases');
  }

  private async withRefusedCount(document: StateDocument): Promise<PushState> {
    const { _id, ...state } = document;
    return { ...state, refusedCount: await this.refused.countDocuments({ target: _id }) };
  }

  async state(key: PushTargetKey): Promise<PushState | undefined> {
    const document = await this.states.findOne({ _id: pushTargetId(key) });
    return document ? this.withRefusedCount(document) : undefined;
  }

  async list(): Promise<PushState[]> {
    const documents = await this.states.find({}).sort({ collectionId: 1, remoteUrl: 1 }).toArray();
    return Promise.all(documents.map((document) => this.withRefusedCount(document)));
  }

  private onInsert(key: PushTargetKey) {
    return { collectionId: key.collectionId, remoteUrl: key.remoteUrl };
  }

  async advance(key: PushTargetKey, progress: PushProgress): Promise<void> {
    const target = pushTargetId(key);
    for (const refusal of progress.refusals) {
      await this.refused.updateOne(
        { _id: `${target}\u0000${refusal.id}\u0000${refusal.version}` },
        { $setOnInsert: { target, ...refusal } },
        { upsert: true, writeConcern: DURABLE_WRITE },
      );
    }
    await this.states.updateOne(
      { _id: target },
      {
        $setOnInsert: this.onInsert(key),
        $max: { cursor: progress.cursor },
        $inc: { sentCount: progress.sent },
        $set: { lastSuccessAt: progress.at, consecutiveErrors: 0 },
      },
      { upsert: true, writeConcern: DURABLE_WRITE },
    );
  }

  async recordError(key: PushTargetKey, message: string, at: Date): Promise<void> {
    await this.states.updateOne(
      { _id: pushTargetId(key) },
      { $setOnInsert: { ...this.onInsert(key), cursor: 0, sentCount: 0 }, $set: { lastErrorAt: at, lastError: message }, $inc: { consecutiveErrors: 1 } },
      { upsert: true, writeConcern: DURABLE_WRITE },
    );
  }

  async refusals(key: PushTargetKey, limit: number): Promise<PushRefusal[]> {
    const documents = await this.refused.find({ target: pushTargetId(key) }).sort({ dateAdded: -1, id: 1 }).limit(limit).toArray();
    return documents.map(({ id, version, dateAdded, reason, at }) => ({ id, version, dateAdded, reason, at }));
  }

  async claim(key: PushTargetKey, holder: string, leaseMs: number): Promise<boolean> {
    const id = pushTargetId(key);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const renewed = await this.leases.updateOne({ _id: id, holder }, { $set: { expiresAt: new Date(Date.now() + leaseMs) } });
      if (renewed.matchedCount === 1) return true;
      try {
        await this.leases.insertOne({ _id: id, holder, expiresAt: new Date(Date.now() + leaseMs) }, { writeConcern: DURABLE_WRITE });
        return true;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const current = await this.leases.findOne({ _id: id });
      if (current && current.expiresAt.getTime() >= Date.now()) return false;
      if (current) await this.leases.deleteOne({ _id: id, holder: current.holder, expiresAt: current.expiresAt }, { writeConcern: DURABLE_WRITE });
    }
    return false;
  }

  async release(key: PushTargetKey, holder: string): Promise<void> {
    await this.leases.deleteOne({ _id: pushTargetId(key), holder }, { writeConcern: DURABLE_WRITE });
  }
}
