import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../server/config/settings';
import { runAdminCli } from '../../support/admin-cli';
import { openTestStorage, type TestStorage } from '../../support/storage';

const BKA_COLLECTION = '3b0e6a3c-8f0e-4b8c-9d33-6a0f3e0c1a01';

describe('admin CLI: feeds', () => {
  let database: TestStorage;
  let configDir: string;

  beforeAll(async () => {
    database = await openTestStorage('admin_feeds_cli');
    await database.prepare();
    configDir = await mkdtemp(join(tmpdir(), 'taxii-feeds-cli-'));
    await cp(join(PROJECT_ROOT, 'test/config/fixtures/good'), configDir, { recursive: true });
    const file = join(configDir, 'de-bka.yaml');
    const feeds = ['    feeds:', '      - id: partner-b', '        url: https://taxii.partner-b.example/api/collections/91a7b528-80eb-42ed-a74d-c6fbd5a26116/', '      - id: partner-c', '        url: https://taxii.partner-c.example/api/collections/abc/'];
    await writeFile(file, `${await readFile(file, 'utf8')}${feeds.join('\n')}\n`);
    await database.feedStates.save({
      feedId: 'partner-b', collectionId: BKA_COLLECTION, cursor: '2026-11-30T10:00:00.000000Z', lastPollAt: new Date(), lastSuccessAt: new Date(Date.now() - 90_000),
      consecutiveFailures: 0, objectsMirrored: 1234, objectsDuplicate: 5, objectsRejected: 7,
    });
  });
  afterAll(async () => {
    await database.close();
    await rm(configDir, { recursive: true, force: true });
  });

  it('lists every feed with health, last success, lag, counters and cursor; config check accepts the feeds', async () => {
    const run = await runAdminCli(database, ['feeds'], { env: { CONFIG_DIR: configDir } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^FEED\s+COLLECTION\s+HEALTH\s+LAST SUCCESS\s+LAG\s+MIRRORED\s+REJECTED\s+CURSOR\s+LAST ERROR$/);
    expect(lines[1]).toMatch(new RegExp(`^partner-b\\s+${BKA_COLLECTION}\\s+ok\\s+\\S+Z\\s+9\\ds\\s+1234\\s+7\\s+2026-11-30T10:00:00.000000Z\\s+-$`));
    expect(lines[2]).toMatch(/^partner-c\s+\S+\s+new\s+-\s+-\s+0\s+0\s+-\s+-$/);

    const json = await runAdminCli(database, ['feeds', '--json'], { env: { CONFIG_DIR: configDir } });
    expect(JSON.parse(json.stdout).feeds[0]).toMatchObject({ id: 'partner-b', health: 'ok', objects_mirrored: 1234, objects_rejected: 7 });

    const check = await runAdminCli(database, ['config', 'check'], { env: { CONFIG_DIR: configDir } });
    expect(check.code).toBe(0);
  });
});
