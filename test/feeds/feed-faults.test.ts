import { createServer } from 'node:net';
import { COLLECTION_IDS } from '../support/alliance';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { allianceWithFeeds, feed, openMirror, secretsFrom, type Mirror } from '../support/feed-mirror';
import { listenOnFreePort, type LiveServer } from '../support/live-server';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

const REMOTE_COLLECTION = `/alliance/collections/${COLLECTION_IDS.shared}/`;
const SECRETS = secretsFrom({ REMOTE_PASSWORD: TEST_PASSWORD });
const AUTH = { type: 'basic' as const, username: 'analyst@europol', passwordEnv: 'REMOTE_PASSWORD' };

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A remote that is down, slow, rate-limiting, failing or answering garbage: the poller records the error, backs off, then recovers. */
describe('feed poller against a failing remote', () => {
  let remote: TestServer;
  let live: LiveServer;
  let proxy: FaultProxy;
  let mirror: Mirror;
  const objects = Array.from({ length: 5 }, () => indicator());

  beforeAll(async () => {
    remote = await startTestServer('feed-faults-remote');
    live = await listenOnFreePort(remote.app);
    const answer = await taxiiClient(remote, 'europol').post(`${REMOTE_COLLECTION}objects/`, { objects });
    expect(answer.body.success_count).toBe(objects.length);
  });
  beforeEach(async () => {
    proxy = await startFaultProxy(live.origin);
    const feeds = [feed('via-proxy', `${proxy.origin}${REMOTE_COLLECTION}`, { auth: AUTH, pageSize: 2 })];
    mirror = await openMirror('feed-faults', allianceWithFeeds(feeds), SECRETS, { requestTimeoutMs: 500 });
  });
  afterEach(async () => {
    await mirror.close();
    await proxy.close();
  });
  afterAll(async () => {
    await live.close();
    await remote.close();
  });

  async function expectRecovery(): Promise<void> {
    const outcome = await mirror.poller.pollNow('via-proxy');
    expect(outcome).toMatchObject({ kind: 'polled', stored: objects.length });
    const state = await mirror.storage.feedStates.find('via-proxy');
    expect(state).toMatchObject({ consecutiveFailures: 0, objectsMirrored: objects.length });
    // The last error stays visible, older than the success that followed it.
    expect(state?.lastError?.at.getTime()).toBeLessThanOrEqual(state?.lastSuccessAt?.getTime() ?? 0);
  }

  it.each([
    ['a 503', { kind: 'status' as const, status: 503 }, /answered 503/],
    ['a dropped connection', { kind: 'drop' as const }, /cannot reach|cut off/],
    ['an HTML error page', { kind: 'garbage' as const, contentType: 'text/html', body: '<html><body>Bad gateway</body></html>' }, /text\/html instead of application\/taxii\+json/],
    ['text that is not JSON', { kind: 'garbage' as const, contentType: 'application/taxii+json;version=2.1', body: '{"objects": [' }, /not JSON/],
    ['an envelope whose objects is not a list', { kind: 'garbage' as const, contentType: 'application/taxii+json;version=2.1', body: '{"objects": "many"}' }, /objects is not a list/],
    ['an empty page that says there is more', { kind: 'garbage' as const, contentType: 'application/taxii+json;version=2.1', body: '{"more": true, "next": "again"}' }, /said more but sent no objects/],
    ['no answer within the timeout', { kind: 'delay' as const, ms: 1_500 }, /no answer .* within 500 ms/],
  ])('records %s as the last error, backs off, audits it once, and recovers on the next poll', async (_name, fault, message) => {
    proxy.getFaults.push(fault, fault);
    const first = await mirror.poller.pollNow('via-proxy');
    expect(first).toMatchObject({ kind: 'failed', error: expect.stringMatching(message), retryInMs: 1_000 });
    const second = await mirror.poller.pollNow('via-proxy');
    expect(second).toMatchObject({ kind: 'failed', retryInMs: 2_000 });
    const state = await mirror.storage.feedStates.find('via-proxy');
    expect(state).toMatchObject({ consecutiveFailures: 2, objectsMirrored: 0, lastError: { message: expect.stringMatching(message) } });
    expect(await mirror.storage.audit.query({ actions: ['feed.error'], limit: 10 })).toHaveLength(1);
    await expectRecovery();
  });

  it('waits at least as long as a 429\'s Retry-After', async () => {
    proxy.getFaults.push({ kind: 'status', status: 429, retryAfter: '7' });
    expect(await mirror.poller.pollNow('via-proxy')).toMatchObject({ kind: 'failed', error: expect.stringMatching(/429/), retryInMs: 7_000 });
    await expectRecovery();
  });

  it('keeps the pages stored before a failure, and resumes after them', async () => {
    // Pages of 2: the first page is stored, the second fails.
    proxy.getFaults.push({ kind: 'status', status: 502, onlyWithNext: true });
    expect((await mirror.poller.pollNow('via-proxy')).kind).toBe('failed');
    const afterFailure = await mirror.storage.feedStates.find('via-proxy');
    expect(afterFailure).toMatchObject({ objectsMirrored: 2 });
    expect(afterFailure?.cursor).toBeDefined();
    expect(await mirror.poller.pollNow('via-proxy')).toMatchObject({ kind: 'polled', stored: 3, duplicates: 0 });
  });

  it('starts over from its cursor when a remote that restarted no longer knows its next', async () => {
    proxy.getFaults.push({ kind: 'status', status: 400, onlyWithNext: true });
    expect(await mirror.poller.pollNow('via-proxy')).toMatchObject({ kind: 'polled', stored: objects.length, duplicates: 0 });
    expect(proxy.seen.filter((request) => request.url.includes('next=')).map((request) => request.answered)).toContain(400);
  });

  it('stops paging and records nothing more once another process has taken an expired lease over', async () => {
    const stalled = mirror.newPoller({ leaseMs: 1 });
    proxy.getFaults.push({ kind: 'delay', ms: 300 });
    const poll = stalled.pollNow('via-proxy');
    while (proxy.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // The stalled poller's 1 ms lease has expired: a second process takes the feed.
    expect(await mirror.storage.feedStates.claim('via-proxy', 'second-process', 60_000)).toBe(true);
    expect(await poll).toEqual({ kind: 'busy' });
    expect(proxy.seen.filter((request) => request.method === 'GET')).toHaveLength(1);
    expect((await mirror.storage.feedStates.find('via-proxy'))?.consecutiveFailures).toBe(0);
    expect(await mirror.poller.pollNow('via-proxy')).toEqual({ kind: 'busy' });
  });

  it('records a remote that is down', async () => {
    const port = await closedPort();
    const down = await openMirror('feed-down', allianceWithFeeds([feed('down', `http://127.0.0.1:${port}${REMOTE_COLLECTION}`)]), SECRETS);
    try {
      expect(await down.poller.pollNow('down')).toMatchObject({ kind: 'failed', error: expect.stringMatching(/cannot reach/) });
      expect((await down.storage.feedStates.find('down'))?.lastError?.message).toMatch(/ECONNREFUSED/);
    } finally {
      await down.close();
    }
  });

  it('records a secret that is missing as the feed\'s error, without calling the remote', async () => {
    const feeds = [feed('no-secret', `${proxy.origin}${REMOTE_COLLECTION}`, { auth: { type: 'bearer', tokenEnv: 'UNSET_TOKEN' } })];
    const broken = await openMirror('feed-no-secret', allianceWithFeeds(feeds), SECRETS);
    try {
      expect(await broken.poller.pollNow('no-secret')).toMatchObject({ kind: 'failed', error: 'feed no-secret: the environment variable UNSET_TOKEN named by its auth is not set' });
      expect(proxy.seen).toHaveLength(0);
    } finally {
      await broken.close();
    }
  });
});
