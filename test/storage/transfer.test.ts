import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../server/storage/audit-log';
import type { QueuedEnvelope } from '../../server/storage/ingest-queue';
import type { ClientCertificateRecord, TokenRecord, UserRecord } from '../../server/storage/credential-repository';
import type { NewVersion, StatusRecord } from '../../server/storage/repository';
import type { Storage, StorageEngine } from '../../server/storage/storage';
import { decodeLine, encodeLine, type TransferRecord } from '../../server/storage/store-transfer';
import { instantKey } from '../../server/taxii/timestamps';
import { ALL_VERSIONS, LATEST_ONLY, type VersionSelector } from '../../server/taxii/versions';
import { testAlliance } from '../support/alliance';
import { mongoAvailable, openTestStorage } from '../support/storage';

const FIRST_ONLY: VersionSelector = { all: false, first: true, last: false, instants: [] };
const COLLECTION_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const COLLECTION_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const INDICATOR = 'indicator--11111111-1111-4111-8111-111111111111';
const MALWARE = 'malware--22222222-2222-4222-8222-222222222222';
const SCO = 'ipv4-addr--33333333-3333-4333-8333-333333333333';

let clock = 1_750_000_000_000_000;

function version(collectionId: string, id: string, modified: string | undefined, organisation: string): NewVersion {
  const dateAdded = ++clock;
  // An SCO has no modified: its version is the first copy's date_added and its key is '' (one version only).
  const versionText = modified ?? new Date(dateAdded / 1000).toISOString();
  return {
    collectionId,
    id,
    type: id.split('--')[0] ?? 'x',
    specVersion: '2.1',
    version: versionText,
    versionKey: modified === undefined ? '' : (instantKey(modified) ?? ''),
    dateAdded,
    publishedBy: { organisation, username: `analyst@${organisation}` },
    // Deliberately not canonical JSON (spacing, key order, escapes): the exact text must survive.
    stix: `{ "type":"${id.split('--')[0]}", "id":"${id}", "spec_version":"2.1"${modified ? `, "modified":"${modified}"` : ''}, "name":"caf\\u00e9 \u00e9 \\"q\\"" }`,
  };
}

