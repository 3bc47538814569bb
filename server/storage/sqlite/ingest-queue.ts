import type { Statement } from 'better-sqlite3';
import type { IngestQueue, QueuedEnvelope } from '../ingest-queue';
import type { SqliteDatabase } from './connection';
import { ENVELOPE_COLUMNS, envelopeFromRow, type EnvelopeRow } from './rows';

export class SqliteIngestQueue implements IngestQueue {
  private readonly insertEnvelope: Statement;
  private readonly insertBatch: Statement<[string, number, string]>;
  private readonly claim: Statement<[string, number, number], EnvelopeRow>;
  private readonly renew: Statement<[number, string, string]>;
  private readonly readBatch: Statement<[string, number], { objects: string }>;
  private readonly removeEnvelope: Statement<[string]>;
  private readonly removeBatches: Statement<[string]>;
  private readonly count: Statement<[], { envelopes: number; objects: number | null }>;

  constructor(private readonly db: SqliteDatabase) {
    this.insertEnvelope = db.prepare(`INSERT INTO ingest_envelopes (id, api_root, collection_id, organisation, username, request_id,
      received_at_ms, object_count, batch_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertBatch = db.prepare('INSERT INTO ingest_batches (envelope_id, batch_index, objects) VALUES (?, ?, ?)');
    // One statement: picking and claiming cannot be split by another writer.
    this.claim = db.prepare(`UPDATE ingest_envelopes SET claimed_by = ?, claim_expires_at_ms = ?
      WHERE id = (SELECT id FROM ingest_envelopes WHERE claimed_by IS NULL OR claim_expires_at_ms < ? ORDER BY received_at_ms, id LIMIT 1)
      RETURNING ${ENVELOPE_COLUMNS}`);
    this.renew = db.prepare('UPDATE ingest_envelopes SET claim_expires_at_ms = ? WHERE id = ? AND claimed_by = ?');
    this.readBatch = db.prepare('SELECT objects FROM ingest_batches WHERE envelope_id = ? AND batch_index = ?');
    this.removeEnvelope = db.prepare('DELETE FROM ingest_envelopes WHERE id = ?');
    this.removeBatches = db.prepare('DELETE FROM ingest_batches WHERE envelope_id = ?');
    this.count = db.prepare('SELECT COUNT(*) AS envelopes, SUM(object_count) AS objects FROM ingest_envelopes');
  }

  async enqueue(envelope: QueuedEnvelope, batches: string[]): Promise<void> {
    this.db.transaction(() => {
      this.insertEnvelope.run(envelope.id, envelope.apiRoot, envelope.collectionId, envelope.organisation, envelope.username,
        envelope.requestId ?? null, envelope.receivedAt.getTime(), envelope.objectCount, envelope.batchCount);
      batches.forEach((objects, index) => this.insertBatch.run(envelope.id, index, objects));
    }).immediate();
  }

  async claimNext(holder: string, leaseMs: number): Promise<QueuedEnvelope | undefined> {
    const now = Date.now();
    const row = this.claim.get(holder, now + leaseMs, now);
    return row ? envelopeFromRow(row) : undefined;
  }

  async renewClaim(id: string, holder: string, leaseMs: number): Promise<boolean> {
    return this.renew.run(Date.now() + leaseMs, id, holder).changes === 1;
  }

  async batch(id: string, index: number): Promise<string | undefined> {
    return this.readBatch.get(id, index)?.objects;
  }

  async complete(id: string): Promise<void> {
    this.db.transaction(() => {
      this.removeBatches.run(id);
      this.removeEnvelope.run(id);
    }).immediate();
  }

  async depth(): Promise<{ envelopes: number; objects: number }> {
    const row = this.count.get();
    return { envelopes: row?.envelopes ?? 0, objects: row?.objects ?? 0 };
  }
}
