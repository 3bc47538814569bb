import { randomUUID } from 'node:crypto';
import type { NewVersion, StoredVersion } from '../../../server/storage/repository';
import type { Storage } from '../../../server/storage/storage';
import { instantKey } from '../../../server/taxii/timestamps';
import { ALL_VERSIONS, LATEST_ONLY, type VersionSelector } from '../../../server/taxii/versions';
import { describeEachEngine } from '../../support/storage';

const FIRST_ONLY: VersionSelector = { all: false, first: true, last: false, instants: [] };
let clock = 1_700_000_000_000_000;

function version(collectionId: string, id: string, modified: string, extra: Partial<NewVersion> = {}): NewVersion {
  return {
    collectionId,
    id,
    type: id.split('--')[0] ?? 'x',
    specVersion: '2.1',
    version: modified,
    versionKey: instantKey(modified) ?? '',
    dateAdded: ++clock,
    publishedBy: { organisation: 'de-bka', username: 'analyst@de-bka' },
    stix: JSON.stringify({ id, modified }),
    ...extra,
  };
}

const indicatorId = () => `indicator--${randomUUID()}`;
const versionsOf = (records: StoredVersion[]) => records.map((record) => record.version);

describeEachEngine('ObjectRepository contract', (open) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await open('object-contract');
    await storage.prepare();
  });
  afterAll(() => storage.close());

  it('keeps the first copy of a version, whatever its spelling, and reports the duplicate with that copy', async () => {
    const collection = randomUUID();
    const id = indicatorId();
    const first = version(collection, id, '2020-01-01T00:00:00.000Z');
    const again = { ...version(collection, id, '2020-01-01T00:00:00Z'), stix: '{"changed":true}' };
    expect(await storage.objects.insertVersions([first])).toEqual([{ inserted: true }]);
    expect(await storage.objects.insertVersions([again])).toEqual([{ inserted: false, existingVersion: first.version, existingStix: first.stix }]);
    const all = await storage.objects.page({ collectionId: collection, filter: { versions: ALL_VERSIONS }, limit: 10, withContent: true });
    expect(all.records).toEqual([{ ...first, stix: first.stix }]);
  });

  it('reports a version repeated inside one batch as a duplicate of the copy stored just before', async () => {
    const collection = randomUUID();
    const id = indicatorId();
    const first = version(collection, id, '2020-01-01T00:00:00Z');
    const second = { ...version(collection, id, '2020-01-01T00:00:00Z'), stix: '{"second":true}' };
    expect(await storage.objects.insertVersions([first, second])).toEqual([
      { inserted: true },
      { inserted: false, existingVersion: first.version, existingStix: first.stix },
    ]);
  });

  it('flags the highest version as latest and the lowest as first, in whatever order they arrive', async () => {
    const collection = randomUUID();
    const id = indicatorId();
    await storage.objects.insertVersions([version(collection, id, '2021-01-01T00:00:00Z')]);
    await storage.objects.insertVersions([version(collection, id, '2020-06-01T00:00:00Z'), version(collection, id, '2022-01-01T00:00:00Z')]);
    await storage.objects.insertVersions([version(collection, id, '2020-01-01T00:00:00Z')]);
    const page = (versions: VersionSelector) => storage.objects.page({ collectionId: collection, filter: { versions, ids: [id] }, limit: 10, withContent: false });
    expect(versionsOf((await page(LATEST_ONLY)).records)).toEqual(['2022-01-01T00:00:00Z']);
    expect(versionsOf((await page(FIRST_ONLY)).records)).toEqual(['2020-01-01T00:00:00Z']);
    expect(versionsOf((await page({ all: false, first: true, last: true, instants: [] })).records)).toEqual(['2022-01-01T00:00:00Z', '2020-01-01T00:00:00Z']);
    expect(versionsOf((await page({ all: false, first: false, last: false, instants: [instantKey('2020-06-01T00:00:00.000Z') ?? ''] })).records)).toEqual(['2020-06-01T00:00:00Z']);
    expect((await page(ALL_VERSIONS)).records).toHaveLength(4);
  });

  it('pages in date_added order after a position and says exactly when more remain', async () => {
    const collection = randomUUID();
    const written = Array.from({ length: 7 }, (_, index) => version(collection, indicatorId(), `2020-01-0${index + 1}T00:00:00Z`));
    await storage.objects.insertVersions(written);
    const seen: StoredVersion[] = [];
    let after: StoredVersion | undefined;
    for (;;) {
      const page = await storage.objects.page({
        collectionId: collection,
        filter: { versions: LATEST_ONLY },
        after: after ? { dateAdded: after.dateAdded, id: after.id, versionKey: after.versionKey } : undefined,
        limit: 3,
        withContent: false,
      });
      seen.push(...page.records);
      after = page.records.at(-1);
      expect(page.more).toBe(seen.length < written.length);
      if (!page.more) break;
    }
    expect(seen.map((record) => record.id)).toEqual(written.map((record) => record.id));
    expect(seen.every((record) => record.stix === undefined)).toBe(true);
  });

  it('filters by added_after, type and spec_version, and never returns another collection\'s versions', async () => {
    const collection = randomUUID();
    const other = randomUUID();
    const old = version(collection, indicatorId(), '2020-01-01T00:00:00Z');
    const malware = version(collection, `malware--${randomUUID()}`, '2020-01-01T00:00:00Z', { specVersion: '2.0' });
    const fresh = version(collection, indicatorId(), '2020-01-01T00:00:00Z');
    await storage.objects.insertVersions([old, malware, fresh, version(other, indicatorId(), '2020-01-01T00:00:00Z')]);
    const ids = async (filter: Partial<Parameters<Storage['objects']['page']>[0]['filter']>) =>
      (await storage.objects.page({ collectionId: collection, filter: { versions: LATEST_ONLY, ...filter }, limit: 10, withContent: false })).records.map((record) => record.id);
    expect(await ids({})).toEqual([old.id, malware.id, fresh.id]);
    expect(await ids({ addedAfter: old.dateAdded })).toEqual([malware.id, fresh.id]);
    expect(await ids({ types: ['indicator'] })).toEqual([old.id, fresh.id]);
    expect(await ids({ types: ['indicator', 'malware'], addedAfter: malware.dateAdded })).toEqual([fresh.id]);
    expect(await ids({ specVersions: ['2.0'] })).toEqual([malware.id]);
    expect(await ids({ ids: [fresh.id, old.id] })).toEqual([old.id, fresh.id]);
  });

  it('moves the flags back when the latest or first version is deleted, and says how many went', async () => {
    const collection = randomUUID();
    const id = indicatorId();
    await storage.objects.insertVersions(['2020-01-01T00:00:00Z', '2020-06-01T00:00:00Z', '2021-01-01T00:00:00Z'].map((modified) => version(collection, id, modified)));
    const only = (instant: string): VersionSelector => ({ all: false, first: false, last: false, instants: [instantKey(instant) ?? ''] });
    expect(await storage.objects.deleteVersions(collection, id, { versions: only('2021-01-01T00:00:00Z') })).toBe(1);
    expect(await storage.objects.deleteVersions(collection, id, { versions: FIRST_ONLY })).toBe(1);
    const page = (versions: VersionSelector) => storage.objects.page({ collectionId: collection, filter: { versions, ids: [id] }, limit: 10, withContent: false });
    expect(versionsOf((await page(LATEST_ONLY)).records)).toEqual(['2020-06-01T00:00:00Z']);
    expect(versionsOf((await page(FIRST_ONLY)).records)).toEqual(['2020-06-01T00:00:00Z']);
    expect(await storage.objects.deleteVersions(collection, id, { versions: ALL_VERSIONS })).toBe(1);
    expect(await storage.objects.holdsObject(collection, id)).toBe(false);
    expect(await storage.objects.deleteVersions(collection, id, { versions: ALL_VERSIONS })).toBe(0);
  });

  it('names the organisation that published the first-added version of each object held', async () => {
    const collection = randomUUID();
    const id = indicatorId();
    const other = indicatorId();
    await storage.objects.insertVersions([version(collection, id, '2021-01-01T00:00:00Z')]);
    await storage.objects.insertVersions([version(collection, id, '2020-01-01T00:00:00Z', { publishedBy: { organisation: 'gb-nca', username: 'analyst@gb-nca' } })]);
    await storage.objects.insertVersions([version(collection, other, '2020-01-01T00:00:00Z', { publishedBy: { organisation: 'europol', username: 'analyst@europol' } })]);
    const held = await storage.objects.ownership(collection, [id, other, indicatorId()]);
    expect([...held.entries()].map(([key, object]) => [key, object.firstPublisher, [...object.versionKeys].sort()]).sort()).toEqual([
      [id, 'de-bka', [instantKey('2020-01-01T00:00:00Z'), instantKey('2021-01-01T00:00:00Z')]],
      [other, 'europol', [instantKey('2020-01-01T00:00:00Z')]],
    ].sort());
    expect((await storage.objects.ownership(randomUUID(), [id])).size).toBe(0);
  });

  it('answers holdsObject and latestDateAdded per collection', async () => {
    const collection = randomUUID();
    const empty = randomUUID();
    const stored = version(collection, indicatorId(), '2020-01-01T00:00:00Z');
    await storage.objects.insertVersions([stored]);
    expect(await storage.objects.holdsObject(collection, stored.id)).toBe(true);
    expect(await storage.objects.holdsObject(empty, stored.id)).toBe(false);
    expect(await storage.objects.latestDateAdded([empty])).toBe(0);
    expect(await storage.objects.latestDateAdded([empty, collection])).toBe(stored.dateAdded);
  });

  it('keeps the provenance of every version and answers who published what', async () => {
    const collection = randomUUID();
    const id = indicatorId();
    const byBka = version(collection, id, '2020-01-01T00:00:00Z');
    const byNca = version(collection, id, '2020-02-01T00:00:00Z', { publishedBy: { organisation: 'gb-nca', username: 'analyst@gb-nca' } });
    await storage.objects.insertVersions([byBka, byNca]);
    const versions = await storage.provenance.versionsOf(collection, id, { limit: 10 });
    expect(versions.more).toBe(false);
    expect(versions.records.map((record) => [record.version, record.publishedBy.organisation])).toEqual([
      ['2020-01-01T00:00:00Z', 'de-bka'],
      ['2020-02-01T00:00:00Z', 'gb-nca'],
    ]);
    const one = await storage.provenance.versionsOf(collection, id, { versionKey: byNca.versionKey, limit: 10 });
    expect(one.records).toEqual([{ collectionId: collection, objectId: id, type: 'indicator', version: byNca.version, dateAdded: byNca.dateAdded, publishedBy: byNca.publishedBy }]);
    const cut = await storage.provenance.versionsOf(collection, id, { limit: 1 });
    expect(cut).toEqual({ records: [expect.objectContaining({ version: byBka.version })], more: true });
    const byOrg = await storage.provenance.publishedBy({ organisation: 'gb-nca', sinceMicros: byNca.dateAdded, untilMicros: byNca.dateAdded, limit: 10 });
    expect(byOrg.records.map((record) => record.objectId)).toEqual([id]);
  });

  it('hands out date_added above everything stored in the collection, in turns that never overlap', async () => {
    const collection = randomUUID();
    const future = (Date.now() + 3_600_000) * 1000; // stored by a host whose clock ran an hour ahead
    await storage.objects.insertVersions([version(collection, indicatorId(), '2020-01-01T00:00:00Z', { dateAdded: future })]);
    await storage.prepare();
    const events: string[] = [];
    const turn = (name: string) =>
      storage.writeTurns.run(collection, async (dateAdded) => {
        events.push(`${name} start`);
        const value = dateAdded.next();
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`${name} end`);
        return value;
      });
    const [a, b] = await Promise.all([turn('a'), turn('b')]);
    expect(a).toBe(future + 1);
    expect(b).toBeGreaterThan(a);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });
});
