import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection, type Db } from 'mongodb';
import { KeyedLock } from '../../services/keyed-lock';
import { DateAddedClock } from '../../taxii/timestamps';
import type { CollectionWriteTurns, DateAddedSource } from '../storage';
import { DURABLE_WRITE } from './connect';
import type { ObjectVersionDocument } from './object-documents';
import { OBJECTS_COLLECTION } from './object-repository';

export const WRITE_TURNS_COLLECTION = 'collection_write_turns';
const DUPLICATE_KEY = 11000;

interface WriteTurnDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

export interface LeaseTimings {
  /** How long a turn stays held without renewal: a process that dies holding it blocks the collection this long. */
  leaseMs: number;
  /** How often a holder renews while its write runs; well under leaseMs. */
  renewMs: number;
  /** Back-off between attempts to take a held turn. */
  retryMs: number;
}

const DEFAULT_TIMINGS: LeaseTimings = { leaseMs: 30_000, renewMs: 5_000, retryMs: 20 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Several server processes on one MongoDB: each collection's writes take turns through a lease
 * document, and a turn starts by reading the newest date_added stored in the collection, so every
 * version written in it gets a larger date_added than anything committed before and commits before
 * anything written after. That keeps `added_after` and `next` exact across processes, where a
 * per-process clock alone would let a slower process commit a smaller date_added after a poller
 * has moved past it. The lease is renewed while the write runs; a holder that dies is replaced
 * once its lease expires.
 */
export class MongoWriteTurns implements CollectionWriteTurns {
  private readonly local = new KeyedLock();
  private readonly turns: Collection<WriteTurnDocument>;
  private readonly objects: Collection<ObjectVersionDocument>;
  private readonly clock = new DateAddedClock();
  private readonly holder = `${process.pid}-${randomUUID()}`;

  constructor(db: Db, private readonly timings: LeaseTimings = DEFAULT_TIMINGS) {
    this.turns = db.collection<WriteTurnDocument>(WRITE_TURNS_COLLECTION);
    this.objects = db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
  }

  run<T>(collectionId: string, task: (dateAdded: DateAddedSource) => Promise<T>): Promise<T> {
    // Turns within this process queue locally, so only one of them contends for the lease.
    return this.local.run(collectionId, async () => {
      await this.acquire(collectionId);
      const renewal = setInterval(() => void this.renew(collectionId), this.timings.renewMs);
      try {
        const newest = await this.objects.findOne(
          { collection_id: collectionId },
          { sort: { date_added_us: -1 }, projection: { _id: 0, date_added_us: 1 } },
        );
        this.clock.advancePast(newest?.date_added_us ?? 0);
        return await task(this.clock);
      } finally {
        clearInterval(renewal);
        await this.release(collectionId);
      }
    });
  }

  /**
   * Taking a turn is inserting the collection's turn document: the unique _id makes that atomic on
   * any MongoDB-protocol server, where a conditional update is atomic only on MongoDB itself
   * (FerretDB 1.x reads then writes). An expired turn is deleted by its exact holder and expiry,
   * so two processes that both see it expire cannot delete a newer holder's turn.
   */
  private async acquire(collectionId: string): Promise<void> {
    for (;;) {
      try {
        await this.turns.insertOne({ _id: collectionId, holder: this.holder, expiresAt: new Date(Date.now() + this.timings.leaseMs) }, { writeConcern: DURABLE_WRITE });
        return;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const current = await this.turns.findOne({ _id: collectionId });
      if (current && current.expiresAt.getTime() < Date.now()) {
        await this.turns.deleteOne({ _id: collectionId, holder: current.holder, expiresAt: current.expiresAt }, { writeConcern: DURABLE_WRITE });
      } else {
        await sleep(this.timings.retryMs);
      }
    }
  }

  private async renew(collectionId: string): Promise<void> {
    await this.turns
      .updateOne({ _id: collectionId, holder: this.holder }, { $set: { expiresAt: new Date(Date.now() + this.timings.leaseMs) } })
      .catch(() => undefined);
  }

  private async release(collectionId: string): Promise<void> {
    await this.turns.deleteOne({ _id: collectionId, holder: this.holder }, { writeConcern: DURABLE_WRITE });
  }
}
