import type { AuditLog, AuditQuery, AuditRecord } from './audit-log';

export interface AuditBufferLimits {
  /** A read record waits at most this long before it is written. */
  flushAfterMs: number;
  /** This many waiting records are written at once without waiting for the timer. */
  batchSize: number;
}

const DEFAULT_LIMITS: AuditBufferLimits = { flushAfterMs: 200, batchSize: 500 };

/**
 * Every page a poller fetches leaves an `objects.read` record. Writing each one on the request
 * path costs a commit per page and puts every read in the single writer's queue (SQLite) or behind
 * a round trip (MongoDB). Read records are therefore collected and written in batches off the
 * request path; everything else (writes, deletes, credential and configuration changes,
 * authentication failures) is written at once, after the waiting read records so the trail stays
 * in order. A query, and close(), write what is waiting first. What a crash can lose is at most
 * `flushAfterMs` of read records: never a record of a change to data, credentials or configuration.
 */
export class BufferedAuditLog implements AuditLog {
  private waiting: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly log: AuditLog, private readonly limits: AuditBufferLimits = DEFAULT_LIMITS) {}

  async record(entry: AuditRecord): Promise<void> {
    if (entry.action !== 'objects.read') {
      await this.flush();
      await this.log.record(entry);
      return;
    }
    this.waiting.push(entry);
    if (this.waiting.length >= this.limits.batchSize) {
      // Back-pressure: a burst larger than a batch waits for its own write, so the buffer stays bounded.
      await this.flush();
    } else {
      this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.limits.flushAfterMs);
    }
  }

  recordBatch(entries: AuditRecord[]): Promise<void> {
    return this.flush().then(() => this.log.recordBatch(entries));
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    await this.flush();
    return this.log.query(query);
  }

  /** Writes every waiting record; batches are written one after another, in arrival order. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    this.flushing = this.flushing.catch(() => undefined).then(() => this.log.recordBatch(batch));
    return this.flushing;
  }
}
