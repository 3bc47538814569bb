import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../../server/storage/audit-log';
import type { Storage } from '../../../server/storage/storage';
import { describeEachEngine } from '../../support/storage';

const at = (iso: string) => new Date(iso);
/** Each test acts for organisations of its own, so the records of other tests never match its queries. */
const organisation = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

describeEachEngine('AuditLog contract', (open) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await open('audit-contract');
    await storage.prepare();
  });
  afterAll(() => storage.close());

  it('reads back exactly the records written, optional fields only where they were set', async () => {
    const org = organisation('de-bka');
    const full: AuditRecord = {
      at: at('2026-01-01T10:00:00.123Z'),
      action: 'objects.add',
      username: 'analyst@de-bka',
      organisation: org,
      apiRoot: 'alliance',
      collectionId: randomUUID(),
      objectIds: ['indicator--11111111-1111-4111-8111-111111111111', 'malware--22222222-2222-4222-8222-222222222222'],
      requestId: 'req-1',
      details: { statusId: 'abc', total: 2, accepted: 2, rejected: 0, nested: { list: [1, 'two', null], flag: true } },
    };
    const minimal: AuditRecord = { at: at('2026-01-01T09:00:00Z'), action: 'user.add', organisation: org };
    await storage.audit.record(full);
    await storage.audit.record(minimal);
    expect(await storage.audit.query({ organisation: org, limit: 10 })).toStrictEqual([full, minimal]);
  });

  it('does not change the record it is given', async () => {
    const entry: AuditRecord = { at: at('2026-01-01T00:00:00Z'), action: 'config.apply', organisation: organisation('europol'), details: { revision: 2 } };
    const copy = structuredClone(entry);
    await storage.audit.record(entry);
    expect(entry).toStrictEqual(copy);
  });

  it('scopes to records by the organisation OR on the collections given', async () => {
    const own = organisation('gb-nca');
    const other = organisation('nl-police');
    const owned = randomUUID();
    const notOwned = randomUUID();
    const byOwn: AuditRecord = { at: at('2026-02-01T00:00:01Z'), action: 'objects.add', organisation: own, collectionId: notOwned };
    const onOwned: AuditRecord = { at: at('2026-02-01T00:00:02Z'), action: 'objects.read', organisation: other, collectionId: owned };
    const neither: AuditRecord = { at: at('2026-02-01T00:00:03Z'), action: 'objects.read', organisation: other, collectionId: notOwned };
    for (const entry of [byOwn, onOwned, neither]) await storage.audit.record(entry);
    expect(await storage.audit.query({ organisation: own, collectionIds: [owned], limit: 10 })).toStrictEqual([onOwned, byOwn]);
    expect(await storage.audit.query({ collectionIds: [owned], limit: 10 })).toStrictEqual([onOwned]);
    // An empty list adds nothing to the scope.
    expect(await storage.audit.query({ organisation: own, collectionIds: [], limit: 10 })).toStrictEqual([byOwn]);
  });

  it('filters by action, an empty list filtering nothing', async () => {
    const org = organisation('europol');
    const add: AuditRecord = { at: at('2026-03-01T00:00:01Z'), action: 'objects.add', organisation: org };
    const remove: AuditRecord = { at: at('2026-03-01T00:00:02Z'), action: 'object.delete', organisation: org };
    const read: AuditRecord = { at: at('2026-03-01T00:00:03Z'), action: 'objects.read', organisation: org };
    for (const entry of [add, remove, read]) await storage.audit.record(entry);
    expect(await storage.audit.query({ organisation: org, actions: ['objects.add', 'object.delete'], limit: 10 })).toStrictEqual([remove, add]);
    expect(await storage.audit.query({ organisation: org, actions: [], limit: 10 })).toStrictEqual([read, remove, add]);
  });

  it('bounds by time, both ends inclusive, to the millisecond', async () => {
    const org = organisation('fr-ocrtic');
    const instants = ['2026-04-01T00:00:00.000Z', '2026-04-01T00:00:00.001Z', '2026-04-01T00:00:00.002Z', '2026-04-01T00:00:00.003Z'];
    const records: AuditRecord[] = instants.map((iso) => ({ at: at(iso), action: 'objects.read', organisation: org }));
    for (const entry of records) await storage.audit.record(entry);
    const [t0, t1, t2, t3] = records;
    expect(await storage.audit.query({ organisation: org, since: t1?.at, until: t2?.at, limit: 10 })).toStrictEqual([t2, t1]);
    expect(await storage.audit.query({ organisation: org, since: t2?.at, limit: 10 })).toStrictEqual([t3, t2]);
    expect(await storage.audit.query({ organisation: org, until: t0?.at, limit: 10 })).toStrictEqual([t0]);
  });

  it('returns the newest records first, at most the limit, whatever the order they were written in', async () => {
    const org = organisation('es-policia');
    const records: AuditRecord[] = ['2026-05-03', '2026-05-01', '2026-05-04', '2026-05-02'].map((day) => ({
      at: at(`${day}T00:00:00Z`), action: 'objects.read', organisation: org,
    }));
    for (const entry of records) await storage.audit.record(entry);
    const days = (found: AuditRecord[]) => found.map((entry) => entry.at.toISOString().slice(0, 10));
    expect(days(await storage.audit.query({ organisation: org, limit: 2 }))).toEqual(['2026-05-04', '2026-05-03']);
    expect(days(await storage.audit.query({ organisation: org, limit: 10 }))).toEqual(['2026-05-04', '2026-05-03', '2026-05-02', '2026-05-01']);
  });
});
