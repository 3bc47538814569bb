import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../../server/auth/credentials';
import { createListener } from '../../../server/listener';
import { COLLECTION_IDS, testAlliance } from '../../support/alliance';
import { startFaultProxy } from '../../support/fault-proxy';
import { listenOnFreePort, type LiveServer } from '../../support/live-server';
import { runPublishCli } from '../../support/publish-cli';
import { indicator, malware } from '../../support/stix-samples';
import { startTestServer, taxiiClient, TEST_PASSWORD, type TestServer } from '../../support/taxii-app';

// The real app on a loopback port, and `npm run publish` as a child process against it. The alliance
// root's max_content_length is set low so that a few hundred small objects need several envelopes.
const MAX_CONTENT_LENGTH = 20_000;
const TLP_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

let server: TestServer;
let live: LiveServer;
let directory: string;

beforeAll(async () => {
  const config = testAlliance();
  config.apiRoots = config.apiRoots.map((root) => (root.path === 'alliance' ? { ...root, maxContentLength: MAX_CONTENT_LENGTH } : root));
  server = await startTestServer('publish_cli', config);
  live = await listenOnFreePort(server.app);
  directory = await mkdtemp(join(tmpdir(), 'taxii-publish-'));
});
afterAll(async () => {
  await live.close();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

function bundle(objects: unknown[]): string {
  return JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects }, null, 2);
}

/** `npm run publish` as analyst@<organisation>, password on stdin, against the live server's discovery URL. */
function publishAs(organisation: string, args: string[], origin = live.origin) {
  return runPublishCli([...args, '--url', `${origin}/taxii2/`, '--user', `analyst@${organisation}`, '--password-stdin', '--progress-interval', '1'], { stdin: `${TEST_PASSWORD}\n` });
}

/** The ids of a collection that `organisation` can read through TAXII, all pages. */
async function storedIds(organisation: string, collectionId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let next: string | undefined;
  do {
    const response = await taxiiClient(server, organisation).get(`/alliance/collections/${collectionId}/objects/?limit=500${next ? `&next=${next}` : ''}`);
    expect(response.status).toBe(200);
    for (const object of (response.body.objects ?? []) as { id: string }[]) ids.add(object.id);
    next = response.body.more ? String(response.body.next) : undefined;
  } while (next);
  return ids;
}

function summary(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of stdout.matchAll(/^(total|success|failure|pending|not sent): +(\d+)$/gm)) counts[match[1] ?? ''] = Number(match[2]);
  return counts;
}

