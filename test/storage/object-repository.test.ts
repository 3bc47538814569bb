import { MongoObjectRepository } from '../../server/storage/mongo/object-repository';
import { ensureIndexes } from '../../server/storage/mongo/indexes';
import type { NewVersion } from '../../server/storage/repository';
import { ALL_VERSIONS, LATEST_ONLY } from '../../server/taxii/versions';
import { instantKey } from '../../server/taxii/timestamps';
import { openTestDatabase } from '../support/database';

const COLLECTION = '2f5d1a4e-1111-4c2b-9d7e-000000000001';
const ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let repository: MongoObjectRepository;
let clock = 1_700_000_000_000_000;

function version(modified: string, id = ID): NewVersion {
  return {
    collectionId: COLLECTION,
    id,
    type: id.split('--')[0] ?? 'x',
    specVersion: '2.1',
    version: modified,
    versionKey: instantKey(modified) ?? '',
    dateAdded: ++clock,
    publishedBy: { organisation: 'de-bka', username: 'analyst@de-bka' },
    stix: JSON.stringify({ id, modified }),
  };
}

beforeAll(async () => {
  database = await openTestDatabase('object-repository');
  await ensureIndexes(database.db);
  repository = new MongoObjectRepository(database.db);
});
afterAll(() => database.drop());

describe('MongoObjectRepository', () => {
  it('keeps the first copy of a version and reports the duplicate', async () => {
    const first = version('2020-01-01T00:00:00.000Z');
    const again = { ...version('2020-01-01T00:00:00Z'), stix: '{"changed":true}' };
    expect(await repository.insertVersions([first])).toEqual([{ inserted: true }]);
    expect(await repository.insertVersions([again])).toEqual([{ inserted: false, existingVersion: first.version, existingStix: first.stix }]);
  });

  it('flags the highest version as latest even when an older one arrives later', async () => {
    await repository.insertVersions([version('2021-01-01T00:00:00Z')]);
    await repository.insertVersions([version('2020-06-01T00:00:00Z')]);
    const latest = await repository.page({ collectionId: COLLECTION, filter: { versions: LATEST_ONLY, ids: [ID] }, limit: 10, withContent: false });
    expect(latest.records.map((record) => record.version)).toEqual(['2021-01-01T00:00:00Z']);
    const first = await repository.page({
      collectionId: COLLECTION,
      filter: { versions: { all: false, first: true, last: false, instants: [] }, ids: [ID] },
      limit: 10,
      withContent: false,
    });
    expect(first.records.map((record) => record.version)).toEqual(['2020-01-01T00:00:00.000Z']);
  });

  it('pages in date_added order and says when more remain', async () => {
    const page = await repository.page({ collectionId: COLLECTION, filter: { versions: ALL_VERSIONS }, limit: 2, withContent: true });
    expect(page.more).toBe(true);
    expect(page.records).toHaveLength(2);
    const last = page.records[1];
    if (!last) throw new Error('expected two records');
    const rest = await repository.page({
      collectionId: COLLECTION,
      filter: { versions: ALL_VERSIONS },
      after: { dateAdded: last.dateAdded, id: last.id, versionKey: last.versionKey },
      limit: 10,
      withContent: true,
    });
    expect(rest.more).toBe(false);
    expect(rest.records.map((record) => record.version)).toEqual(['2020-06-01T00:00:00Z']);
  });

  it('moves the latest flag back when the latest version is deleted', async () => {
    const removed = await repository.deleteVersions(COLLECTION, ID, { versions: { all: false, first: false, last: false, instants: [instantKey('2021-01-01T00:00:00Z') ?? ''] } });
    expect(removed).toBe(1);
    const latest = await repository.page({ collectionId: COLLECTION, filter: { versions: LATEST_ONLY, ids: [ID] }, limit: 10, withContent: false });
    expect(latest.records.map((record) => record.version)).toEqual(['2020-06-01T00:00:00Z']);
  });
});
