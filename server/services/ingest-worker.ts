import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';
import type { IngestQueue, QueuedEnvelope } from '../storage/ingest-queue';
import type { StatusRecord } from '../storage/repository';
import { envelopeMarkingClaims, type MarkingClaims } from '../policy/tlp-ceiling';
import { listedFailures } from '../taxii/status-details';
import { microsToTimestamp } from '../taxii/timestamps';
import { pendingDetails, type EnvelopeScope } from './add-objects';
import { decodeBatch, type IngestBatch } from './ingest-batch';
import { DEFAULT_SIZE_LIMITS, type CollectionRequest, type TaxiiContext } from './context';
import { storeBatch } from './store-batch';

export interface IngestWorkerOptions {
  /** A claim not renewed for this long is taken over by another worker (another process, or this one after a restart). */
  leaseMs: number;
  /** How often an idle worker looks for envelopes left by a process that died. */
  idlePollMs: number;
  /** How often a waiting POST reads its status, for an envelope another process took. */
  statusCheckMs: number;
}

const DEFAULT_OPTIONS: IngestWorkerOptions = { leaseMs: 30_000, idlePollMs: 5_000, statusCheckMs: 250 };

/**
 * Processes queued envelopes (storage/ingest-queue.ts) one batch at a time. After each batch the
 * status resource is saved with that batch's outcomes, so the status is the record of progress: a
 * worker resuming an envelope starts at the first batch the status does not account for. A batch
 * whose versions were stored but whose status was not saved is processed again; its versions are
 * then duplicates of themselves (TAXII 2.1 §5.5: a success), and its audit record is written once.
 */
export class IngestWorker {
  private readonly holder = `${process.pid}-${randomUUID()}`;
  private readonly waiters = new Map<string, (() => void)[]>();
  /** Requests accepted by this process, so their envelopes are processed with the configuration they were accepted under. */
  private readonly accepted = new Map<string, CollectionRequest>();
  private loop: Promise<void> | undefined;
  private poll: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Told of a failure to process an envelope; the envelope stays queued and is retried once its claim expires. */
  onError: (error: unknown) => void = () => undefined;
  /** Told of each processed batch: how many of its objects were stored and how many refused (the metrics count them). */
  onBatchStored: (collectionId: string, outcome: { stored: number; refused: number }) => void = () => undefined;

  constructor(private readonly context: TaxiiContext, private readonly queue: IngestQueue, private readonly options: IngestWorkerOptions = DEFAULT_OPTIONS) {}

  start(): void {
    this.poll = setInterval(() => this.kick(), this.options.idlePollMs);
    this.poll.unref();
    this.kick();
  }

  /** Finishes the batch in progress and stops; an unfinished envelope stays queued for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.poll);
    await this.loop;
  }

  /** Remembers the request an envelope came with and makes sure the worker is running. */
  accept(id: string, request: CollectionRequest): void {
    this.accepted.set(id, request);
    this.kick();
  }