describe('npm run publish against a live TAXII server', () => {
  const many = Array.from({ length: 200 }, (_, index) => indicator({ name: `Phishing domain ${index} ${'x'.repeat(300)}` }));

  it('stores the valid objects of a bundle, lists the invalid one with its reason and exits 1', async () => {
    const good = [indicator(), malware(), indicator()];
    const bad = indicator({ pattern: 'this is not a STIX pattern' });
    const path = await file('one-invalid.json', bundle([good[0], bad, ...good.slice(1)]));
    const run = await publishAs('de-bka', [path, '--collection', COLLECTION_IDS.shared]);
    expect(run.code).toBe(1);
    expect(summary(run.stdout)).toEqual({ total: 4, success: 3, failure: 1, pending: 0 });
    expect(run.stdout).toMatch(new RegExp(`^failed: ${bad.id as string} \\(2024-03-01T10:00:00.000Z\\): .*pattern`, 'm'));
    expect(run.stdout.match(/^failed: /gm)).toHaveLength(1);
    const stored = await storedIds('de-bka', COLLECTION_IDS.shared);
    for (const object of good) expect(stored).toContain(object.id);
    expect(stored).not.toContain(bad.id);
    // Progress goes to stderr as plain lines, since stderr is not a terminal here.
    expect(run.stderr).toMatch(/^publish: 4\/4 objects sent \(100%\), \d+ objects\/s.*; 3 succeeded, 1 failed, 0 pending$/m);
  });

  it('splits a bundle larger than max_content_length into envelopes under it, each posted once', async () => {
    const path = await file('many.json', bundle(many));
    expect((await readFile(path)).length).toBeGreaterThan(5 * MAX_CONTENT_LENGTH);
    const proxy = await startFaultProxy(live.origin);
    try {
      const run = await publishAs('gb-nca', [path, '--collection', COLLECTION_IDS.greenCeiling], proxy.origin);
      expect(run.code).toBe(0);
      expect(summary(run.stdout)).toEqual({ total: 200, success: 200, failure: 0, pending: 0 });
      const posts = proxy.seen.filter((request) => request.method === 'POST');
      expect(posts.length).toBeGreaterThanOrEqual(6);
      expect(run.stdout).toContain(`${posts.length} envelopes of at most 1000 objects and ${MAX_CONTENT_LENGTH} bytes`);
      for (const post of posts) {
        expect(post.url).toBe(`/alliance/collections/${COLLECTION_IDS.greenCeiling}/objects/`);
        expect(post.bytes).toBeLessThanOrEqual(MAX_CONTENT_LENGTH);
        expect(post.answered).toBe(202);
      }
      // Envelopes are filled before a new one starts: all but the last are close to the limit.
      for (const post of posts.slice(0, -1)) expect(post.bytes).toBeGreaterThan(MAX_CONTENT_LENGTH - 1000);
    } finally {
      await proxy.close();
    }
    const stored = await storedIds('gb-nca', COLLECTION_IDS.greenCeiling);
    for (const object of many) expect(stored).toContain(object.id);
  });

  it('is safe to re-run: objects already stored are duplicates, which succeed (exit 0)', async () => {
    const path = join(directory, 'many.json');
    const run = await publishAs('gb-nca', [path, '--collection', COLLECTION_IDS.greenCeiling, '--concurrency', '4']);
    expect(run.code).toBe(0);
    expect(summary(run.stdout)).toEqual({ total: 200, success: 200, failure: 0, pending: 0 });
    expect(run.stdout).toMatch(/^ {2}200 × This version is already held; nothing changed\.$/m);
  });

  it('reads JSON lines from standard input, with an API token', async () => {
    const issued = issueToken();
    await server.credentials.addToken({ tokenId: issued.tokenId, username: 'analyst@europol', secretHash: issued.secretHash, createdAt: new Date(), label: 'publish test' });
    const lines = [indicator(), malware(), indicator()];
    const run = await runPublishCli(['-', '--collection', COLLECTION_IDS.shared, '--url', `${live.origin}/taxii2/`, '--token', issued.token], { stdin: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n` });
    expect(run).toMatchObject({ code: 0 });
    expect(summary(run.stdout)).toEqual({ total: 3, success: 3, failure: 0, pending: 0 });
    // Standard input cannot be read twice, so there was no count and no percentage.
    expect(run.stderr).toMatch(/^publish: 3 objects sent, \d+ objects\/s; 3 succeeded, 0 failed, 0 pending$/m);
    const stored = await storedIds('europol', COLLECTION_IDS.shared);
    for (const object of lines) expect(stored).toContain(object.id);
  });

  it('finds a collection by alias, and by title through the collections list from an API root URL', async () => {
    const marked = [indicator({ object_marking_refs: [TLP_AMBER] }), malware({ object_marking_refs: [TLP_AMBER] })];
    const byAlias = await publishAs('europol', [await file('marked.jsonl', marked.map((object) => JSON.stringify(object)).join('\n')), '--collection', 'bka-indicators']);
    expect(byAlias.code).toBe(0);
    expect(byAlias.stdout).toContain(`Published to "BKA indicators" (${COLLECTION_IDS.bka}, alias bka-indicators)`);
    const stored = await storedIds('de-bka', COLLECTION_IDS.bka);
    for (const object of marked) expect(stored).toContain(object.id);

    const object = indicator();
    const byTitle = await runPublishCli(
      [await file('titled.json', JSON.stringify([object])), '--collection', 'alliance shared', '--url', `${live.origin}/alliance`, '--user', 'analyst@acme-sec', '--password-stdin'],
      { stdin: TEST_PASSWORD },
    );
    expect(byTitle.code).toBe(0);
    expect(byTitle.stdout).toContain(`Published to "Alliance shared" (${COLLECTION_IDS.shared}) at ${live.origin}/alliance/`);
    expect(await storedIds('acme-sec', COLLECTION_IDS.shared)).toContain(object.id);
  });

  it('writes failures to --failures as JSON lines instead of listing them', async () => {
    const bad = [indicator({ pattern_type: undefined }), { type: 'indicator', spec_version: '2.1' }, 'not an object'];
    const failures = join(directory, 'failures.jsonl');
    const run = await publishAs('de-bka', [await file('bad.json', JSON.stringify(bad)), '--collection', COLLECTION_IDS.shared, '--failures', failures]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/^failed:/m);
    expect(run.stdout).toContain(`Failed objects written to ${failures}`);
    const written = (await readFile(failures, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { id: string; message: string });
    expect(written).toHaveLength(3);
    // The two that are not STIX objects at all never left the machine; they are named by their place in the input.
    expect(written).toEqual(expect.arrayContaining([
      { id: expect.stringMatching(/bad\.json#2$/), message: 'not a STIX object: it is not a JSON object with an id' },
      { id: expect.stringMatching(/bad\.json#3$/), message: 'not a STIX object: it is not a JSON object with an id' },
      expect.objectContaining({ id: bad[0] && (bad[0] as { id: string }).id, message: expect.stringMatching(/pattern_type/) }),
    ]));
  });

  it('refuses wrong credentials with a clear message and exit 2, having sent nothing', async () => {
    const object = indicator();
    const run = await runPublishCli(
      [await file('unsent.json', JSON.stringify([object])), '--collection', COLLECTION_IDS.shared, '--url', `${live.origin}/taxii2/`, '--user', 'analyst@de-bka', '--password-stdin'],
      { stdin: 'not the password' },
    );
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`error: authentication failed (HTTP 401) at ${live.origin}: check --user and the password given on stdin, or --token\n`);
    expect(await storedIds('de-bka', COLLECTION_IDS.shared)).not.toContain(object.id);
  });

  it.each([
    ['an unknown collection, naming the ones it can see', 'gb-nca', 'no-such-collection', /^error: no collection 'no-such-collection' at .*; collections these credentials can see: .*bka-indicators \(1f0c3c4e/],
    ['a collection it may only read', 'gb-nca', 'bka-indicators', /^error: these credentials may not write to collection "BKA indicators" .*\(can_write is false\)$/m],
  ])('stops with exit 2 on %s', async (_case, organisation, collection, message) => {
    const run = await publishAs(organisation, [await file('any.json', JSON.stringify([indicator()])), '--collection', collection]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('stops on a truncated file before sending anything', async () => {
    const objects = [indicator(), indicator(), indicator()];
    const text = bundle(objects);
    const run = await publishAs('de-bka', [await file('truncated.json', text.slice(0, text.length - 100)), '--collection', COLLECTION_IDS.shared]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/truncated\.json: the input ends inside a JSON value: is the file complete\? \(at character \d+\)/);
    const stored = await storedIds('de-bka', COLLECTION_IDS.shared);
    for (const object of objects) expect(stored).not.toContain(object.id);

    // Without the counting pass the cut is found while reading: the objects read so far are reported as not sent.
    const uncounted = await publishAs('de-bka', [join(directory, 'truncated.json'), '--collection', COLLECTION_IDS.shared, '--no-count']);
    expect(uncounted.code).toBe(2);
    expect(uncounted.stderr).toMatch(/^error: .*truncated\.json: the input ends inside a JSON value/m);
    expect(summary(uncounted.stdout)).toEqual({ total: 2, success: 0, failure: 0, pending: 0, 'not sent': 2 });
  });

  it('retries a 503 with Retry-After and a dropped connection, then follows a pending status until it is complete', async () => {
    const objects = [indicator(), indicator()];
    const proxy = await startFaultProxy(live.origin, [{ kind: 'status', status: 503, retryAfter: '1' }, { kind: 'drop' }, { kind: 'pending' }]);
    try {
      const run = await publishAs('de-bka', [await file('retried.json', bundle(objects)), '--collection', COLLECTION_IDS.shared], proxy.origin);
      expect(run.code).toBe(0);
      expect(summary(run.stdout)).toEqual({ total: 2, success: 2, failure: 0, pending: 0 });
      expect(run.stderr).toMatch(/envelope 1 \(2 objects, \d+ bytes\): HTTP 503; retrying in 1\.0 s \(retry 1 of 6\)/);
      expect(run.stderr).toMatch(/envelope 1 .*: .*(socket hang up|ECONNRESET).*; retrying in [\d.]+ s \(retry 2 of 6\)/);
      const posts = proxy.seen.filter((request) => request.method === 'POST');
      expect(posts.map((post) => post.answered)).toEqual([503, 0, 202]);
      // The third answer said "pending": the client asked the status resource for the outcome.
      expect(proxy.seen.some((request) => request.method === 'GET' && /^\/alliance\/status\/[\w-]+\/$/.test(request.url))).toBe(true);
    } finally {
      await proxy.close();
    }
    const stored = await storedIds('de-bka', COLLECTION_IDS.shared);
    for (const object of objects) expect(stored).toContain(object.id);
  });

  it('publishes over https with --ca, and says how to fix a certificate it cannot verify', async () => {
    const cert = join(directory, 'cert.pem');
    const key = join(directory, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const listener = createListener({ tlsCertFile: cert, tlsKeyFile: key }, server.app);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const object = indicator();
      const path = await file('tls.json', JSON.stringify([object]));
      const untrusted = await publishAs('de-bka', [path, '--collection', COLLECTION_IDS.shared], origin);
      expect(untrusted.code).toBe(2);
      expect(untrusted.stderr).toMatch(/^error: .*TLS: self[- ]signed certificate.* at https:\/\/127\.0\.0\.1:\d+; if the server's certificate comes from a private CA, give that CA with --ca FILE$/m);
      const trusted = await publishAs('de-bka', [path, '--collection', COLLECTION_IDS.shared, '--ca', cert], origin);
      expect(trusted.code).toBe(0);
      expect(await storedIds('de-bka', COLLECTION_IDS.shared)).toContain(object.id);
    } finally {
      await new Promise<void>((resolve) => {
        listener.closeAllConnections();
        listener.close(() => resolve());
      });
    }
  });
});
