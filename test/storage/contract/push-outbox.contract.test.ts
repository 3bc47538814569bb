import { randomUUID } from 'node:crypto';
import type { PushRefusal, PushTargetKey } from '../../../server/storage/push-outbox';
import type { Storage } from '../../../server/storage/storage';
import { describeEachEngine } from '../../support/storage';

function target(): PushTargetKey {
  return { collectionId: randomUUID(), remoteUrl: `http://peer.example/api/collections/${randomUUID()}/` };
}

function refusal(id: string, dateAdded: number): PushRefusal {
  return { id, version: '2026-03-01T10:00:00.000Z', dateAdded, reason: 'the remote refused it: TLP ceiling', at: new Date(1_700_000_000_000) };
}

describeEachEngine('PushOutbox contract', (open, engine) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open('push-outbox');
    await storage.prepare();
  });
  afterEach(() => storage.close());

  it('has no state for a target never pushed to, and starts at cursor 0 on the first error', async () => {
    const key = target();
    expect(await storage.pushOutbox.state(key)).toBeUndefined();
    await storage.pushOutbox.recordError(key, 'connect ECONNREFUSED', new Date(1_000));
    await storage.pushOutbox.recordError(key, 'HTTP 503', new Date(2_000));
    expect(await storage.pushOutbox.state(key)).toEqual({
      ...key, cursor: 0, sentCount: 0, refusedCount: 0, consecutiveErrors: 2, lastError: 'HTTP 503', lastErrorAt: new Date(2_000),
    });
  });

  it('moves the cursor forward only, adds to the counters and clears the error streak on an advance', async () => {
    const key = target();
    await storage.pushOutbox.recordError(key, 'HTTP 503', new Date(1_000));
    await storage.pushOutbox.advance(key, { cursor: 500, sent: 3, refusals: [refusal('indicator--a', 400)], at: new Date(2_000) });
    await storage.pushOutbox.advance(key, { cursor: 200, sent: 2, refusals: [], at: new Date(3_000) });
    expect(await storage.pushOutbox.state(key)).toEqual({
      ...key, cursor: 500, sentCount: 5, refusedCount: 1, consecutiveErrors: 0, lastSuccessAt: new Date(3_000), lastError: 'HTTP 503', lastErrorAt: new Date(1_000),
    });
  });

  it('records a refusal found again after a re-send once, and lists refusals newest first', async () => {
    const key = target();
    await storage.pushOutbox.advance(key, { cursor: 100, sent: 0, refusals: [refusal('indicator--a', 50), refusal('indicator--b', 100)], at: new Date(1_000) });
    // The same stretch again, as after a crash before the cursor moved.
    await storage.pushOutbox.advance(key, { cursor: 100, sent: 0, refusals: [refusal('indicator--b', 100)], at: new Date(2_000) });
    expect((await storage.pushOutbox.state(key))?.refusedCount).toBe(2);
    expect(await storage.pushOutbox.refusals(key, 10)).toEqual([refusal('indicator--b', 100), refusal('indicator--a', 50)]);
    expect(await storage.pushOutbox.refusals(key, 1)).toHaveLength(1);
    expect(await storage.pushOutbox.refusals(target(), 10)).toEqual([]);
  });

  it('lists every target with state, by collection then URL', async () => {
    const first = { collectionId: 'a-collection', remoteUrl: 'http://b.example/collections/x/' };
    const second = { collectionId: 'a-collection', remoteUrl: 'http://a.example/collections/x/' };
    const third = { collectionId: 'b-collection', remoteUrl: 'http://a.example/collections/x/' };
    for (const key of [third, first, second]) await storage.pushOutbox.advance(key, { cursor: 1, sent: 1, refusals: [], at: new Date(1_000) });
    expect((await storage.pushOutbox.list()).map(({ collectionId, remoteUrl }) => ({ collectionId, remoteUrl }))).toEqual([second, first, third]);
  });

  if (engine === 'mongodb') {
    it('lets one holder push to a target at a time, and another take over once the lease ran out', async () => {
      const key = target();
      expect(await storage.pushOutbox.claim(key, 'server-a', 1_000)).toBe(true);
      expect(await storage.pushOutbox.claim(key, 'server-b', 60_000)).toBe(false);
      expect(await storage.pushOutbox.claim(key, 'server-a', 1_000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await storage.pushOutbox.claim(key, 'server-b', 60_000)).toBe(true);
      expect(await storage.pushOutbox.claim(key, 'server-a', 60_000)).toBe(false);
      await storage.pushOutbox.release(key, 'server-b');
      expect(await storage.pushOutbox.claim(key, 'server-a', 60_000)).toBe(true);
    });
  } else {
    it('always grants the lease: one server owns a SQLite data directory', async () => {
      const key = target();
      expect(await storage.pushOutbox.claim(key, 'server-a', 1_000)).toBe(true);
      expect(await storage.pushOutbox.claim(key, 'server-b', 1_000)).toBe(true);
    });
  }
});
