import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { NewVersion } from '../../../server/storage/repository';
import { openSqliteStorage } from '../../../server/storage/sqlite/sqlite-storage';
import type { Storage } from '../../../server/storage/storage';
import { decodeLine, type TransferCounts } from '../../../server/storage/store-transfer';
import { instantKey } from '../../../server/taxii/timestamps';
import { runAdminCli } from '../../support/admin-cli';
import { testAlliance } from '../../support/alliance';
import { mongoAvailable, openTestStorage, type TestStorage } from '../../support/storage';

const COLLECTION = 'cccccccc-0000-4000-8000-00000000000c';
const OBJECT_COUNT = 250;

function version(index: number, modified: string): NewVersion {
  const id = `indicator--00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return {
    collectionId: COLLECTION,
    id,
    type: 'indicator',
    specVersion: '2.1',
    version: modified,
    versionKey: instantKey(modified) ?? '',
    dateAdded: 1_760_000_000_000_000 + index * 10 + (modified.startsWith('2026-02') ? 1 : 0),
    publishedBy: { organisation: 'de-bka', username: 'analyst@de-bka' },
    stix: JSON.stringify({ type: 'indicator', id, modified, pattern: `[ipv4-addr:value = '10.0.${index >> 8}.${index & 255}']` }),
  };
}

/** Enough objects for several import batches' worth of progress, every other one with a second version. */
async function fill(storage: Storage): Promise<void> {
  await storage.configStore.replace(0, { config: testAlliance(), appliedAt: new Date('2026-01-01T00:00:00.000Z'), appliedBy: 'server' });
  await storage.credentials.addUser({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', passwordHash: 'scrypt$hash-1', disabled: false, createdAt: new Date('2026-01-01T00:00:00.000Z') });
  await storage.credentials.addUser({ username: 'admin@europol', organisation: 'europol', role: 'alliance-admin', passwordHash: 'scrypt$hash-2', disabled: false, createdAt: new Date('2026-01-01T00:00:00.000Z') });
  await storage.credentials.addToken({ tokenId: 'aaaaaaaaaaaaaaaa', username: 'analyst@de-bka', secretHash: 'f'.repeat(64), createdAt: new Date('2026-01-02T00:00:00.000Z') });
  await storage.credentials.addToken({ tokenId: 'bbbbbbbbbbbbbbbb', username: 'analyst@de-bka', secretHash: 'e'.repeat(64), createdAt: new Date('2026-01-02T00:00:00.000Z') });
  await storage.credentials.revokeToken('bbbbbbbbbbbbbbbb', new Date('2026-01-03T00:00:00.000Z'));
  const versions: NewVersion[] = [];
  for (let index = 0; index < OBJECT_COUNT; index += 1) {
    versions.push(version(index, '2026-01-01T00:00:00.000Z'));
    if (index % 2 === 0) versions.push(version(index, '2026-02-01T00:00:00.000Z'));
  }
  await storage.objects.insertVersions(versions);
  await storage.audit.recordBatch([
    { at: new Date('2026-01-01T00:00:00.000Z'), action: 'user.add', username: 'cli:ops', organisation: 'alliance' },
    { at: new Date('2026-01-02T00:00:00.000Z'), action: 'token.create', username: 'analyst@de-bka', organisation: 'de-bka', details: { tokenId: 'aaaaaaaaaaaaaaaa' } },
  ]);
}

const EXPECTED: TransferCounts = { config: 1, user: 2, token: 2, certificate: 0, status: 0, object: OBJECT_COUNT + OBJECT_COUNT / 2, 'ingest-batch': 0, 'ingest-envelope': 0, audit: 2 };

/** An empty data directory that no process holds: where an import may go. */
function freshDataDir(dirs: string[]): { childEnv: Record<string, string>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'taxii-transfer-cli-'));
  dirs.push(dir);
  return { dir, childEnv: { DATA_DIR: dir, MONGODB_URI: '' } };
}

async function countsIn(dataDir: string): Promise<TransferCounts> {
  const storage = openSqliteStorage({ path: dataDir, role: 'tool' });
  try {
    return await storage.transfer.counts();
  } finally {
    await storage.close();
  }
}

/** The records of an export, without its header (which names the engine and the time). */
function recordLines(ndjson: string): string[] {
  return ndjson.trimEnd().split('\n').slice(1);
}

describe('admin CLI: export and import', () => {
  let source: TestStorage;
  let work: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    // Opened as the server opens it: the test process holds this DATA_DIR as a server would.
    source = await openTestStorage('transfer_cli', 'sqlite');
    await source.prepare();
    await fill(source);
    work = mkdtempSync(join(tmpdir(), 'taxii-transfer-files-'));
    dirs.push(work);
  });
  afterAll(async () => {
    await source.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('exports beside a running server to a .gz file, gzipped, with a header, every record and an end line', async () => {
    const file = join(work, 'store.ndjson.gz');
    const run = await runAdminCli(source, ['export', '--out', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Exported 382 records of the embedded store in .* \(sqlite\) to .*store\.ndjson\.gz in [\d.]+ s, \d+ records\/s:\n/);
    expect(run.stdout).toMatch(/^ {2}object versions\s+375$/m);
    expect(run.stdout).toMatch(/^ {2}API tokens\s+2$/m);
    expect(existsSync(`${file}.partial`)).toBe(false);
    const bytes = readFileSync(file);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const lines = gunzipSync(bytes).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 382 + 1);
    const header = decodeLine(lines[0] ?? '', 1);
    expect(header).toMatchObject({ kind: 'header', format: 'taxii-alliance-server/store', formatVersion: 1, engine: 'sqlite', counts: EXPECTED });
    expect(decodeLine(lines[lines.length - 1] ?? '', lines.length)).toEqual({ kind: 'end', counts: EXPECTED });
  });

  it('imports the file into an empty store, every record, and prints counts per kind', async () => {
    const target = freshDataDir(dirs);
    const run = await runAdminCli(target, ['import', '--in', join(work, 'store.ndjson.gz')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Imported 382 records into the embedded store in .* \(sqlite\) from a sqlite export of \d{4}-\d\d-\d\dT[\d:.]+Z in /);
    expect(run.stdout).toMatch(/^ {2}object versions\s+375$/m);
    expect(await countsIn(target.dir)).toEqual(EXPECTED);
    // And the copy exports exactly as the original does.
    const original = await runAdminCli(source, ['export']);
    const copy = await runAdminCli(target, ['export']);
    expect(copy.code).toBe(0);
    expect(recordLines(copy.stdout)).toEqual(recordLines(original.stdout));
    expect(copy.stderr).toMatch(/^Exported 382 records/);
  });

  it('refuses to import into a store that holds data, naming what it holds, and writes nothing', async () => {
    const target = freshDataDir(dirs);
    const seeded = openSqliteStorage({ path: target.dir, role: 'tool' });
    await seeded.credentials.addUser({ username: 'someone', organisation: 'de-bka', role: 'member', passwordHash: 'x', disabled: false, createdAt: new Date() });
    await seeded.close();
    const refused = await runAdminCli(target, ['import', '--in', join(work, 'store.ndjson.gz')]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^error: import refused: the embedded store in .* is not empty \(it holds 1 users\)\. An import only goes into an empty store/);
    expect(await countsIn(target.dir)).toEqual({ config: 0, user: 1, token: 0, certificate: 0, status: 0, object: 0, 'ingest-batch': 0, 'ingest-envelope': 0, audit: 0 });
  });

  it('refuses to import into a DATA_DIR a server process is serving', async () => {
    // `source` is held by this (test) process as a server holds it; the CLI is another process.
    const emptied = freshDataDir(dirs);
    const server = openSqliteStorage({ path: emptied.dir, role: 'server' });
    try {
      const run = await runAdminCli(emptied, ['import', '--in', join(work, 'store.ndjson.gz')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`error: import refused: a server process (pid ${process.pid}) is serving ${emptied.dir}. An import writes objects, which only the one process holding the data directory may do: stop the server, import, then start it again.\n`);
      expect(await server.transfer.isEmpty()).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('refuses a file cut short, saying what was written, and a file with npm\'s banner in it', async () => {
    const full = gunzipSync(readFileSync(join(work, 'store.ndjson.gz'))).toString('utf8').trimEnd().split('\n');
    const cut = join(work, 'cut.ndjson');
    writeFileSync(cut, `${full.slice(0, -1).join('\n')}\n`);
    const target = freshDataDir(dirs);
    const run = await runAdminCli(target, ['import', '--in', cut]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: the file ends before its end line: the export is incomplete\. 382 records were written to the embedded store in .* before this: empty it/);

    const banner = await runAdminCli(freshDataDir(dirs), ['import'], { stdin: `\n> taxii-alliance-server@0.1.0 admin\n> tsx scripts/admin.ts export\n\n${full.join('\n')}\n` });
    expect(banner.code).toBe(1);
    expect(banner.stderr).toMatch(/^error: line 2 is npm's banner, not the export's header: write exports with --out FILE, or with `npm run -s`.*Nothing was written/);

    const edited = [...full];
    expect(edited[2]).toContain('"kind":"user"');
    edited[2] = edited[2]?.replace('"passwordHash"', '"password"') ?? '';
    const badTarget = freshDataDir(dirs);
    const bad = await runAdminCli(badTarget, ['import'], { stdin: edited.join('\n') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`error: line 3: field 'passwordHash' must be a string. Nothing was written to the embedded store in ${badTarget.dir}.\n`);
  });

  const mongoIt = mongoAvailable() ? it : it.skip;
  mongoIt(`moves the store to MongoDB through a pipe (stdin), and back${mongoAvailable() ? '' : ' (skipped: no MongoDB-protocol server)'}`, async () => {
    const exported = await runAdminCli(source, ['export']);
    expect(exported.code).toBe(0);
    const mongo = await openTestStorage('transfer_cli_mongo', 'mongodb');
    try {
      const run = await runAdminCli(mongo, ['import'], { stdin: exported.stdout });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Imported 382 records into MongoDB database 't_transfer_cli_mongo_[0-9a-f]+' \(mongodb\) from a sqlite export/);
      expect(await mongo.transfer.counts()).toEqual(EXPECTED);
      const fromMongo = await runAdminCli(mongo, ['export']);
      expect(fromMongo.code).toBe(0);
      expect(JSON.parse(fromMongo.stdout.split('\n')[0] ?? '')).toMatchObject({ engine: 'mongodb', counts: EXPECTED });
      expect(recordLines(fromMongo.stdout)).toEqual(recordLines(exported.stdout));
      // And back into an embedded store: the same records again.
      const back = freshDataDir(dirs);
      const returned = await runAdminCli(back, ['import'], { stdin: fromMongo.stdout });
      expect(returned.code).toBe(0);
      expect(await countsIn(back.dir)).toEqual(EXPECTED);
      expect((await mongo.credentials.findToken('bbbbbbbbbbbbbbbb'))?.revokedAt).toEqual(new Date('2026-01-03T00:00:00.000Z'));
    } finally {
      await mongo.close();
    }
  });
});
