import { ConsoleSessions, sameSecret } from '../../server/auth/console-sessions';

describe('ConsoleSessions', () => {
  const limits = { idleMs: 1000, absoluteMs: 5000 };
  let clock = 0;
  const sessions = () => new ConsoleSessions(limits, () => clock);

  beforeEach(() => {
    clock = 0;
  });

  it('finds a session by the id it handed out, with a fresh CSRF token per session', () => {
    const store = sessions();
    const first = store.open('analyst@europol', 'hash');
    const second = store.open('analyst@europol', 'hash');
    expect(store.use(first.sessionId)).toMatchObject({ username: 'analyst@europol', passwordHash: 'hash', csrfToken: first.session.csrfToken });
    expect(first.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.session.csrfToken).not.toBe(first.session.csrfToken);
    expect(store.use('not-a-session')).toBeUndefined();
  });

  it('ends a session left idle for the idle limit, and keeps a used one alive', () => {
    const store = sessions();
    const used = store.open('a', 'hash').sessionId;
    const idle = store.open('b', 'hash').sessionId;
    clock = 900;
    expect(store.use(used)).toBeDefined();
    clock = 1000;
    expect(store.use(idle)).toBeUndefined();
    expect(store.use(used)).toBeDefined();
  });

  it('ends a session at the absolute limit however busy it is', () => {
    const store = sessions();
    const { sessionId } = store.open('a', 'hash');
    for (clock = 900; clock < 5000; clock += 900) expect(store.use(sessionId)).toBeDefined();
    clock = 5000;
    expect(store.use(sessionId)).toBeUndefined();
  });

  it('closes one session on logout and every session of a user on demand', () => {
    const store = sessions();
    const one = store.open('a', 'hash').sessionId;
    const two = store.open('a', 'hash').sessionId;
    const other = store.open('b', 'hash').sessionId;
    store.close(one);
    expect(store.use(one)).toBeUndefined();
    expect(store.use(two)).toBeDefined();
    store.closeAllOf('a');
    expect(store.use(two)).toBeUndefined();
    expect(store.use(other)).toBeDefined();
  });

  it('drops expired sessions when a new one opens', () => {
    const store = sessions();
    store.open('a', 'hash');
    clock = 2000;
    store.open('b', 'hash');
    expect(store.size).toBe(1);
  });
});

describe('sameSecret', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', 'abc', false],
  ])('%j against %j is %s', (given, expected, same) => {
    expect(sameSecret(given, expected)).toBe(same);
  });
});
