import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAdminCli, type CliRun } from '../../support/admin-cli';
import { openTestStorage, type TestStorage } from '../../support/storage';
import { FIXTURE_CONFIG, IDS } from './admin-test-server';


describe('admin CLI: config diff/apply, grants and the trail', () => {
  let database: TestStorage;
  let configDir: string;

  function admin(args: string[]): Promise<CliRun> {
    return runAdminCli(database, args, { env: { CONFIG_DIR: configDir } });
  }


  beforeAll(async () => {
    database = await openTestStorage('config_apply_cli');
    configDir = await mkdtemp(join(tmpdir(), 'taxii-cli-config-'));
    await cp(FIXTURE_CONFIG, configDir, { recursive: true });
  });
  afterAll(async () => {
    await database.close();
    await rm(configDir, { recursive: true, force: true });
  });

  it('diffs against nothing at first, applies revision 1 with one audit record, then finds no difference', async () => {
    const diff = await admin(['config', 'diff']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/over revision 0 would change:\n/);
    expect(diff.stdout).toContain('+ organisation de-bka (national-unit');
    expect(await database.configStore.revision()).toBe(0);

    const apply = await admin(['config', 'apply']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/Applied as revision 1;/);
    const records = await database.audit.query({ actions: ['config.apply'], limit: 10 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ organisation: 'alliance', details: { via: 'cli', source: 'config apply', revision: 1 } });
    expect(records[0]?.username).toMatch(/^cli:/);

    expect((await admin(['config', 'diff'])).stdout).toMatch(/^No differences: .* \(revision 1\)\.\n$/);
    expect((await admin(['config', 'apply'])).stdout).toMatch(/^Nothing to apply/);
  });

  it('refuses an invalid directory as a whole: nothing stored, nothing recorded', async () => {
    const file = join(configDir, 'gb-nca.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('organisation: nl-police', 'organisation: fr-anssi').replace('max_tlp: green', 'max_tlp: orange'));
    const run = await admin(['config', 'apply']);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/is invalid:\n/);
    expect(run.stderr).toContain("gb-nca.yaml: /collections/0/max_tlp: 'orange'");
    expect(await database.configStore.revision()).toBe(1);
    await writeFile(file, original);
  });

  it('applies an edited file as a readable diff', async () => {
    const file = join(configDir, 'gb-nca.yaml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('max_tlp: green', 'max_tlp: amber'));
    const run = await admin(['config', 'apply']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `~ collection gb-nca-phishing (${IDS.gbPhishing}): max_tlp "green" -> "amber"\nApplied as revision 2; running servers pick it up within seconds.\n`,
    );
  });

  it('sets and revokes a grant by editing the owner\'s file and applying it', async () => {
    const set = await admin(['grant', 'set', 'de-bka-ransomware', 'sentinelgrid', '--read']);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`+ grant sentinelgrid read on de-bka-ransomware (${IDS.bkaRansomware})`);
    expect(await readFile(join(configDir, 'de-bka.yaml'), 'utf8')).toContain('      - organisation: sentinelgrid\n        access: [read]\n');
    const stored = await database.configStore.read();
    expect(stored?.revision).toBe(3);
    expect(stored?.config.collections.find((c) => c.id === IDS.bkaRansomware)?.grants).toContainEqual({ organisation: 'sentinelgrid', read: true, write: false });
    expect((await admin(['grant', 'revoke', 'de-bka-ransomware', 'sentinelgrid'])).code).toBe(0);
    expect(await readFile(join(configDir, 'de-bka.yaml'), 'utf8')).toBe(await readFile(join(FIXTURE_CONFIG, 'de-bka.yaml'), 'utf8'));
  });

  it('prints the trail of config applies', async () => {
    const run = await admin(['audit', '--action', 'config.apply', '--limit', '2']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^AT\s+ACTION\s+USER\s+ORGANISATION\s+COLLECTION\s+DETAILS$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('grant revoke');
  });

  it('prints a collection\'s trail by alias exactly as by id (config/resolve-collection.ts)', async () => {
    await database.audit.record({
      at: new Date(), action: 'objects.add', username: 'analyst@de-bka', organisation: 'de-bka', apiRoot: 'alliance',
      collectionId: IDS.bkaRansomware, objectIds: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'], requestId: 'cli-alias-1',
    });
    const byId = await admin(['audit', '--collection', IDS.bkaRansomware]);
    const byAlias = await admin(['audit', '--collection', 'de-bka-ransomware']);
    expect(byAlias).toMatchObject({ code: 0, stderr: '' });
    expect(byAlias.stdout).not.toContain('No audit records match.');
    expect(byAlias.stdout).toMatch(new RegExp(`objects\\.add\\s+analyst@de-bka\\s+de-bka\\s+${IDS.bkaRansomware}`));
    expect(byAlias.stdout).toBe(byId.stdout);
  });

  it('refuses --as naming a user that does not exist', async () => {
    const ghost = await admin(['--as', 'ghost', 'config', 'apply']);
    expect(ghost).toMatchObject({ code: 1, stderr: "error: --as: no user 'ghost'\n" });
  });
});
