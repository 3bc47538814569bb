import { hashPassword } from '../../../server/auth/credentials';
import { LoginLockout } from '../../../server/auth/login-lockout';
import { watchUnlockRequests } from '../../../server/auth/unlock-requests';
import { runAdminCli, type CliRun } from '../../support/admin-cli';
import { openTestStorage, type TestStorage } from '../../support/storage';

describe('admin CLI: unlock', () => {
  let database: TestStorage;
  const admin = (args: string[]): Promise<CliRun> => runAdminCli(database, args);

  beforeAll(async () => {
    database = await openTestStorage('admin_cli_unlock');
    const passwordHash = await hashPassword('a sufficiently long password', { cost: 2 ** 10, blockSize: 8, parallelization: 1 });
    await database.credentials.addUser({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', passwordHash, disabled: false, createdAt: new Date() });
  });
  afterAll(() => database.close());

  it('records an unlock of a username and of an address that a running server then applies', async () => {
    const lockout = new LoginLockout({ userFailures: 1, ipFailures: 1, baseLockMs: 60_000, maxLockMs: 60_000, forgetAfterMs: 60_000, maxKeys: 10 });
    const watch = watchUnlockRequests(database.audit, lockout, { intervalMs: 3_600_000 });
    try {
      lockout.recordFailure('ghost@nowhere', '::ffff:192.0.2.7');
      expect(lockout.lockedOut('ghost@nowhere', '192.0.2.7')).toHaveLength(2);

      const byName = await admin(['unlock', 'ghost@nowhere']);
      expect(byName).toMatchObject({ code: 0, stderr: '' });
      expect(byName.stdout).toMatch(/^Unlock of username ghost@nowhere recorded/);
      const byAddress = await admin(['unlock', '--ip', '192.0.2.7']);
      expect(byAddress.code).toBe(0);
      expect(byAddress.stdout).toMatch(/^Unlock of address 192\.0\.2\.7 recorded/);

      await watch.poll();
      expect(lockout.lockedOut('ghost@nowhere', '::ffff:192.0.2.7')).toEqual([]);
      const records = await database.audit.query({ actions: ['auth.unlock'], limit: 10 });
      expect(records.map((record) => record.details)).toEqual([{ kind: 'ip', key: '192.0.2.7' }, { kind: 'user', key: 'ghost@nowhere' }]);
      expect(records[0]?.username).toMatch(/^cli:/);
    } finally {
      watch.stop();
    }
  });

  it.each([
    [[], /name a username or give --ip/],
    [['someone', '--ip', '192.0.2.7'], /not both/],
    [['--ip', 'not-an-address'], /not an IPv4 or IPv6 address/],
  ])('refuses unlock %j', async (args, message) => {
    const run = await admin(['unlock', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a user who is not an alliance-admin', async () => {
    const run = await admin(['--as', 'analyst@de-bka', 'unlock', 'ghost@nowhere']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/only an alliance-admin may lift a login lock/);
  });
});