const users: UserRecord[] = [
  { username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA', disabled: false, createdAt: new Date('2026-01-01T10:00:00.001Z') },
  { username: 'lead@gb-nca', organisation: 'gb-nca', role: 'org-admin', passwordHash: 'scrypt$32768$8$1$c2FsdDI$aGFzaDI', disabled: false, createdAt: new Date('2026-01-02T10:00:00.000Z') },
  { username: 'admin@europol', organisation: 'europol', role: 'alliance-admin', passwordHash: 'scrypt$32768$8$1$c2FsdDM$aGFzaDM', disabled: false, createdAt: new Date('2026-01-03T10:00:00.000Z') },
];

const certificates: ClientCertificateRecord[] = [
  { match: 'subject', value: 'C=DE,CN=misp.bka.de,O=BKA', username: 'analyst@de-bka', createdAt: new Date('2026-02-03T00:00:00.000Z') },
  { match: 'fingerprint', value: `AB:${'01:'.repeat(30)}CD`, username: 'analyst@de-bka', createdAt: new Date('2026-02-03T00:00:00.000Z') },
];
const tokens: TokenRecord[] = [
  { tokenId: '0000000000000001', username: 'analyst@de-bka', secretHash: 'a'.repeat(64), createdAt: new Date('2026-02-01T00:00:00.000Z'), expiresAt: new Date('2027-02-01T00:00:00.000Z'), label: 'misp-sync' },
  { tokenId: '0000000000000002', username: 'analyst@de-bka', secretHash: 'b'.repeat(64), createdAt: new Date('2026-02-01T00:00:00.000Z') },
  { tokenId: '0000000000000003', username: 'lead@gb-nca', secretHash: 'c'.repeat(64), createdAt: new Date('2026-02-02T00:00:00.000Z'), label: 'old' },
];

function statuses(): StatusRecord[] {
  const expiresAt = new Date(Date.now() + 86_400_000);
  return [
    {
      id: randomUUID(), apiRoot: 'alliance', collectionId: COLLECTION_A, organisation: 'de-bka', status: 'complete', requestTimestamp: '2026-03-01T00:00:00.000000Z',
      totalCount: 2, successes: [{ id: INDICATOR, version: '2026-01-01T00:00:00.000Z' }], failures: [{ id: MALWARE, version: 'x', message: 'refused: TLP' }], pendingCount: 0, pendings: [], expiresAt,
    },
    {
      id: randomUUID(), apiRoot: 'bka/internal', collectionId: COLLECTION_B, organisation: 'gb-nca', status: 'pending', requestTimestamp: '2026-03-02T00:00:00.000000Z',
      totalCount: 1, successes: [], failures: [], pendingCount: 1, pendings: [{ id: SCO, version: '2026-01-01T00:00:00.000Z' }], expiresAt: new Date(expiresAt.getTime() + 1),
    },
  ];
}

const auditRecords: AuditRecord[] = [
  { at: new Date('2026-03-01T00:00:00.000Z'), action: 'user.add', username: 'cli:ops', organisation: 'alliance', details: { via: 'cli', username: 'analyst@de-bka' } },
  { at: new Date('2026-03-01T00:00:01.000Z'), action: 'objects.add', username: 'analyst@de-bka', organisation: 'de-bka', apiRoot: 'alliance', collectionId: COLLECTION_A, objectIds: [INDICATOR, SCO], requestId: 'req-1', details: { total: 2, accepted: 2 } },
  // Two records of the same millisecond: only their written order tells which came first.
  { at: new Date('2026-03-01T00:00:02.000Z'), action: 'objects.read', username: 'lead@gb-nca', organisation: 'gb-nca', collectionId: COLLECTION_A, details: { returned: 1, seq: 'first' } },
  { at: new Date('2026-03-01T00:00:02.000Z'), action: 'objects.read', username: 'lead@gb-nca', organisation: 'gb-nca', collectionId: COLLECTION_A, details: { returned: 1, seq: 'second' } },
  { at: new Date('2026-03-01T00:00:03.000Z'), action: 'auth.failure', details: { reason: 'bad password' } },
  { at: new Date('2026-03-01T00:00:04.000Z'), action: 'token.revoke', username: 'lead@gb-nca', organisation: 'gb-nca', details: { tokenId: '0000000000000003' } },
];

/** Two envelopes accepted and not yet stored; the first has more than ten batches, so index order is not text order. */
const envelopes: { envelope: QueuedEnvelope; batches: string[] }[] = [
  {
    envelope: { id: 'aaaa0001-0000-4000-8000-000000000001', apiRoot: 'alliance', collectionId: COLLECTION_A, organisation: 'de-bka', username: 'analyst@de-bka', receivedAt: new Date('2026-03-02T00:00:00.000Z'), objectCount: 12, batchCount: 12 },
    batches: Array.from({ length: 12 }, (_, index) => JSON.stringify([{ type: 'indicator', id: `indicator--00000000-0000-4000-8000-0000000000${String(index).padStart(2, '0')}` }])),
  },
  {
    envelope: { id: 'bbbb0002-0000-4000-8000-000000000002', apiRoot: 'alliance', collectionId: COLLECTION_B, organisation: 'europol', username: 'analyst@europol', requestId: 'req-9', receivedAt: new Date('2026-03-01T00:00:00.000Z'), objectCount: 2, batchCount: 1 },
    batches: ['[ {"type":"malware"} , {"type":"tool"} ]'],
  },
];

/** A store with every kind of record, written through the repositories as the server writes them. */
async function fill(storage: Storage): Promise<void> {
  const alliance = testAlliance();
  expect(await storage.configStore.replace(0, { config: { ...alliance, server: { ...alliance.server, title: 'first' } }, appliedAt: new Date('2026-01-01T00:00:00.000Z'), appliedBy: 'server' })).toBe(true);
  expect(await storage.configStore.replace(1, { config: alliance, appliedAt: new Date('2026-01-05T00:00:00.500Z'), appliedBy: 'admin@europol (europol)' })).toBe(true);
  for (const user of users) await storage.credentials.addUser(user);
  await storage.credentials.setDisabled('lead@gb-nca', true);
  for (const token of tokens) await storage.credentials.addToken(token);
  expect(await storage.credentials.revokeToken('0000000000000003', new Date('2026-03-01T00:00:04.000Z'))).toBe(true);
  for (const certificate of certificates) await storage.credentials.addClientCertificate(certificate);
  for (const status of statuses()) await storage.statuses.save(status);
  // Versions of one object arriving out of order, so the first/latest flags moved while they were written.
  await storage.objects.insertVersions([version(COLLECTION_A, INDICATOR, '2026-01-02T00:00:00.000Z', 'de-bka')]);
  await storage.objects.insertVersions([version(COLLECTION_A, INDICATOR, '2026-01-01T00:00:00.000Z', 'de-bka'), version(COLLECTION_A, SCO, undefined, 'de-bka')]);
  await storage.objects.insertVersions([version(COLLECTION_A, INDICATOR, '2026-01-03T00:00:00.000Z', 'gb-nca'), version(COLLECTION_A, MALWARE, '2026-01-01T00:00:00Z', 'gb-nca')]);
  // The same object in a second collection is a separate object with flags of its own.
  await storage.objects.insertVersions([version(COLLECTION_B, INDICATOR, '2026-01-05T00:00:00.000Z', 'europol'), version(COLLECTION_B, SCO, undefined, 'europol')]);
  await storage.objects.insertVersions([version(COLLECTION_B, INDICATOR, '2026-01-04T00:00:00.000Z', 'europol')]);
  await storage.audit.recordBatch(auditRecords);
  for (const { envelope, batches } of envelopes) await storage.ingestQueue.enqueue(envelope, batches);
  // A worker of the old store holds the oldest envelope: that claim must not travel.
  expect((await storage.ingestQueue.claimNext('old-process', 600_000))?.id).toBe(envelopes[1]?.envelope.id);
}

async function exportLines(storage: Storage): Promise<string[]> {
  const lines: string[] = [];
  for await (const record of storage.transfer.exportRecords()) lines.push(encodeLine(record));
  return lines;
}

/** Through the NDJSON encoding, as the CLI does, in small batches so several batches (and kinds within one) are exercised. */
async function importLines(storage: Storage, lines: string[]): Promise<void> {
  const records = lines.map((line, index): TransferRecord => {
    const decoded = decodeLine(line, index + 1);
    if (decoded.kind === 'header' || decoded.kind === 'end') throw new Error('unexpected line');
    return decoded;
  });
  for (let start = 0; start < records.length; start += 4) await storage.transfer.importRecords(records.slice(start, start + 4));
}

const page = (storage: Storage, collectionId: string, versions: VersionSelector) =>
  storage.objects.page({ collectionId, filter: { versions }, limit: 100, withContent: true });

/** What the server asks a store, asked of both: the answers must be the same. */
async function answers(storage: Storage, statusIds: { apiRoot: string; id: string }[]) {
  const pages = [];
  for (const collection of [COLLECTION_A, COLLECTION_B]) {
    for (const versions of [ALL_VERSIONS, LATEST_ONLY, FIRST_ONLY]) pages.push(await page(storage, collection, versions));
  }
  return {
    pages,
    latestDateAdded: await storage.objects.latestDateAdded([COLLECTION_A, COLLECTION_B]),
    provenance: [
      await storage.provenance.versionsOf(COLLECTION_A, INDICATOR, { limit: 10 }),
      await storage.provenance.versionsOf(COLLECTION_B, SCO, { limit: 10 }),
      await storage.provenance.publishedBy({ organisation: 'gb-nca', limit: 10 }),
      await storage.provenance.publishedBy({ organisation: 'europol', sinceMicros: 0, limit: 1 }),
    ],
    users: await storage.credentials.listUsers(),
    tokens: await storage.credentials.listTokens(),
    certificates: await storage.credentials.listClientCertificates(),
    statuses: await Promise.all(statusIds.map((status) => storage.statuses.find(status.apiRoot, status.id))),
    // Newest first. The engines order records of the same millisecond differently (SQLite: last
    // written first; MongoDB sorts on `at` alone), so ties are put in a fixed order here; that the
    // transfer keeps the written order is what the line-for-line export comparison shows.
    audit: (await storage.audit.query({ limit: 100 })).sort((a, b) => b.at.getTime() - a.at.getTime() || JSON.stringify(a).localeCompare(JSON.stringify(b))),
    queue: await storage.ingestQueue.depth(),
    queuedBatches: await Promise.all(envelopes.flatMap(({ envelope }) => [storage.ingestQueue.batch(envelope.id, 0), storage.ingestQueue.batch(envelope.id, 11)])),
    config: await storage.configStore.read(),
    revision: await storage.configStore.revision(),
  };
}

function describeDirection(from: StorageEngine, to: StorageEngine): void {
  const title = `store transfer ${from} -> ${to}`;
  if ((from === 'mongodb' || to === 'mongodb') && !mongoAvailable()) {
    describe.skip(`${title} (no MongoDB-protocol server: install Go or set TEST_MONGODB_URI)`, () => {
      it('moves every record and answers the same', () => undefined);
    });
    return;
  }
  describe(title, () => {
    let source: Storage;
    let target: Storage;
    let exported: string[];
    beforeAll(async () => {
      source = await openTestStorage(`transfer-from-${from}`, from);
      await source.prepare();
      await fill(source);
      target = await openTestStorage(`transfer-to-${to}`, to);
      await target.prepare();
      exported = await exportLines(source);
      expect(await target.transfer.isEmpty()).toBe(true);
      await importLines(target, exported);
    });
    afterAll(async () => {
      await source?.close();
      await target?.close();
    });

    it('exports every record, kind by kind, with the values as stored', () => {
      const kinds = exported.map((line) => (JSON.parse(line) as { kind: string }).kind);
      // MongoDB keeps every configuration revision; SQLite only the current one.
      const configs = from === 'mongodb' ? 2 : 1;
      expect(kinds).toEqual([
        ...Array<string>(configs).fill('config'), 'user', 'user', 'user', 'token', 'token', 'token', 'certificate', 'certificate', 'status', 'status',
        ...Array<string>(8).fill('object'), ...Array<string>(12).fill('ingest-batch'), 'ingest-envelope', 'ingest-batch', 'ingest-envelope',
        ...Array<string>(auditRecords.length).fill('audit'),
      ]);
      const batches = exported.map((line) => JSON.parse(line) as { kind: string; envelopeId: string; index: number; objects: string }).filter((line) => line.kind === 'ingest-batch');
      expect(batches.map((batch) => batch.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0]);
      expect(batches[12]?.objects).toBe(envelopes[1]?.batches[0]);
      const objects = exported.map((line) => JSON.parse(line) as { kind: string; collectionId: string; id: string; version: string; isFirst: boolean; isLatest: boolean; dateAdded: number; stix: string })
        .filter((line) => line.kind === 'object');
      // Collection by collection, in date_added order.
      expect(objects.map((object) => object.collectionId)).toEqual([...Array<string>(5).fill(COLLECTION_A), ...Array<string>(3).fill(COLLECTION_B)]);
      for (const collection of [COLLECTION_A, COLLECTION_B]) {
        const added = objects.filter((object) => object.collectionId === collection).map((object) => object.dateAdded);
        expect(added).toEqual([...added].sort((a, b) => a - b));
      }
      const indicatorA = objects.filter((object) => object.collectionId === COLLECTION_A && object.id === INDICATOR);
      expect(indicatorA.map((object) => [object.version, object.isFirst, object.isLatest])).toEqual([
        ['2026-01-02T00:00:00.000Z', false, false],
        ['2026-01-01T00:00:00.000Z', true, false],
        ['2026-01-03T00:00:00.000Z', false, true],
      ]);
      expect(indicatorA[0]?.stix).toBe(version(COLLECTION_A, INDICATOR, '2026-01-02T00:00:00.000Z', 'de-bka').stix);
      const revoked = exported.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.tokenId === '0000000000000003');
      expect(revoked).toEqual({ kind: 'token', ...JSON.parse(JSON.stringify(tokens[2])), revokedAt: '2026-03-01T00:00:04.000Z' });
    });

    it(`exports from ${to} exactly what was exported from ${from}`, async () => {
      const again = await exportLines(target);
      if (from === 'mongodb' && to === 'sqlite') {
        // The embedded engine keeps the newest revision of the configuration only; everything else is line for line.
        expect(again[0]).toBe(exported[1]);
        expect(again.slice(1)).toEqual(exported.slice(2));
      } else {
        expect(again).toEqual(exported);
      }
      expect(await target.transfer.counts()).toEqual({ ...(await source.transfer.counts()), config: to === 'sqlite' ? 1 : (await source.transfer.counts()).config });
    });

    it('answers every repository query as the source does: pages, flags, provenance, credentials, statuses, audit, configuration', async () => {
      const statusIds = exported.map((line) => JSON.parse(line) as { kind: string; id: string; apiRoot: string }).filter((line) => line.kind === 'status');
      expect(statusIds).toHaveLength(2);
      const expected = await answers(source, statusIds);
      const actual = await answers(target, statusIds);
      expect(actual).toEqual(expected);
      // And the answers are the ones the fill implies, so an equal pair of empty answers cannot pass.
      expect(actual.pages[1]?.records.map((record) => [record.id, record.version])).toEqual([
        [SCO, expect.any(String)], [INDICATOR, '2026-01-03T00:00:00.000Z'], [MALWARE, '2026-01-01T00:00:00Z'],
      ]);
      expect(actual.pages[2]?.records.map((record) => [record.id, record.version])).toEqual([
        [INDICATOR, '2026-01-01T00:00:00.000Z'], [SCO, expect.any(String)], [MALWARE, '2026-01-01T00:00:00Z'],
      ]);
      expect(actual.pages[4]?.records.map((record) => record.version)).toEqual(['2026-01-05T00:00:00.000Z', expect.any(String)]);
      expect(actual.provenance[0]?.records.map((record) => record.publishedBy.organisation)).toEqual(['de-bka', 'de-bka', 'gb-nca']);
      expect(actual.users.map((user) => [user.username, user.disabled, user.passwordHash])).toEqual([
        ['admin@europol', false, users[2]?.passwordHash], ['analyst@de-bka', false, users[0]?.passwordHash], ['lead@gb-nca', true, users[1]?.passwordHash],
      ]);
      expect(actual.tokens).toEqual([tokens[0], tokens[1], { ...tokens[2], revokedAt: new Date('2026-03-01T00:00:04.000Z') }]);
      expect(actual.certificates).toEqual([certificates[1], certificates[0]]);
      expect(actual.statuses.every((status) => status !== undefined)).toBe(true);
      expect(actual.audit).toHaveLength(auditRecords.length);
      expect(actual.audit.map((record) => record.at.toISOString())).toEqual([...auditRecords].reverse().map((record) => record.at.toISOString()));
      expect(actual.audit.find((record) => record.action === 'objects.add')).toEqual(auditRecords[1]);
      expect(actual.queue).toEqual({ envelopes: 2, objects: 14 });
      expect(actual.queuedBatches).toEqual([envelopes[0]?.batches[0], envelopes[0]?.batches[11], envelopes[1]?.batches[0], undefined]);
      expect(actual.revision).toBe(2);
      expect(actual.config?.appliedBy).toBe('admin@europol (europol)');
    });

    it('lets the object repository carry on after the import: a newer version takes the latest flag', async () => {
      const newer = version(COLLECTION_A, INDICATOR, '2026-02-01T00:00:00.000Z', 'de-bka');
      expect(await target.objects.insertVersions([newer])).toEqual([{ inserted: true }]);
      const duplicate = version(COLLECTION_B, INDICATOR, '2026-01-04T00:00:00.000Z', 'de-bka');
      // The imported version_identity holds: an imported version is recognised as already held.
      expect(await target.objects.insertVersions([{ ...duplicate, stix: '{"changed":true}' }])).toEqual([{ inserted: false, existingVersion: '2026-01-04T00:00:00.000Z', existingStix: duplicate.stix }]);
      const latest = await target.objects.page({ collectionId: COLLECTION_A, filter: { versions: LATEST_ONLY, ids: [INDICATOR] }, limit: 10, withContent: false });
      expect(latest.records.map((record) => record.version)).toEqual(['2026-02-01T00:00:00.000Z']);
      const first = await target.objects.page({ collectionId: COLLECTION_A, filter: { versions: FIRST_ONLY, ids: [INDICATOR] }, limit: 10, withContent: false });
      expect(first.records.map((record) => record.version)).toEqual(['2026-01-01T00:00:00.000Z']);
    });

    it('hands queued envelopes to the new store unclaimed, oldest first, so its worker finishes them', async () => {
      const claimed = await target.ingestQueue.claimNext('new-process', 60_000);
      expect(claimed).toEqual(envelopes[1]?.envelope);
      expect(await target.ingestQueue.claimNext('new-process', 60_000)).toEqual(envelopes[0]?.envelope);
      // On the source the old claim still holds the oldest one.
      expect((await source.ingestQueue.claimNext('another', 60_000))?.id).toBe(envelopes[0]?.envelope.id);
    });

    it('refuses a record the target already holds, and reports the target as not empty', async () => {
      expect(await target.transfer.isEmpty()).toBe(false);
      const user = exported.find((line) => line.includes('"kind":"user"')) ?? '';
      // By message, not toThrow(): better-sqlite3's error class comes from another realm once jest reuses a worker.
      await expect(importLines(target, [user])).rejects.toHaveProperty('message', expect.stringMatching(/UNIQUE constraint|E11000|duplicate key/i));
      expect(await target.credentials.listUsers()).toHaveLength(3);
    });
  });
}

describeDirection('sqlite', 'sqlite');
describeDirection('sqlite', 'mongodb');
describeDirection('mongodb', 'sqlite');

describe('store transfer on the embedded engine', () => {
  it('ends its read snapshot when the consumer stops early, leaving the store usable', async () => {
    const storage = await openTestStorage('transfer-early-stop', 'sqlite');
    try {
      await storage.prepare();
      await fill(storage);
      let seen = 0;
      for await (const record of storage.transfer.exportRecords()) {
        seen += 1;
        if (record.kind === 'object') break;
      }
      expect(seen).toBe(1 + 3 + 3 + 2 + 2 + 1);
      // A write needs the connection free and no read transaction left open on it.
      expect(await storage.objects.insertVersions([version(COLLECTION_A, MALWARE, '2026-05-01T00:00:00.000Z', 'de-bka')])).toEqual([{ inserted: true }]);
      expect((await storage.transfer.counts()).object).toBe(9);
    } finally {
      await storage.close();
    }
  });
});
