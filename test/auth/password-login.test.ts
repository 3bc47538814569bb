import supertest from 'supertest';
import { hashPassword, verifyPassword } from '../../server/auth/credentials';
import { LoginLockout, type LockoutSettings } from '../../server/auth/login-lockout';
import { requestUnlock, watchUnlockRequests } from '../../server/auth/unlock-requests';
import type { AuditRecord } from '../../server/storage/audit-log';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { TEST_HASH_PARAMETERS, TEST_PASSWORD, startTestServer, type TestServer } from '../support/taxii-app';

const LOCKOUT: LockoutSettings = { userFailures: 3, ipFailures: 1000, baseLockMs: 60_000, maxLockMs: 600_000, forgetAfterMs: 3_600_000, maxKeys: 1000 };
const STRONGER = { ...TEST_HASH_PARAMETERS, cost: 2 ** 11 };
const basic = (username: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

describe('password logins: lockout, scrypt gate and hash upgrade (docs/security.md)', () => {
  let server: TestServer;
  const clock = { now: Date.parse('2026-06-01T12:00:00Z') };
  const lockout = new LoginLockout(LOCKOUT, () => clock.now);
  const get = (username: string, password: string) => supertest(server.app).get('/taxii2/').set(basic(username, password)).set('Accept', TAXII_MEDIA_TYPE);

  async function addUser(username: string, password: string, parameters = STRONGER): Promise<string> {
    const passwordHash = await hashPassword(password, parameters);
    await server.credentials.addUser({ username, organisation: 'de-bka', role: 'member', passwordHash, disabled: false, createdAt: new Date() });
    return passwordHash;
  }

  /** The audit write is not awaited by the request, so the test waits for the record, not for a time. */
  async function auditRecords(action: AuditRecord['action'], key: string): Promise<AuditRecord[]> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const records = (await server.context.audit.query({ actions: [action], limit: 100 })).filter((record) => record.details?.key === key);
      if (records.length > 0) return records;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [];
  }

  beforeAll(async () => {
    server = await startTestServer('auth_password_login', undefined, {
      authentication: { lockout, passwordHashParameters: STRONGER, passwordChecks: { concurrency: 1, maxWaiting: 0 } },
    });
  });
  afterAll(() => server.close());

  it('accepts a password containing colons: RFC 7617 splits at the first one only', async () => {
    await addUser('colons@de-bka', 'a:b::c:');
    const response = await get('colons@de-bka', 'a:b::c:');
    expect(response.status).toBe(200);
    expect((await get('colons@de-bka', 'a')).status).toBe(401);
  });

  it('lets a user in after wrong passwords below the limit, and the success starts the count again', async () => {
    await addUser('typo@de-bka', TEST_PASSWORD);
    for (let round = 0; round < 2; round += 1) {
      expect((await get('typo@de-bka', 'wrong')).status).toBe(401);
      expect((await get('typo@de-bka', 'wrong')).status).toBe(401);
      expect((await get('typo@de-bka', TEST_PASSWORD)).status).toBe(200);
    }
    expect(lockout.lockedOut('typo@de-bka', undefined)).toEqual([]);
  });

  it('refuses the right password while the username is locked, with the answer of a wrong one, until the lock expires', async () => {
    await addUser('guessed@de-bka', TEST_PASSWORD);
    const wrong = await get('guessed@de-bka', 'wrong');
    await get('guessed@de-bka', 'wrong');
    await get('guessed@de-bka', 'wrong');
    const locked = await get('guessed@de-bka', TEST_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.headers['www-authenticate']).toBe(wrong.headers['www-authenticate']);
    expect(locked.headers['content-type']).toBe(wrong.headers['content-type']);
    expect({ ...locked.body, error_id: undefined }).toEqual({ ...wrong.body, error_id: undefined });
    // An unknown username locks exactly as a real one does, so a lock reveals nothing.
    for (let i = 0; i < 3; i += 1) await get('ghost@de-bka', 'wrong');
    expect(lockout.lockedOut('ghost@de-bka', undefined)).toHaveLength(1);

    clock.now += LOCKOUT.baseLockMs - 1;
    expect((await get('guessed@de-bka', TEST_PASSWORD)).status).toBe(401);
    clock.now += 1;
    expect((await get('guessed@de-bka', TEST_PASSWORD)).status).toBe(200);
  });

  it('audits the lock, naming the key and until when', async () => {
    await addUser('audited@de-bka', TEST_PASSWORD);
    for (let i = 0; i < 3; i += 1) await get('audited@de-bka', 'wrong');
    const [record] = await auditRecords('auth.lockout', 'audited@de-bka');
    expect(record?.details).toEqual({ kind: 'user', key: 'audited@de-bka', failures: 3, until: new Date(clock.now + LOCKOUT.baseLockMs).toISOString() });
  });

  it('lets the user in once an operator\'s unlock is applied, and applies that unlock once only', async () => {
    await addUser('unlocked@de-bka', TEST_PASSWORD);
    const watch = watchUnlockRequests(server.context.audit, lockout, { intervalMs: 3_600_000 });
    try {
      for (let i = 0; i < 3; i += 1) await get('unlocked@de-bka', 'wrong');
      expect((await get('unlocked@de-bka', TEST_PASSWORD)).status).toBe(401);
      await requestUnlock(server.context.audit, { kind: 'user', key: 'unlocked@de-bka' }, { username: 'cli:operator', organisation: 'alliance' });
      await watch.poll();
      expect((await auditRecords('auth.unlock', 'unlocked@de-bka'))[0]).toMatchObject({ username: 'cli:operator', details: { kind: 'user', key: 'unlocked@de-bka' } });
      expect((await get('unlocked@de-bka', TEST_PASSWORD)).status).toBe(200);
      // Locked again: the earlier request, read again by the next poll, must not lift the new lock.
      for (let i = 0; i < 3; i += 1) await get('unlocked@de-bka', 'wrong');
      await watch.poll();
      expect((await get('unlocked@de-bka', TEST_PASSWORD)).status).toBe(401);
    } finally {
      watch.stop();
    }
  });

  it('refuses a locked username before scrypt: no refusal waits for the single, queue-less password check', async () => {
    await addUser('flooded@de-bka', TEST_PASSWORD);
    // Unlocked, concurrent checks compete for the one scrypt slot and the surplus is turned away (503).
    const unlocked = await Promise.all(Array.from({ length: 6 }, () => get('flooded@de-bka', 'wrong')));
    expect(unlocked.map((response) => response.status)).toContain(503);
    expect(unlocked.find((response) => response.status === 503)?.body).toMatchObject({ error_code: 'authentication-busy', http_status: '503' });
    for (let i = 0; i < 3; i += 1) await get('flooded@de-bka', 'wrong');
    expect(lockout.lockedOut('flooded@de-bka', undefined)).toHaveLength(1);
    const locked = await Promise.all(Array.from({ length: 6 }, () => get('flooded@de-bka', TEST_PASSWORD)));
    expect(locked.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
  });

  it('re-hashes a password stored below the current parameters on login, and the old hash is gone', async () => {
    const weak = await addUser('veteran@de-bka', TEST_PASSWORD, TEST_HASH_PARAMETERS);
    expect(weak.startsWith('scrypt$1024$')).toBe(true);
    expect((await get('veteran@de-bka', TEST_PASSWORD)).status).toBe(200);
    const stored = (await server.credentials.findUser('veteran@de-bka'))?.passwordHash ?? '';
    expect(stored.startsWith('scrypt$2048$8$1$')).toBe(true);
    expect(stored).not.toBe(weak);
    expect(await verifyPassword(TEST_PASSWORD, stored)).toBe(true);
    expect((await get('veteran@de-bka', TEST_PASSWORD)).status).toBe(200);
    expect((await server.credentials.findUser('veteran@de-bka'))?.passwordHash).toBe(stored);
  });

  it('does not re-hash on a wrong password', async () => {
    const weak = await addUser('cautious@de-bka', TEST_PASSWORD, TEST_HASH_PARAMETERS);
    expect((await get('cautious@de-bka', 'wrong')).status).toBe(401);
    expect((await server.credentials.findUser('cautious@de-bka'))?.passwordHash).toBe(weak);
  });
});
