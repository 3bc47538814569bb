import { LoginLockout, clientAddressKey, type LockoutSettings } from '../../server/auth/login-lockout';

const SETTINGS: LockoutSettings = { userFailures: 3, ipFailures: 5, baseLockMs: 1000, maxLockMs: 4000, forgetAfterMs: 60_000, maxKeys: 100 };

function lockoutAt(settings: LockoutSettings = SETTINGS): { lockout: LoginLockout; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  return { lockout: new LoginLockout(settings, () => clock.now), clock };
}

describe('LoginLockout', () => {
  it('locks a username at its threshold, not before, and says until when', () => {
    const { lockout, clock } = lockoutAt();
    expect(lockout.recordFailure('analyst', undefined)).toEqual([]);
    expect(lockout.recordFailure('analyst', undefined)).toEqual([]);
    expect(lockout.lockedOut('analyst', undefined)).toEqual([]);
    expect(lockout.recordFailure('analyst', undefined)).toEqual([{ kind: 'user', key: 'analyst', until: new Date(clock.now + 1000), failures: 3 }]);
    expect(lockout.lockedOut('analyst', undefined)).toHaveLength(1);
    expect(lockout.lockedOut('someone-else', undefined)).toEqual([]);
  });

  it('lifts a lock when it expires and doubles each further lock up to the ceiling', () => {
    const { lockout, clock } = lockoutAt();
    for (let i = 0; i < 3; i += 1) lockout.recordFailure('analyst', undefined);
    const durations: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      const [lock] = lockout.lockedOut('analyst', undefined);
      if (!lock) throw new Error('expected a lock');
      const duration = lock.until.getTime() - clock.now;
      durations.push(duration);
      clock.now += duration - 1;
      expect(lockout.lockedOut('analyst', undefined)).toHaveLength(1);
      clock.now += 1;
      expect(lockout.lockedOut('analyst', undefined)).toEqual([]);
      // One more failure after a lock ends starts the next, longer one.
      expect(lockout.recordFailure('analyst', undefined)).toHaveLength(1);
    }
    expect(durations).toEqual([1000, 2000, 4000, 4000]);
  });

  it('forgets the count and the back-off after a quiet period', () => {
    const { lockout, clock } = lockoutAt();
    for (let i = 0; i < 3; i += 1) lockout.recordFailure('analyst', undefined);
    clock.now += 1000 + 60_000;
    expect(lockout.recordFailure('analyst', undefined)).toEqual([]);
    expect(lockout.recordFailure('analyst', undefined)).toEqual([]);
    expect(lockout.recordFailure('analyst', undefined)[0]?.until).toEqual(new Date(clock.now + 1000));
  });

  it('resets a username on success but keeps the address count', () => {
    const { lockout } = lockoutAt();
    for (let i = 0; i < 2; i += 1) lockout.recordFailure('analyst', '192.0.2.7');
    lockout.recordSuccess('analyst');
    expect(lockout.recordFailure('analyst', '192.0.2.7')).toEqual([]);
    expect(lockout.recordFailure('analyst', '192.0.2.7')).toEqual([]);
    // The address has now failed 5 times although the username was reset in between.
    expect(lockout.recordFailure('other', '192.0.2.7')).toEqual([expect.objectContaining({ kind: 'ip', key: '192.0.2.7', failures: 5 })]);
    expect(lockout.lockedOut('third', '192.0.2.7')).toEqual([expect.objectContaining({ kind: 'ip' })]);
  });

  it('unlocks a username or an address at once, in either spelling of an IPv4 address', () => {
    const { lockout } = lockoutAt({ ...SETTINGS, ipFailures: 1 });
    for (let i = 0; i < 3; i += 1) lockout.recordFailure('analyst', '::ffff:192.0.2.7');
    expect(lockout.lockedOut('analyst', '192.0.2.7').map((lock) => lock.kind)).toEqual(['user', 'ip']);
    expect(lockout.unlock('ip', '192.0.2.7')).toBe(true);
    expect(lockout.unlock('user', 'analyst')).toBe(true);
    expect(lockout.lockedOut('analyst', '::ffff:192.0.2.7')).toEqual([]);
    expect(lockout.unlock('user', 'analyst')).toBe(false);
    // The back-off is forgotten too: a full run of failures is needed again.
    expect(lockout.recordFailure('analyst', undefined)).toEqual([]);
  });

  it('remembers at most maxKeys keys, forgetting the least recently failed', () => {
    const { lockout } = lockoutAt({ ...SETTINGS, userFailures: 1, maxKeys: 2 });
    lockout.recordFailure('first', undefined);
    lockout.recordFailure('second', undefined);
    lockout.recordFailure('third', undefined);
    expect(lockout.lockedOut('first', undefined)).toEqual([]);
    expect(lockout.lockedOut('second', undefined)).toHaveLength(1);
    expect(lockout.lockedOut('third', undefined)).toHaveLength(1);
  });

  it.each([
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['192.0.2.7', '192.0.2.7'],
  ])('keys the address %s as %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key);
  });
});
