import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AllianceConfig, PushTarget } from '../../server/config/types';
import { DEFAULT_PUSH_TIMINGS, type PushTimings } from '../../server/federation/push-scheduler';
import type { PushTargetKey } from '../../server/storage/push-outbox';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { startFaultProxy, type FaultProxy, type PostFault } from '../support/fault-proxy';
import { listenOnFreePort, type LiveServer } from '../support/live-server';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

const ORIGIN_COLLECTION = COLLECTION_IDS.shared;
const OBJECTS = `/alliance/collections/${ORIGIN_COLLECTION}/objects/`;
/** TLP 2.0 marking definition ids (server/stix/markings.ts). */
const TLP = { green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421' };

/** Fast enough for a test, with the production shape: back-off from 100 ms, Retry-After obeyed. */
const TEST_TIMINGS: PushTimings = {
  ...DEFAULT_PUSH_TIMINGS,
  tickMs: 20,
  requestTimeoutMs: 1_000,
  backoff: { baseDelayMs: 100, maxDelayMs: 400, maxRetryAfterMs: 2_000 },
  round: { ...DEFAULT_PUSH_TIMINGS.round, pageSize: 50, statusFirstDelayMs: 20, statusWaitMs: 5_000 },
};

/** Polls until `condition` holds; the limit is a safety net against a hang, not a performance figure. */
async function eventually<T>(read: () => Promise<T>, condition: (value: T) => boolean, limitMs = 45_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (condition(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Pair {
  origin: TestServer;
  remote: TestServer;
  remoteLive: LiveServer;
  proxy: FaultProxy;
  key: PushTargetKey;
  secretDir: string;
  close(): Promise<void>;
}

/** The remote: our own server, behind a fault proxy, its shared collection taking the push. */
async function startPair(label: string, options: { faults?: PostFault[]; remoteConfig?: AllianceConfig; remoteCollection?: string } = {}): Promise<Pair> {
  const remote = await startTestServer(`${label}-remote`, options.remoteConfig ?? testAlliance());
  const remoteLive = await listenOnFreePort(remote.app);
  const proxy = await startFaultProxy(remoteLive.origin, options.faults ?? []);
  const secretDir = mkdtempSync(join(tmpdir(), 'taxii-push-secret-'));
  const passwordFile = join(secretDir, 'password');
  writeFileSync(passwordFile, `${TEST_PASSWORD}\n`);
  const target: PushTarget = {
    collectionUrl: `${proxy.origin}/alliance/collections/${options.remoteCollection ?? COLLECTION_IDS.shared}/`,
    credentials: { kind: 'basic', username: 'analyst@europol', password: { file: passwordFile } },
    intervalSeconds: 0.1,
  };
  const config = testAlliance();
  config.collections = config.collections.map((collection) => (collection.id === ORIGIN_COLLECTION ? { ...collection, push: [target] } : collection));
  const origin = await startTestServer(`${label}-origin`, config, { pushTimings: TEST_TIMINGS });
  return {
    origin,
    remote,
    remoteLive,
    proxy,
    key: { collectionId: ORIGIN_COLLECTION, remoteUrl: target.collectionUrl },
    secretDir,
    async close() {
      await origin.close();
      await proxy.close();
      await remoteLive.close();
      await remote.close();
      rmSync(secretDir, { recursive: true, force: true });
    },
  };
}

async function remoteIds(remote: TestServer, collectionId: string = COLLECTION_IDS.shared): Promise<Set<string>> {
  const page = await remote.context.objects.page({ collectionId, filter: { versions: ALL_VERSIONS }, limit: 100_000, withContent: false });
  return new Set(page.records.map((record) => record.id));
}

async function publish(origin: TestServer, objects: Record<string, unknown>[]): Promise<void> {
  const answer = await taxiiClient(origin, 'europol').post(OBJECTS, { objects });
  expect(answer.status).toBe(202);
  expect(answer.body).toMatchObject({ status: 'complete', success_count: objects.length });
}

describe('downstream push to a second instance of our own server', () => {
  it('forwards what is published to A into B, moves the cursor to the newest version and audits the push', async () => {
    const pair = await startPair('push-basic');
    try {
      const objects = Array.from({ length: 30 }, () => indicator());
      await publish(pair.origin, objects);
      const held = await eventually(() => remoteIds(pair.remote), (ids) => ids.size === objects.length);
      expect([...held].sort()).toEqual(objects.map((object) => String(object.id)).sort());

      const newest = await pair.origin.context.objects.latestDateAdded([ORIGIN_COLLECTION]);
      const state = await eventually(() => pair.origin.runtime.storage.pushOutbox.state(pair.key), (value) => value?.cursor === newest);
      expect(state).toMatchObject({ cursor: newest, sentCount: 30, refusedCount: 0, consecutiveErrors: 0 });
      const audit = await pair.origin.context.audit.query({ actions: ['objects.push'], collectionIds: [ORIGIN_COLLECTION], limit: 100 });
      expect(new Set(audit.flatMap((record) => record.objectIds ?? []))).toEqual(new Set(objects.map((object) => String(object.id))));
      expect(audit[0]?.details).toMatchObject({ remote: pair.key.remoteUrl });
    } finally {
      await pair.close();
    }
  });

  it('cuts envelopes to the remote\'s max_content_length and records an object no envelope can carry as refused', async () => {
    const small = testAlliance();
    small.apiRoots = small.apiRoots.map((root) => ({ ...root, maxContentLength: 4_000 }));
    const pair = await startPair('push-envelopes', { remoteConfig: small });
    try {
      const objects = Array.from({ length: 40 }, () => indicator());
      const huge = indicator({ description: 'x'.repeat(5_000) });
      await publish(pair.origin, [...objects.slice(0, 20), huge, ...objects.slice(20)]);
      const state = await eventually(() => pair.origin.runtime.storage.pushOutbox.state(pair.key), (value) => (value?.sentCount ?? 0) + (value?.refusedCount ?? 0) >= 41);
      expect(state).toMatchObject({ sentCount: 40, refusedCount: 1 });
      expect([...(await remoteIds(pair.remote))].sort()).toEqual(objects.map((object) => String(object.id)).sort());

      const posts = pair.proxy.seen.filter((request) => request.method === 'POST');
      const totalBytes = posts.reduce((sum, post) => sum + post.bytes, 0);
      expect(posts.length).toBeGreaterThanOrEqual(Math.ceil(totalBytes / 4_000));
      expect(posts.length).toBeGreaterThan(1);
      for (const post of posts) expect(post.bytes).toBeLessThanOrEqual(4_000);
      const [refusal] = await pair.origin.runtime.storage.pushOutbox.refusals(pair.key, 10);
      expect(refusal).toMatchObject({ id: huge.id, reason: expect.stringMatching(/larger than the remote's max_content_length \(4000\)/) });
    } finally {
      await pair.close();
    }
  });

  it('records what the remote refuses in its status (here its TLP ceiling) and does not send it again', async () => {
    const pair = await startPair('push-refused', { remoteCollection: COLLECTION_IDS.greenCeiling });
    try {
      const green = Array.from({ length: 5 }, () => indicator({ object_marking_refs: [TLP.green] }));
      const amber = indicator({ object_marking_refs: [TLP.amber] });
      await publish(pair.origin, [...green, amber]);
      const state = await eventually(() => pair.origin.runtime.storage.pushOutbox.state(pair.key), (value) => (value?.sentCount ?? 0) + (value?.refusedCount ?? 0) >= 6);
      expect(state).toMatchObject({ sentCount: 5, refusedCount: 1 });
      const [refusal] = await pair.origin.runtime.storage.pushOutbox.refusals(pair.key, 10);
      expect(refusal).toMatchObject({ id: amber.id, reason: expect.stringMatching(/^the remote refused it: .*TLP/i) });
      expect([...(await remoteIds(pair.remote, COLLECTION_IDS.greenCeiling))].sort()).toEqual(green.map((object) => String(object.id)).sort());
      // Later rounds find nothing new: the refused version is behind the cursor, not retried.
      const postsSoFar = pair.proxy.seen.filter((request) => request.method === 'POST').length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(pair.proxy.seen.filter((request) => request.method === 'POST').length).toBe(postsSoFar);
    } finally {
      await pair.close();
    }
  });

  it('backs off through 503, a dropped connection, 429 with Retry-After, garbage and a slow answer, and ends with every object', async () => {
    const faults: PostFault[] = [
      { kind: 'status', status: 503 },
      { kind: 'drop' },
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'garbage' },
      { kind: 'delay', ms: 1_500 },
    ];
    const pair = await startPair('push-faults', { faults });
    const errors: string[] = [];
    try {
      const objects = Array.from({ length: 20 }, () => indicator());
      await publish(pair.origin, objects);
      // Each failed round is recorded in the state before the next one runs.
      await eventually(async () => {
        const state = await pair.origin.runtime.storage.pushOutbox.state(pair.key);
        if (state?.lastError && !errors.includes(state.lastError)) errors.push(state.lastError);
        return state;
      }, (state) => state?.consecutiveErrors === 0 && state.sentCount >= objects.length);
      expect([...(await remoteIds(pair.remote))].sort()).toEqual(objects.map((object) => String(object.id)).sort());
      const state = await pair.origin.runtime.storage.pushOutbox.state(pair.key);
      expect(state).toMatchObject({ consecutiveErrors: 0, refusedCount: 0 });
      expect(state?.lastError).toBeDefined();
      const answered = pair.proxy.seen.filter((request) => request.method === 'POST').map((request) => request.answered);
      expect(answered.slice(0, 4)).toEqual([503, 0, 429, 200]);
      expect(answered.length).toBeGreaterThanOrEqual(6);
      // The 429's Retry-After of 1 s was obeyed before the next POST.
      expect(errors.some((message) => /HTTP 429/.test(message))).toBe(true);
    } finally {
      await pair.close();
    }
  });

  it('records a remote that is down as the target\'s last error and keeps the cursor', async () => {
    const pair = await startPair('push-down');
    await pair.proxy.close();
    try {
      await publish(pair.origin, [indicator()]);
      const state = await eventually(() => pair.origin.runtime.storage.pushOutbox.state(pair.key), (value) => (value?.consecutiveErrors ?? 0) >= 2);
      expect(state).toMatchObject({ cursor: 0, sentCount: 0 });
      expect(state?.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      await pair.close();
    }
  });
});
