import { randomUUID } from 'node:crypto';
import type { PublishedVersion } from '../../../server/storage/provenance-repository';
import type { NewVersion } from '../../../server/storage/repository';
import type { Storage } from '../../../server/storage/storage';
import { instantKey } from '../../../server/taxii/timestamps';
import { describeEachEngine } from '../../support/storage';

const BASE_US = 1_750_000_000_000_000;

function version(collectionId: string, id: string, modified: string, dateAdded: number, organisation: string): NewVersion {
  return {
    collectionId,
    id,
    type: id.split('--')[0] ?? 'x',
    specVersion: '2.1',
    version: modified,
    versionKey: instantKey(modified) ?? '',
    dateAdded,
    publishedBy: { organisation, username: `analyst@${organisation}` },
    stix: JSON.stringify({ id, modified, secret: 'content that provenance must never return' }),
  };
}

/** What provenance should answer for a stored version: its metadata, never its content. */
function published(stored: NewVersion): PublishedVersion {
  return {
    collectionId: stored.collectionId,
    objectId: stored.id,
    type: stored.type,
    version: stored.version,
    dateAdded: stored.dateAdded,
    publishedBy: stored.publishedBy,
  };
}

/** Organisations of their own per test, so another test's versions never match a query. */
const organisation = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

describeEachEngine('ProvenanceRepository contract', (open) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await open('provenance-contract');
    await storage.prepare();
  });
  afterAll(() => storage.close());

  it('lists the versions of one object oldest date_added first, metadata only, bounded with `more`', async () => {
    const collection = randomUUID();
    const id = `indicator--${randomUUID()}`;
    const org = organisation('de-bka');
    // Written out of version order: date_added, not the version, orders the answer.
    const stored = [
      version(collection, id, '2026-01-03T00:00:00Z', BASE_US + 10, org),
      version(collection, id, '2026-01-01T00:00:00Z', BASE_US + 20, org),
      version(collection, id, '2026-01-02T00:00:00Z', BASE_US + 30, org),
    ];
    await storage.objects.insertVersions(stored);
    await storage.objects.insertVersions([version(collection, `indicator--${randomUUID()}`, '2026-01-01T00:00:00Z', BASE_US + 40, org)]);
    expect(await storage.provenance.versionsOf(collection, id, { limit: 10 })).toStrictEqual({ records: stored.map(published), more: false });
    expect(await storage.provenance.versionsOf(collection, id, { limit: 3 })).toStrictEqual({ records: stored.map(published), more: false });
    expect(await storage.provenance.versionsOf(collection, id, { limit: 2 })).toStrictEqual({ records: stored.slice(0, 2).map(published), more: true });
    expect(await storage.provenance.versionsOf(randomUUID(), id, { limit: 10 })).toStrictEqual({ records: [], more: false });
  });

  it('picks one version by its instant key, however the timestamp was spelled', async () => {
    const collection = randomUUID();
    const id = `indicator--${randomUUID()}`;
    const org = organisation('gb-nca');
    const wanted = version(collection, id, '2026-02-01T00:00:00.000Z', BASE_US + 20, org);
    await storage.objects.insertVersions([version(collection, id, '2026-01-01T00:00:00Z', BASE_US + 10, org), wanted]);
    const key = instantKey('2026-02-01T00:00:00Z') ?? '';
    expect(await storage.provenance.versionsOf(collection, id, { versionKey: key, limit: 10 })).toStrictEqual({ records: [published(wanted)], more: false });
    const absent = instantKey('2026-03-01T00:00:00Z') ?? '';
    expect(await storage.provenance.versionsOf(collection, id, { versionKey: absent, limit: 10 })).toStrictEqual({ records: [], more: false });
  });

  it('lists what one organisation published across collections, by date_added then collection then object', async () => {
    const org = organisation('europol');
    const [first, second] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const objectA = `indicator--a${randomUUID().slice(1)}`;
    const objectB = `indicator--b${randomUUID().slice(1)}`;
    // date_added is unique within a collection only: ties across collections order by collection id, then object id.
    const stored = [
      version(second, objectA, '2026-01-01T00:00:00Z', BASE_US + 100, org),
      version(first, objectB, '2026-01-01T00:00:00Z', BASE_US + 100, org),
      version(first, objectA, '2026-01-01T00:00:00Z', BASE_US + 50, org),
      version(second, objectB, '2026-01-01T00:00:00Z', BASE_US + 200, org),
    ];
    await storage.objects.insertVersions(stored.filter((entry) => entry.collectionId === second));
    await storage.objects.insertVersions(stored.filter((entry) => entry.collectionId === first));
    await storage.objects.insertVersions([version(first, `malware--${randomUUID()}`, '2026-01-01T00:00:00Z', BASE_US + 150, organisation('other'))]);
    const [s0, s1, s2, s3] = stored.map(published);
    expect(await storage.provenance.publishedBy({ organisation: org, limit: 10 })).toStrictEqual({ records: [s2, s1, s0, s3], more: false });
    expect(await storage.provenance.publishedBy({ organisation: org, limit: 2 })).toStrictEqual({ records: [s2, s1], more: true });
    expect(await storage.provenance.publishedBy({ organisation: org, limit: 4 })).toStrictEqual({ records: [s2, s1, s0, s3], more: false });
  });

  it('bounds publications by date_added, both ends inclusive, to the microsecond', async () => {
    const org = organisation('nl-police');
    const collection = randomUUID();
    const stored = [0, 1, 2, 3].map((offset) => version(collection, `indicator--${randomUUID()}`, '2026-01-01T00:00:00Z', BASE_US + offset, org));
    await storage.objects.insertVersions(stored);
    const [v0, v1, v2, v3] = stored.map(published);
    expect(await storage.provenance.publishedBy({ organisation: org, sinceMicros: BASE_US + 1, untilMicros: BASE_US + 2, limit: 10 }))
      .toStrictEqual({ records: [v1, v2], more: false });
    expect(await storage.provenance.publishedBy({ organisation: org, sinceMicros: BASE_US + 2, limit: 10 })).toStrictEqual({ records: [v2, v3], more: false });
    expect(await storage.provenance.publishedBy({ organisation: org, untilMicros: BASE_US, limit: 10 })).toStrictEqual({ records: [v0], more: false });
    expect(await storage.provenance.publishedBy({ organisation: org, sinceMicros: BASE_US + 1, limit: 1 })).toStrictEqual({ records: [v1], more: true });
  });
});
