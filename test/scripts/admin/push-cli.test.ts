import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { NewVersion } from '../../../server/storage/repository';
import { runAdminCli, type CliRun } from '../../support/admin-cli';
import { openTestStorage, type TestStorage } from '../../support/storage';
import { FIXTURE_CONFIG, IDS } from './admin-test-server';

const REMOTE = 'https://peer.example.org/taxii/alliance/collections/9b1f3f4e-7c1d-4e8a-9f0b-2c3d4e5f6a70/';
const FORMER = 'https://old-peer.example.org/api/collections/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f/';
const NOW_US = Date.now() * 1000;

function version(index: number): NewVersion {
  const id = `indicator--00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return {
    collectionId: IDS.allianceIndicators, id, type: 'indicator', specVersion: '2.1', version: '2026-01-01T00:00:00.000Z', versionKey: '20260101000000000000',
    // The first two versions were added an hour ago: the backlog's oldest has waited that long.
    dateAdded: NOW_US - 3_600_000_000 + index, publishedBy: { organisation: 'europol', username: 'analyst@europol' }, stix: JSON.stringify({ type: 'indicator', id }),
  };
}

describe('npm run admin -- push', () => {
  let storage: TestStorage;
  let configDir: string;
  const admin = (args: string[]): Promise<CliRun> => runAdminCli(storage, args, { env: { CONFIG_DIR: configDir } });

  beforeAll(async () => {
    storage = await openTestStorage('push_cli');
    await storage.prepare();
    configDir = mkdtempSync(join(tmpdir(), 'taxii-push-cli-'));
    cpSync(FIXTURE_CONFIG, configDir, { recursive: true });
    const file = join(configDir, 'europol.yaml');
    const document = parseDocument(readFileSync(file, 'utf8'));
    document.setIn(['collections', 0, 'push'], [{ collection_url: REMOTE, token_env: 'PEER_TOKEN', interval_seconds: 60 }]);
    writeFileSync(file, document.toString());

    await storage.objects.insertVersions([0, 1, 2, 3, 4].map(version));
    const key = { collectionId: IDS.allianceIndicators, remoteUrl: REMOTE };
    // Versions 0 and 1 went out (1 refused by the remote); 2, 3 and 4 wait; then the remote went down.
    await storage.pushOutbox.advance(key, {
      cursor: version(1).dateAdded,
      sent: 1,
      refusals: [{ id: version(1).id, version: version(1).version, dateAdded: version(1).dateAdded, reason: 'the remote refused it: over its TLP ceiling', at: new Date('2026-03-01T10:00:00.000Z') }],
      at: new Date('2026-03-01T10:00:00.000Z'),
    });
    await storage.pushOutbox.recordError(key, 'POST https://peer.example.org/… answered HTTP 503', new Date('2026-03-01T10:05:00.000Z'));
    await storage.pushOutbox.advance({ collectionId: IDS.allianceIndicators, remoteUrl: FORMER }, { cursor: version(4).dateAdded, sent: 5, refusals: [], at: new Date('2026-02-01T00:00:00.000Z') });
  });
  afterAll(async () => {
    await storage.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('lists each target with its backlog, lag, counters, last success and last error, and a removed target as not configured', async () => {
    const run = await admin(['push']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^COLLECTION\s+REMOTE\s+STATE\s+BACKLOG\s+LAG\s+SENT\s+REFUSED\s+LAST SUCCESS\s+LAST ERROR$/);
    expect(rows).toHaveLength(2);
    const current = rows.find((row) => row.includes(REMOTE)) ?? '';
    const cells = current.split(/\s{2,}/);
    // The oldest waiting version was added an hour before the test started; the CLI runs a little later.
    expect(cells[4]).toMatch(/^6[01] min$/);
    expect(cells.filter((_, index) => index !== 4)).toEqual([
      'alliance-indicators', REMOTE, 'failing (1)', '3', '1', '1', '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:05:00.000Z POST https://peer.example.org/… answered HTTP 503',
    ]);
    expect((rows.find((row) => row.includes(FORMER)) ?? '').split(/\s{2,}/).slice(2, 7)).toEqual(['not configured', '0', '0 s', '5', '0']);
  });

  it('lists the refusals of a collection named by its alias', async () => {
    const run = await admin(['push', 'refusals', 'alliance-indicators']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')[1]?.split(/\s{2,}/)).toEqual([
      '2026-03-01T10:00:00.000Z', REMOTE, version(1).id, version(1).version, 'the remote refused it: over its TLP ceiling',
    ]);
  });

  it('shows an organisation admin only the targets of collections its organisation owns', async () => {
    await storage.credentials.addUser({ username: 'lead@gb-nca', organisation: 'gb-nca', role: 'org-admin', passwordHash: 'x', disabled: false, createdAt: new Date() });
    const run = await admin(['--as', 'lead@gb-nca', 'push']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^No push targets/);
    const refused = await admin(['--as', 'lead@gb-nca', 'push', 'refusals', 'alliance-indicators']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no collection 'alliance-indicators' that you may administer/);
  });
});
