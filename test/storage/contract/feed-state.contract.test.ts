import { randomUUID } from 'node:crypto';
import type { FeedState } from '../../../server/storage/feed-state';
import type { Storage } from '../../../server/storage/storage';
import { describeEachEngine } from '../../support/storage';

function state(feedId: string, changes: Partial<FeedState> = {}): FeedState {
  return { feedId, collectionId: randomUUID(), consecutiveFailures: 0, objectsMirrored: 0, objectsDuplicate: 0, objectsRejected: 0, ...changes };
}

describeEachEngine('FeedStateRepository contract', (open) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open('feed-state');
    await storage.prepare();
  });
  afterEach(() => storage.close());

  it('keeps a feed\'s cursor, times, error and counters, and lists feeds by id', async () => {
    expect(await storage.feedStates.find('partner-b')).toBeUndefined();
    const full = state('partner-b', {
      cursor: '2026-11-30T10:00:00.123456Z',
      lastPollAt: new Date('2026-11-30T10:05:00.000Z'),
      lastSuccessAt: new Date('2026-11-30T10:05:01.000Z'),
      lastError: { at: new Date('2026-11-30T09:00:00.000Z'), message: 'http://remote/ answered 503' },
      consecutiveFailures: 2,
      objectsMirrored: 120,
      objectsDuplicate: 7,
      objectsRejected: 3,
    });
    await storage.feedStates.save(full);
    await storage.feedStates.save(state('partner-a'));
    expect(await storage.feedStates.find('partner-b')).toEqual(full);
    expect((await storage.feedStates.list()).map((feed) => feed.feedId)).toEqual(['partner-a', 'partner-b']);
  });

  it('replaces the whole record on save, so a cleared error or cursor is cleared in the store', async () => {
    await storage.feedStates.save(state('feed', { cursor: '2026-11-30T10:00:00.000000Z', lastError: { at: new Date(1_000), message: 'down' }, consecutiveFailures: 4 }));
    const recovered = state('feed', { objectsMirrored: 5 });
    await storage.feedStates.save(recovered);
    expect(await storage.feedStates.find('feed')).toEqual(recovered);
  });

  it('gives a feed\'s lease to one holder at a time, lets it renew and release, and hands an expired lease over', async () => {
    expect(await storage.feedStates.claim('feed', 'process-a', 60_000)).toBe(true);
    expect(await storage.feedStates.claim('feed', 'process-b', 60_000)).toBe(false);
    expect(await storage.feedStates.claim('feed', 'process-a', 60_000)).toBe(true);
    expect(await storage.feedStates.claim('other-feed', 'process-b', 60_000)).toBe(true);
    expect(await storage.feedStates.renew('feed', 'process-a', 60_000)).toBe(true);
    expect(await storage.feedStates.renew('feed', 'process-b', 60_000)).toBe(false);
    await storage.feedStates.release('feed', 'process-b');
    expect(await storage.feedStates.claim('feed', 'process-b', 60_000)).toBe(false);
    await storage.feedStates.release('feed', 'process-a');
    expect(await storage.feedStates.claim('feed', 'process-b', 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await storage.feedStates.claim('feed', 'process-c', 60_000)).toBe(true);
    expect(await storage.feedStates.renew('feed', 'process-b', 60_000)).toBe(false);
  });
});