  /**
   * Resolves true once the envelope is finished, false when `ms` ran out first. Finished here is
   * heard of at once; finished by another process sharing the store is seen by reading its status.
   */
  waitFor(id: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (finished: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(check);
        resolve(finished);
      };
      const timer = Number.isFinite(ms) ? setTimeout(() => settle(false), ms) : undefined;
      const check = setInterval(() => {
        void this.context.statuses.find(this.accepted.get(id)?.root.path ?? '', id).then(
          (status) => status?.status === 'complete' && settle(true),
          () => undefined,
        );
      }, this.options.statusCheckMs);
      this.waiters.set(id, [...(this.waiters.get(id) ?? []), () => settle(true)]);
    });
  }

  private kick(): void {
    if (this.loop || this.stopping) return;
    this.loop = this.drainQueue()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.loop = undefined;
      });
  }

  private async drainQueue(): Promise<void> {
    while (!this.stopping) {
      const envelope = await this.queue.claimNext(this.holder, this.options.leaseMs).catch(() => undefined);
      if (!envelope) return;
      await this.process(envelope);
    }
  }

  private requestFor(envelope: QueuedEnvelope): CollectionRequest | undefined {
    const remembered = this.accepted.get(envelope.id);
    if (remembered) return remembered;
    const collection = this.context.config.collections.find((candidate) => candidate.id === envelope.collectionId);
    const root = this.context.config.apiRoots.find((candidate) => candidate.path === envelope.apiRoot);
    if (!collection || !root) return undefined;
    const principal: Principal = { username: envelope.username, organisation: envelope.organisation, role: 'member', authenticatedBy: { method: 'password' } };
    return { principal, root, collection, requestId: envelope.requestId };
  }

  /** TLP levels the envelope's own marking definitions claim, across all its batches (docs/security.md). */
  private async markingClaims(envelope: QueuedEnvelope): Promise<MarkingClaims> {
    const definitions: unknown[] = [];
    for (let index = 0; index < envelope.batchCount; index += 1) {
      const text = await this.queue.batch(envelope.id, index);
      // Only marking definitions can claim a level; the cheap text test skips batches without any.
      if (text?.includes('marking-definition')) definitions.push(...decodeBatch(text).items);
    }
    return envelopeMarkingClaims(definitions);
  }

  private async readBatch(envelope: QueuedEnvelope, index: number): Promise<IngestBatch> {
    return decodeBatch(index < envelope.batchCount ? await this.queue.batch(envelope.id, index) : undefined);
  }

  private async process(envelope: QueuedEnvelope): Promise<void> {
    const status = (await this.context.statuses.find(envelope.apiRoot, envelope.id)) ?? this.freshStatus(envelope);
    const request = this.requestFor(envelope);
    const done = status.totalCount - status.pendingCount;
    const batchSize = Math.ceil(envelope.objectCount / envelope.batchCount);
    const firstBatch = Math.floor(done / batchSize);
    const scope: EnvelopeScope = {
      requestTimestamp: status.requestTimestamp,
      maxObjectBytes: (this.context.limits ?? DEFAULT_SIZE_LIMITS).maxObjectBytes,
      claims: await this.markingClaims(envelope),
    };
    let batch = await this.readBatch(envelope, firstBatch);
    for (let index = firstBatch; index < envelope.batchCount; index += 1) {
      // The embedded engine answers synchronously, so without this the whole envelope would run as
      // one chain of microtasks and hold every other request until it is done.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.stopping) return;
      const offset = index * batchSize;
      const outcome = request
        ? await storeBatch(this.context, request, batch, scope, { statusId: envelope.id, batch: index, offset, total: envelope.objectCount, resumed: index === firstBatch && done > 0 })
        : { successes: [], failures: pendingDetails(batch.items, offset, status.requestTimestamp).map((detail) => ({ ...detail, message: 'The collection no longer exists.' })) };
      this.onBatchStored(envelope.collectionId, { stored: outcome.successes.length, refused: outcome.failures.length });
      const next = await this.readBatch(envelope, index + 1);
      status.successes.push(...outcome.successes);
      // Summarised past a bound, so the status can always be stored; failure_count stays exact.
      status.failures = listedFailures([...status.failures, ...outcome.failures]);
      status.pendingCount = Math.max(0, status.totalCount - offset - batch.items.length);
      status.pendings = pendingDetails(next.items, offset + batch.items.length, status.requestTimestamp);
      if (status.pendingCount === 0) status.status = 'complete';
      await this.context.statuses.save(status);
      await this.queue.renewClaim(envelope.id, this.holder, this.options.leaseMs);
      batch = next;
    }
    if (status.status !== 'complete') {
      status.status = 'complete';
      status.pendingCount = 0;
      status.pendings = [];
      await this.context.statuses.save(status);
    }
    await this.queue.complete(envelope.id);
    this.accepted.delete(envelope.id);
    for (const resolve of this.waiters.get(envelope.id) ?? []) resolve();
    this.waiters.delete(envelope.id);
  }

  /** A status for an envelope whose own was never saved or has expired: what is left is pending. */
  private freshStatus(envelope: QueuedEnvelope): StatusRecord {
    return {
      id: envelope.id,
      apiRoot: envelope.apiRoot,
      collectionId: envelope.collectionId,
      organisation: envelope.organisation,
      status: 'pending',
      requestTimestamp: microsToTimestamp(envelope.receivedAt.getTime() * 1000),
      totalCount: envelope.objectCount,
      successes: [],
      failures: [],
      pendingCount: envelope.objectCount,
      pendings: [],
      expiresAt: new Date(Date.now() + this.context.statusRetentionHours * 3600 * 1000),
    };
  }
}
