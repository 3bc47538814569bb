import { randomUUID } from 'node:crypto';
import type { StatusRecord } from '../../../server/storage/repository';
import type { Storage } from '../../../server/storage/storage';
import { describeEachEngine } from '../../support/storage';

const HOUR_MS = 3_600_000;

function status(overrides: Partial<StatusRecord> = {}): StatusRecord {
  return {
    id: randomUUID(),
    apiRoot: 'alliance',
    collectionId: randomUUID(),
    organisation: 'de-bka',
    status: 'complete',
    requestTimestamp: '2026-01-02T03:04:05.678Z',
    totalCount: 3,
    successes: [{ id: 'indicator--11111111-1111-4111-8111-111111111111', version: '2026-01-01T00:00:00.000Z' }],
    failures: [{ id: 'indicator--22222222-2222-4222-8222-222222222222', version: '2026-01-01T00:00:00Z', message: 'the object is not valid STIX 2.1' }],
    pendingCount: 0,
    pendings: [],
    expiresAt: new Date(Date.now() + 24 * HOUR_MS),
    ...overrides,
  };
}

describeEachEngine('StatusRepository contract', (open) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await open('status-contract');
    await storage.prepare();
  });
  afterAll(() => storage.close());

  it('reads back exactly the record saved, messages present only where they were given', async () => {
    const record = status();
    await storage.statuses.save(record);
    expect(await storage.statuses.find('alliance', record.id)).toStrictEqual(record);
  });

  it('finds a status only under its own API root', async () => {
    const record = status();
    await storage.statuses.save(record);
    expect(await storage.statuses.find('other-root', record.id)).toBeUndefined();
    expect(await storage.statuses.find('alliance', randomUUID())).toBeUndefined();
  });

  it('replaces the whole record when a status is saved again', async () => {
    const pending = status({
      status: 'pending',
      successes: [],
      failures: [],
      pendings: [{ id: 'indicator--33333333-3333-4333-8333-333333333333', version: '2026-02-01T00:00:00Z' }],
      totalCount: 1,
    });
    await storage.statuses.save(pending);
    const complete: StatusRecord = { ...pending, status: 'complete', pendings: [], successes: pending.pendings };
    await storage.statuses.save(complete);
    expect(await storage.statuses.find('alliance', pending.id)).toStrictEqual(complete);
  });

  it('prunes exactly the statuses that expired before the given instant', async () => {
    const cutOff = Date.now() + HOUR_MS;
    const before = status({ expiresAt: new Date(cutOff - 1) });
    const at = status({ expiresAt: new Date(cutOff) });
    const after = status({ expiresAt: new Date(cutOff + 1) });
    for (const record of [before, at, after]) await storage.statuses.save(record);
    // Every other status of this file expires a day from now, so only `before` is past the cut-off.
    expect(await storage.statuses.pruneExpired(new Date(cutOff))).toBe(1);
    expect(await storage.statuses.find('alliance', before.id)).toBeUndefined();
    expect(await storage.statuses.find('alliance', at.id)).toStrictEqual(at);
    expect(await storage.statuses.find('alliance', after.id)).toStrictEqual(after);
  });

  it('hides an expired status before it is pruned, then prunes it', async () => {
    const expired = status({ expiresAt: new Date(Date.now() - 1000) });
    await storage.statuses.save(expired);
    expect(await storage.statuses.find('alliance', expired.id)).toBeUndefined();
    expect(await storage.statuses.pruneExpired()).toBe(1);
    expect(await storage.statuses.pruneExpired()).toBe(0);
  });
});
