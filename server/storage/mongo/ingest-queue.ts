import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { IngestQueue, QueuedEnvelope } from '../ingest-queue';
import { DURABLE_WRITE } from './connect';

const DUPLICATE_KEY = 11000;
/** Envelopes looked at per claim attempt: more than there are processes competing for them. */
const CLAIM_CANDIDATES = 16;

type EnvelopeDocument = Omit<QueuedEnvelope, 'id'> & { _id: string };
interface BatchDocument {
  _id: string;
  envelopeId: string;
  index: number;
  objects: string;
}
interface ClaimDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * Batches are written first and the envelope last, so a worker never sees an envelope whose
 * batches are incomplete. A claim is a document inserted under the envelope's id: the unique _id
 * makes taking it atomic on any MongoDB-protocol server (see write-turns.ts for why not an update).
 */
export class MongoIngestQueue implements IngestQueue {
  private readonly envelopes: Collection<EnvelopeDocument>;
  private readonly batches: Collection<BatchDocument>;
  private readonly claims: Collection<ClaimDocument>;

  constructor(db: Db) {
    this.envelopes = db.collection<EnvelopeDocument>('ingest_envelopes');
    this.batches = db.collection<BatchDocument>('ingest_batches');
    this.claims = db.collection<ClaimDocument>('ingest_claims');
  }

  async enqueue(envelope: QueuedEnvelope, batches: string[]): Promise<void> {
    const { id, ...rest } = envelope;
    if (batches.length > 0) {
      await this.batches.insertMany(batches.map((objects, index) => ({ _id: `${id}:${index}`, envelopeId: id, index, objects })), { writeConcern: DURABLE_WRITE });
    }
    await this.envelopes.insertOne({ _id: id, ...rest }, { writeConcern: DURABLE_WRITE });
  }

  async claimNext(holder: string, leaseMs: number): Promise<QueuedEnvelope | undefined> {
    const candidates = await this.envelopes.find({}).sort({ receivedAt: 1, _id: 1 }).limit(CLAIM_CANDIDATES).toArray();
    for (const candidate of candidates) {
      if (await this.tryClaim(candidate._id, holder, leaseMs)) {
        const { _id, ...rest } = candidate;
        return { id: _id, ...rest };
      }
    }
    return undefined;
  }

  private async tryClaim(id: string, holder: string, leaseMs: number): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.claims.insertOne({ _id: id, holder, expiresAt: new Date(Date.now() + leaseMs) }, { writeConcern: DURABLE_WRITE });
        // Completed by another process between the listing and the claim: nothing left to do.
        if (await this.envelopes.countDocuments({ _id: id }, { limit: 1 })) return true;
        await this.claims.deleteOne({ _id: id, holder });
        return false;
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const current = await this.claims.findOne({ _id: id });
      if (!current || current.expiresAt.getTime() >= Date.now()) return false;
      await this.claims.deleteOne({ _id: id, holder: current.holder, expiresAt: current.expiresAt }, { writeConcern: DURABLE_WRITE });
    }
    return false;
  }

  async renewClaim(id: string, holder: string, leaseMs: number): Promise<boolean> {
    const result = await this.claims.updateOne({ _id: id, holder }, { $set: { expiresAt: new Date(Date.now() + leaseMs) } });
    return result.matchedCount === 1;
  }

  async batch(id: string, index: number): Promise<string | undefined> {
    return (await this.batches.findOne({ _id: `${id}:${index}` }))?.objects;
  }

  async complete(id: string): Promise<void> {
    await this.envelopes.deleteOne({ _id: id }, { writeConcern: DURABLE_WRITE });
    await this.batches.deleteMany({ envelopeId: id }, { writeConcern: DURABLE_WRITE });
    await this.claims.deleteOne({ _id: id }, { writeConcern: DURABLE_WRITE });
  }

  async depth(): Promise<{ envelopes: number; objects: number }> {
    let envelopes = 0;
    let objects = 0;
    for await (const envelope of this.envelopes.find({}, { projection: { objectCount: 1 } })) {
      envelopes += 1;
      objects += envelope.objectCount;
    }
    return { envelopes, objects };
  }
}
