import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferedAuditLog } from '../../server/storage/audit-buffer';
import type { AuditLog, AuditQuery, AuditRecord } from '../../server/storage/audit-log';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { describeEachEngine } from '../support/storage';

/** The engine's own log, counting the writes that reach it. */
class CountingLog implements AuditLog {
  singles = 0;
  batches: number[] = [];
  constructor(private readonly inner: AuditLog) {}
  record(entry: AuditRecord) {
    this.singles += 1;
    return this.inner.record(entry);
  }
  recordBatch(entries: AuditRecord[]) {
    this.batches.push(entries.length);
    return this.inner.recordBatch(entries);
  }
  query(query: AuditQuery) {
    return this.inner.query(query);
  }
}

const read = (n: number): AuditRecord => ({ at: new Date(1_700_000_000_000 + n), action: 'objects.read', username: 'poller', organisation: 'de-bka', details: { page: n } });

describeEachEngine('the audit buffer', (open) => {
  it('writes read records in batches off the request path, writes changes at once after them, and keeps the order', async () => {
    const storage = await open('audit-buffer');
    try {
      const counting = new CountingLog(storage.audit);
      const buffer = new BufferedAuditLog(counting, { flushAfterMs: 60_000, batchSize: 50 });
      for (let n = 0; n < 120; n += 1) await buffer.record(read(n));
      expect(counting.batches).toEqual([50, 50]); // two full batches written, 20 waiting
      await buffer.record({ at: new Date(1_700_000_000_500), action: 'objects.add', username: 'publisher', organisation: 'de-bka' });
      expect(counting.batches).toEqual([50, 50, 20]);
      expect(counting.singles).toBe(1);
      const trail = await buffer.query({ limit: 1000 });
      expect(trail).toHaveLength(121);
      expect(trail[0]?.action).toBe('objects.add');
      expect(trail.slice(1).map((record) => record.details?.page)).toEqual(Array.from({ length: 120 }, (_, n) => 119 - n));
    } finally {
      await storage.close();
    }
  });

  it('writes waiting read records when the timer fires, and a query sees them at once', async () => {
    const storage = await open('audit-buffer-timer');
    try {
      const counting = new CountingLog(storage.audit);
      const buffer = new BufferedAuditLog(counting, { flushAfterMs: 30, batchSize: 1000 });
      await buffer.record(read(1));
      await buffer.record(read(2));
      expect(counting.batches).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(counting.batches).toEqual([2]);
      await buffer.record(read(3));
      expect((await buffer.query({ limit: 10 })).map((record) => record.details?.page)).toEqual([3, 2, 1]);
    } finally {
      await storage.close();
    }
  });
});

describe('closing the embedded store', () => {
  it('writes the read records still waiting, so a graceful shutdown loses none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taxii-audit-close-'));
    try {
      const first = openSqliteStorage({ path: dir, role: 'server' });
      for (let n = 0; n < 3; n += 1) await first.audit.record(read(n));
      await first.close();
      const second = openSqliteStorage({ path: dir, role: 'server' });
      expect((await second.audit.query({ limit: 10 })).map((record) => record.details?.page)).toEqual([2, 1, 0]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
