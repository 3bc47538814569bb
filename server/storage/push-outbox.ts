/**
 * Downstream push state (docs/federation.md, push). The outbox is not a table of pending objects:
 * the collection's own versions, in `date_added` order, are the log, and each push target keeps a
 * cursor into it. A version is accepted and logged in one write (store-batch.ts), so no crash can
 * lose one between "stored" and "queued for push"; the cursor moves only after the remote has
 * answered, so a crash in between re-sends, and TAXII 2.1 §5.5 makes a re-sent version a success.
 */

/** One push target: a local collection forwarded to one remote collection URL. */
export interface PushTargetKey {
  collectionId: string;
  remoteUrl: string;
}

export interface PushState extends PushTargetKey {
  /** date_added (µs) of the last version the remote acknowledged or refused; 0 before the first. */
  cursor: number;
  /** Versions the remote acknowledged as stored (or already held). */
  sentCount: number;
  /** Versions the remote refused, or that could never be sent (larger than its max_content_length). */
  refusedCount: number;
  lastSuccessAt?: Date;
  lastErrorAt?: Date;
  lastError?: string;
  /** Failed rounds since the last success: the back-off grows with it. */
  consecutiveErrors: number;
}

/** A version the remote will not take: recorded once, never retried. */
export interface PushRefusal {
  id: string;
  version: string;
  dateAdded: number;
  reason: string;
  at: Date;
}

export interface PushProgress {
  /** The new cursor; a cursor never moves back, so a smaller value leaves it where it is. */
  cursor: number;
  sent: number;
  refusals: PushRefusal[];
  at: Date;
}

export interface PushOutbox {
  state(key: PushTargetKey): Promise<PushState | undefined>;
  /** Every target that has state, configured or not any more, ordered by collection and URL. */
  list(): Promise<PushState[]>;
  /** Records an acknowledged stretch of the log: the cursor, the counters and the refusals move together. */
  advance(key: PushTargetKey, progress: PushProgress): Promise<void>;
  /** Records a failed round; the cursor stays. */
  recordError(key: PushTargetKey, message: string, at: Date): Promise<void>;
  /** The refusals of one target, newest first. */
  refusals(key: PushTargetKey, limit: number): Promise<PushRefusal[]>;
  /**
   * One pusher per target across every server process on the store: true when `holder` holds the
   * target until `leaseMs` from now (taken, renewed, or taken over from a holder whose lease ran out).
   */
  claim(key: PushTargetKey, holder: string, leaseMs: number): Promise<boolean>;
  release(key: PushTargetKey, holder: string): Promise<void>;
}

/** The key as one string, for maps, documents and log lines. */
export function pushTargetId(key: PushTargetKey): string {
  return `${key.collectionId} -> ${key.remoteUrl}`;
}
