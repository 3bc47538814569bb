import { randomUUID } from 'node:crypto';
import type { QueuedEnvelope } from '../../../server/storage/ingest-queue';
import type { Storage } from '../../../server/storage/storage';
import { describeEachEngine } from '../../support/storage';

function envelope(receivedAt: number, batchCount = 2): QueuedEnvelope {
  return { id: randomUUID(), apiRoot: 'alliance', collectionId: randomUUID(), organisation: 'de-bka', username: 'analyst@de-bka', receivedAt: new Date(receivedAt), objectCount: batchCount * 2, batchCount };
}

describeEachEngine('IngestQueue contract', (open) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open('ingest-queue');
    await storage.prepare();
  });
  afterEach(() => storage.close());

  it('keeps an envelope with its batches until completed, and hands envelopes out oldest first, one holder at a time', async () => {
    const older = { ...envelope(1_000), requestId: 'req-1' };
    const newer = envelope(2_000, 1);
    await storage.ingestQueue.enqueue(newer, ['[{"n":3}]']);
    await storage.ingestQueue.enqueue(older, ['[{"n":1}]', '[{"n":2}]']);
    expect(await storage.ingestQueue.depth()).toEqual({ envelopes: 2, objects: 6 });

    expect(await storage.ingestQueue.claimNext('worker-a', 60_000)).toEqual(older);
    expect(await storage.ingestQueue.claimNext('worker-b', 60_000)).toEqual(newer);
    expect(await storage.ingestQueue.claimNext('worker-c', 60_000)).toBeUndefined();
    expect(await storage.ingestQueue.batch(older.id, 1)).toBe('[{"n":2}]');
    expect(await storage.ingestQueue.batch(older.id, 2)).toBeUndefined();
    expect(await storage.ingestQueue.renewClaim(older.id, 'worker-a', 60_000)).toBe(true);
    expect(await storage.ingestQueue.renewClaim(older.id, 'worker-b', 60_000)).toBe(false);

    await storage.ingestQueue.complete(older.id);
    expect(await storage.ingestQueue.batch(older.id, 0)).toBeUndefined();
    expect(await storage.ingestQueue.depth()).toEqual({ envelopes: 1, objects: 2 });
  });

  it('gives an envelope whose holder stopped renewing to another holder once the claim expired', async () => {
    const abandoned = envelope(1_000);
    await storage.ingestQueue.enqueue(abandoned, ['[]', '[]']);
    expect((await storage.ingestQueue.claimNext('dead-process', 1_500))?.id).toBe(abandoned.id);
    expect(await storage.ingestQueue.claimNext('survivor', 60_000)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect((await storage.ingestQueue.claimNext('survivor', 60_000))?.id).toBe(abandoned.id);
    expect(await storage.ingestQueue.renewClaim(abandoned.id, 'dead-process', 60_000)).toBe(false);
  });
});
