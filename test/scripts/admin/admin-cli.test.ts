import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../server/config/settings';
import { hashTokenSecret, parseToken, verifyPassword } from '../../../server/auth/credentials';
import { runAdminCli, type CliRun } from '../../support/admin-cli';
import type { CredentialRepository } from '../../../server/storage/credential-repository';
import { openTestStorage, type TestStorage } from '../../support/storage';

const PASSWORD = 'a sufficiently long password';

describe('admin CLI', () => {
  let database: TestStorage;
  let credentials: CredentialRepository;

  function admin(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
    return runAdminCli(database, args, options);
  }


  beforeAll(async () => {
    database = await openTestStorage('admin_cli');
    credentials = database.credentials;
  });
  afterAll(() => database.close());

  describe('user', () => {
    it('adds a user with the password from stdin, hashed', async () => {
      const run = await admin(['user', 'add', 'analyst@de-bka', '--org', 'de-bka', '--password-stdin'], { stdin: `${PASSWORD}\n` });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe('Added user analyst@de-bka (organisation de-bka, role member).\n');
      const stored = await credentials.findUser('analyst@de-bka');
      expect(stored).toMatchObject({ organisation: 'de-bka', role: 'member', disabled: false });
      await expect(verifyPassword(PASSWORD, stored?.passwordHash ?? '')).resolves.toBe(true);
    });

    it('adds a user with a role', async () => {
      const run = await admin(['user', 'add', 'lead@gb-nca', '--org', 'gb-nca', '--role', 'org-admin', '--password-stdin'], { stdin: PASSWORD });
      expect(run.code).toBe(0);
      expect((await credentials.findUser('lead@gb-nca'))?.role).toBe('org-admin');
    });

    it.each([
      [['analyst@de-bka', '--org', 'de-bka', '--password-stdin'], PASSWORD, /^error: user 'analyst@de-bka' already exists\n$/],
      [['x@fr-anssi', '--org', 'fr-anssi', '--password-stdin'], PASSWORD, /^error: organisation 'fr-anssi' is not declared in .*collections \(declared: de-bka, europol/],
      [['short@de-bka', '--org', 'de-bka', '--password-stdin'], 'eleven char', /^error: the password must be at least 12 characters long \(got 11\)\n$/],
      [['nostdin@de-bka', '--org', 'de-bka'], PASSWORD, /^error: give the password on standard input with --password-stdin/],
      [['bad:name', '--org', 'de-bka', '--password-stdin'], PASSWORD, /^error: invalid username 'bad:name'/],
      [['r@de-bka', '--org', 'de-bka', '--role', 'root', '--password-stdin'], PASSWORD, /argument 'root' is invalid. Allowed choices are member, org-admin, alliance-admin/],
      [['noorg@de-bka', '--password-stdin'], PASSWORD, /required option '--org <organisation>' not specified/],
    ])('refuses user add %j', async (args, stdin, message) => {
      const run = await admin(['user', 'add', ...args], { stdin });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    });

    it('lists users, all or of one organisation', async () => {
      const all = await admin(['user', 'list']);
      expect(all.code).toBe(0);
      expect(all.stdout.split('\n')[0]).toMatch(/^USERNAME\s+ORGANISATION\s+ROLE\s+STATUS\s+CREATED$/);
      expect(all.stdout).toMatch(/^analyst@de-bka\s+de-bka\s+member\s+active\s+\d{4}-/m);
      expect(all.stdout).toMatch(/^lead@gb-nca\s+gb-nca\s+org-admin\s+active/m);
      const some = await admin(['user', 'list', '--org', 'gb-nca']);
      expect(some.stdout).not.toContain('analyst@de-bka');
      expect(some.stdout).toContain('lead@gb-nca');
      expect((await admin(['user', 'list', '--org', 'europol'])).stdout).toBe('No users in organisation europol.\n');
    });

    it('shows one user through the same use case as GET /admin/users/<username>; an unknown one is an error', async () => {
      const run = await admin(['user', 'show', 'lead@gb-nca']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^USERNAME\s+ORGANISATION\s+ROLE\s+STATUS\s+CREATED\nlead@gb-nca\s+gb-nca\s+org-admin\s+active\s+\d{4}-\S+\n$/);
      expect(await admin(['user', 'show', 'ghost'])).toMatchObject({ code: 1, stdout: '', stderr: "error: No user 'ghost' is available to you.\n" });
    });

    it('disables and enables a user; an unknown user is an error', async () => {
      const disable = await admin(['user', 'disable', 'lead@gb-nca']);
      expect(disable).toMatchObject({ code: 0, stdout: 'User lead@gb-nca disabled: its password and tokens no longer work.\n' });
      expect((await credentials.findUser('lead@gb-nca'))?.disabled).toBe(true);
      expect((await admin(['user', 'list', '--org', 'gb-nca'])).stdout).toMatch(/^lead@gb-nca\s+gb-nca\s+org-admin\s+disabled/m);
      expect(await admin(['user', 'enable', 'lead@gb-nca'])).toMatchObject({ code: 0, stdout: 'User lead@gb-nca enabled.\n' });
      expect((await credentials.findUser('lead@gb-nca'))?.disabled).toBe(false);
      expect(await admin(['user', 'disable', 'ghost'])).toMatchObject({ code: 1, stderr: "error: no user 'ghost'\n" });
    });

    it('changes a password', async () => {
      const run = await admin(['user', 'passwd', 'lead@gb-nca', '--password-stdin'], { stdin: 'another long password' });
      expect(run).toMatchObject({ code: 0, stdout: 'Password of lead@gb-nca changed.\n' });
      await expect(verifyPassword('another long password', (await credentials.findUser('lead@gb-nca'))?.passwordHash ?? '')).resolves.toBe(true);
    });
  });

  describe('token', () => {
    let tokenId = '';

    it('creates a token, prints it once on stdout and stores only its hash', async () => {
      const run = await admin(['token', 'create', 'analyst@de-bka', '--expires', '30d', '--label', 'poller-1']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^tas_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
      const parsed = parseToken(run.stdout.trim());
      tokenId = parsed?.tokenId ?? '';
      expect(run.stderr).toContain(`Token ${tokenId} created for analyst@de-bka, expires `);
      const stored = await credentials.findToken(tokenId);
      expect(stored).toMatchObject({ username: 'analyst@de-bka', label: 'poller-1', secretHash: hashTokenSecret(parsed?.secret ?? '') });
      const days = ((stored?.expiresAt?.getTime() ?? 0) - (stored?.createdAt.getTime() ?? 0)) / 86_400_000;
      expect(days).toBeCloseTo(30, 5);
    });

    it.each([
      [['ghost'], /^error: no user 'ghost'\n$/],
      [['analyst@de-bka', '--expires', 'soon'], /^error: --expires must be a duration such as 30d/],
      [['analyst@de-bka', '--expires', '2001-01-01'], /^error: expires_at must lie in the future, got 2001-01-01T00:00:00.000Z/],
    ])('refuses token create %j', async (args, message) => {
      const run = await admin(['token', 'create', ...args]);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(message);
    });

    it('lists tokens without their secrets', async () => {
      await admin(['token', 'create', 'lead@gb-nca', '--expires', '2099-12-31']);
      const all = await admin(['token', 'list']);
      expect(all.code).toBe(0);
      expect(all.stdout.split('\n')[0]).toMatch(/^TOKEN ID\s+USER\s+STATUS\s+CREATED\s+EXPIRES\s+LABEL$/);
      expect(all.stdout).toMatch(new RegExp(`^${tokenId}\\s+analyst@de-bka\\s+active\\s+\\S+\\s+\\S+\\s+poller-1$`, 'm'));
      expect(all.stdout).toMatch(/^[0-9a-f]{16}\s+lead@gb-nca\s+active\s+\S+\s+2099-12-31T00:00:00.000Z\s+-$/m);
      expect(all.stdout).not.toContain('tas_');
      const mine = await admin(['token', 'list', '--user', 'analyst@de-bka']);
      expect(mine.stdout).not.toContain('lead@gb-nca');
    });

    it('revokes a token once; an unknown id is an error', async () => {
      const run = await admin(['token', 'revoke', tokenId]);
      expect(run).toMatchObject({ code: 0, stdout: `Token ${tokenId} of analyst@de-bka revoked.\n` });
      expect((await credentials.findToken(tokenId))?.revokedAt).toBeInstanceOf(Date);
      expect((await admin(['token', 'list', '--user', 'analyst@de-bka'])).stdout).toMatch(new RegExp(`^${tokenId}\\s+analyst@de-bka\\s+revoked`, 'm'));
      expect((await admin(['token', 'revoke', tokenId])).stdout).toMatch(/was already revoked at \d{4}-/);
      const unknown = await admin(['token', 'revoke', 'ffffffffffffffff']);
      expect(unknown).toMatchObject({ code: 1, stdout: '' });
      expect(unknown.stderr).toMatch(/^error: no token 'ffffffffffffffff'/);
    });

    it('refuses a token for a disabled user', async () => {
      await admin(['user', 'disable', 'lead@gb-nca']);
      const run = await admin(['token', 'create', 'lead@gb-nca']);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/is disabled: enable it/);
    });
  });

  describe('config check', () => {
    it('validates the shipped configuration and describes it', async () => {
      const run = await admin(['config', 'check']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Configuration in .*collections is valid\.\n/);
      expect(run.stdout).toMatch(/^Organisations \(6\):$/m);
      expect(run.stdout).toMatch(/^ {2}\/de-bka-internal\//m);
    });

    it('validates the directory named by CONFIG_DIR', async () => {
      const run = await admin(['config', 'check'], { env: { CONFIG_DIR: join(PROJECT_ROOT, 'test/config/fixtures/good') } });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Test alliance');
    });

    it('exits 1 and names the file and path of each problem', async () => {
      const run = await admin(['config', 'check'], { env: { CONFIG_DIR: join(PROJECT_ROOT, 'test/config/fixtures/unknown-org-grant') } });
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/^error: configuration in .*unknown-org-grant is invalid:\n/);
      expect(run.stderr).toContain("europol.yaml: /collections/2/grants/0/organisation: 'fr-anssi' is not a declared organisation\n");
    });
  });

  it('refuses an unknown command', async () => {
    const run = await admin(['frobnicate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
