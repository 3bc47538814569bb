/** What the store keeps of one upstream feed (docs/federation.md): where to resume, and how it went. */
export interface FeedState {
  feedId: string;
  /** The local collection the feed mirrors into. */
  collectionId: string;
  /**
   * The `added_after` of the next poll: the last `X-TAXII-Date-Added-Last` the remote sent for a
   * page that is stored here. Absent until the first page is stored.
   */
  cursor?: string;
  lastPollAt?: Date;
  lastSuccessAt?: Date;
  lastError?: { at: Date; message: string };
  /** Failed polls since the last success: the back-off grows with it. */
  consecutiveFailures: number;
  /** New versions stored from this feed. */
  objectsMirrored: number;
  /** Versions the remote sent again that were already held (TAXII 2.1 §5.5 duplicates). */
  objectsDuplicate: number;
  /** Objects refused by validation, the TLP ceiling or ownership, as a POST would refuse them. */
  objectsRejected: number;
}

/**
 * Feed cursors and counters, and the lease that keeps two server processes from polling one feed at
 * once. Only the lease holder writes a feed's state, so `save` replaces the whole record.
 */
export interface FeedStateRepository {
  find(feedId: string): Promise<FeedState | undefined>;
  /** Every feed's state, ordered by feed id. */
  list(): Promise<FeedState[]>;
  save(state: FeedState): Promise<void>;
  /** True when `holder` now holds the feed's lease (it was free, expired, or already its own). */
  claim(feedId: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Extends a held lease; false when `holder` no longer holds it. */
  renew(feedId: string, holder: string, leaseMs: number): Promise<boolean>;
  release(feedId: string, holder: string): Promise<void>;
}
