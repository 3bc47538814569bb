/** An accepted envelope waiting for (or in) validation and storage; its objects are kept in batches. */
export interface QueuedEnvelope {
  /** The status id the publisher was given. */
  id: string;
  apiRoot: string;
  collectionId: string;
  organisation: string;
  username: string;
  requestId?: string;
  receivedAt: Date;
  objectCount: number;
  batchCount: number;
}

/**
 * TAXII 2.1 §5.5 lets a server answer a POST before it has processed the objects. An envelope is
 * stored here durably before the 202 answer, then a worker processes it batch by batch; a
 * process that dies mid-envelope leaves it here, and a worker of any process resumes it once the
 * claim has expired. The claim makes sure two processes never work on one envelope at once.
 */
export interface IngestQueue {
  /** Stores the envelope and its batches (each a JSON array text) together: all or nothing. */
  enqueue(envelope: QueuedEnvelope, batches: string[]): Promise<void>;
  /** The oldest envelope nobody holds (or whose holder's claim expired), now held by `holder`. */
  claimNext(holder: string, leaseMs: number): Promise<QueuedEnvelope | undefined>;
  /** Extends a held claim; false when `holder` no longer holds it. */
  renewClaim(id: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Batch `index` (from 0) of an envelope, as enqueued. */
  batch(id: string, index: number): Promise<string | undefined>;
  /** Removes a finished envelope and its batches. */
  complete(id: string): Promise<void>;
  /** Envelopes and objects waiting or in progress, for operators and metrics. */
  depth(): Promise<{ envelopes: number; objects: number }>;
}
