import supertest from 'supertest';
import { sealCursor, type CursorKeys } from '../../server/taxii/cursor-seal';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const known = indicator();

beforeAll(async () => {
  server = await startTestServer('bad-input');
  await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [known] });
});
afterAll(() => server.close());

/** Every bad request ends in a 4xx TAXII error resource: never a 5xx, never an HTML page. */
function expectTaxiiClientError(response: supertest.Response, status?: number): void {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  if (status !== undefined) expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
  expect(typeof response.body.error_code).toBe('string');
  expect(response.body.http_status).toBe(String(response.status));
}

const ALL = { all: true, first: false, last: false, instants: [] };
/** A cursor of our making in the old, unsigned form: base64 JSON. */
const unsigned = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A cursor sealed with the server's own keys, as if the key had leaked: its content is still checked. */
const sealed = (value: unknown) => sealCursor(Buffer.from(JSON.stringify(value)), server.context.cursorKeys);

describe('bad query strings', () => {
  it.each([
    'limit=99999999999',
    'limit=1e3',
    'added_after=2020-01-01T00:00:00.0000000001Z',
    'match[id]=',
    'match[version]=2020-13-01T00:00:00Z',
    'next=%25%25%25',
    `match[type]=${'a'.repeat(300)}`,
    `match[id]=${Array.from({ length: 1001 }, () => 'x--1').join(',')}`,
  ])('GET objects?%#', async (query) => {
    expectTaxiiClientError(await taxiiClient(server, 'de-bka').get(`${shared}/objects/?${query}`), 400);
  });
});

describe('bad cursors get 400 invalid-parameter (next is sealed: README, TAXII 2.1 behaviour)', () => {
  const otherKeys: CursorKeys = { signing: { id: 'k1', secret: Buffer.alloc(32, 7) }, verifying: [] };
  it.each<[string, () => string]>([
    ['unsigned base64 JSON, the form of earlier versions', () => unsigned({ v: 1, s: `${COLLECTION_IDS.shared}/objects/`, a: [1, 'x', 'y'], f: { versions: ALL } })],
    ['sealed with a key the server does not hold', () => sealCursor(Buffer.from(JSON.stringify({ v: 1, s: `${COLLECTION_IDS.shared}/objects/`, a: [1, 'x', 'y'], f: { versions: ALL } })), otherKeys)],
    ['sealed, with an operator as the position', () => sealed({ v: 1, s: `${COLLECTION_IDS.shared}/objects/`, a: [{ $gt: 0 }, 'x', 'y'], f: { versions: ALL } })],
    ['sealed, with an operator in the filter', () => sealed({ v: 1, s: `${COLLECTION_IDS.shared}/objects/`, a: [1, 'x', 'y'], f: { versions: ALL, types: { $ne: 'x' } } })],
    ['sealed for another collection', () => sealed({ v: 1, s: `${COLLECTION_IDS.bka}/objects/`, a: [1, 'x', 'y'], f: { versions: ALL } })],
  ])('%s', async (_label, token) => {
    const response = await taxiiClient(server, 'de-bka').get(`${shared}/objects/?next=${token()}`);
    expectTaxiiClientError(response, 400);
    expect(response.body.error_code).toBe('invalid-parameter');
  });

  it('refuses a real cursor once truncated or altered, and serves it intact', async () => {
    const client = taxiiClient(server, 'de-bka');
    await client.post(`${shared}/objects/`, { objects: [indicator(), indicator()] });
    const first = await client.get(`${shared}/objects/?limit=1`);
    expect(first.body.more).toBe(true);
    const next = String(first.body.next);
    const altered = `${next.slice(0, 10)}${next[10] === 'A' ? 'B' : 'A'}${next.slice(11)}`;
    for (const token of [next.slice(0, -2), altered, `${next}A`]) {
      const response = await client.get(`${shared}/objects/?limit=1&next=${token}`);
      expectTaxiiClientError(response, 400);
      expect(response.body.error_code).toBe('invalid-parameter');
    }
    const intact = await client.get(`${shared}/objects/?limit=1&next=${next}`);
    expect(intact.status).toBe(200);
    expect(intact.body.objects).toHaveLength(1);
  });
});

describe('bad paths', () => {
  it.each([
    [`${shared}/objects/%E0%A4%A/`, undefined],
    [`${shared}/objects/${'x'.repeat(5000)}/`, 404],
    [`${shared}/objects/indicator--..%2F..%2F/`, 404],
    [`${shared}/objects/%00/`, 404],
    ['/alliance/collections/%2e%2e/objects/', 404],
    ['/alliance/collections/../../taxii2/', 404],
    ['/alliance/status/not-a-status/', 404],
  ])('GET %s', async (path, status) => {
    expectTaxiiClientError(await taxiiClient(server, 'de-bka').get(path), status);
  });
});

describe('bad bodies', () => {
  const post = (body: string, contentType: string | null = TAXII_MEDIA_TYPE) => {
    const request = supertest(server.app).post(`${shared}/objects/`).set(server.authFor('de-bka')).set('Accept', TAXII_MEDIA_TYPE);
    return (contentType ? request.set('Content-Type', contentType) : request).send(body);
  };

  it.each([
    ['not JSON', '{objects: [}', 400],
    ['an empty body', '', 400],
    ['a JSON array', '[]', 422],
    ['a JSON string', '"objects"', 422],
    ['objects that is not a list', '{"objects": "all of them"}', 422],
    ['an empty objects list', '{"objects": []}', 422],
  ])('POST %s', async (_label, body, status) => {
    expectTaxiiClientError(await post(body), status);
  });

  it('answers 415 to a form body, the type an HTTP library picks when none is set', async () => {
    const response = await post('{"objects":[]}', null);
    expectTaxiiClientError(response, 415);
  });

  it('rejects, one by one and without a 5xx, objects built to hurt', async () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 2000; level += 1) deep = [deep];
    const hostile = [
      { ...indicator(), x_deep: deep },
      JSON.parse(`{"type":"indicator","__proto__":{"polluted":true},"id":"indicator--${String(known.id).split('--')[1]}"}`),
      { ...indicator(), x_big: 2 ** 60 },
      null,
      'indicator',
    ];
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: hostile });
    expect(response.status).toBe(202);
    expect(response.body.total_count).toBe(5);
    expect(response.body.success_count + response.body.failure_count).toBe(5);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('counts streamed bytes when a chunked body has no Content-Length (B-02)', async () => {
    const { request } = await import('node:http');
    const { listenOnFreePort } = await import('../support/live-server');
    const live = await listenOnFreePort(server.app);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const outgoing = request(
          `${live.origin}${shared}/objects/`,
          { method: 'POST', headers: { ...server.authFor('de-bka'), Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE, 'Transfer-Encoding': 'chunked' } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        outgoing.on('error', reject);
        const chunk = 'x'.repeat(64 * 1024);
        outgoing.write('{"objects":[{"description":"');
        for (let index = 0; index < 20; index += 1) outgoing.write(chunk);
        outgoing.end('"}]}');
      });
      expect(status).toBe(413);
    } finally {
      await live.close();
    }
  });
});

/**
 * One keep-alive connection at a time, so a second request goes on the first one's socket unless
 * the server said `Connection: close` (checklist B-02: a 413 on a chunked body used to reset it).
 */
describe('the connection after a 413 on a chunked body', () => {
  type Answer = { status: number; connection: string | undefined; body: string; localPort: number | undefined };

  async function exchange(
    origin: string,
    agent: import('node:http').Agent,
    options: { method: 'GET' | 'POST'; path: string; chunks?: number },
  ): Promise<Answer & { errors: string[] }> {
    const { request } = await import('node:http');
    const errors: string[] = [];
    const answer = await new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { ...server.authFor('de-bka'), Accept: TAXII_MEDIA_TYPE };
      if (options.method === 'POST') Object.assign(headers, { 'Content-Type': TAXII_MEDIA_TYPE, 'Transfer-Encoding': 'chunked' });
      const outgoing = request(`${origin}${options.path}`, { method: options.method, agent, headers }, (response) => {
        const localPort = response.socket.localPort;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body, localPort }));
      });
      outgoing.on('error', (error) => {
        errors.push(error.message);
        reject(error);
      });
      if (options.method === 'GET') {
        outgoing.end();
        return;
      }
      // 64 KiB chunks, written as fast as the socket takes them, as the outside conformance run did.
      void (async () => {
        const chunk = 'x'.repeat(64 * 1024);
        outgoing.write('{"objects":[{"description":"');
        for (let index = 0; index < (options.chunks ?? 0) && !outgoing.destroyed; index += 1) {
          if (!outgoing.write(chunk)) await new Promise((resume) => outgoing.once('drain', resume));
        }
        outgoing.end('"}]}');
      })();
    });
    // Let a late reset of the first connection, if any, reach the client before the next request.
    await new Promise((settle) => setTimeout(settle, 50));
    return { ...answer, errors };
  }

  async function withLiveServer(run: (origin: string, agent: import('node:http').Agent) => Promise<void>): Promise<void> {
    const { Agent } = await import('node:http');
    const { listenOnFreePort } = await import('../support/live-server');
    const live = await listenOnFreePort(server.app);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await run(live.origin, agent);
    } finally {
      agent.destroy();
      await live.close();
    }
  }

  it('drains a body a little over max_content_length and answers the next request on the same connection', async () => {
    await withLiveServer(async (origin, agent) => {
      // 20 × 64 KiB against the test root's 1,000,000 bytes: over the limit, within the drain bound.
      const refused = await exchange(origin, agent, { method: 'POST', path: `${shared}/objects/`, chunks: 20 });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body).error_code).toBe('payload-too-large');
      expect(refused.connection).toBe('keep-alive');
      expect(refused.errors).toEqual([]);
      const next = await exchange(origin, agent, { method: 'GET', path: `${shared}/objects/` });
      expect(next.status).toBe(200);
      expect(next.localPort).toBe(refused.localPort);
    });
  });

  it('answers Connection: close to a body far over the limit, closes without a reset, and the next request gets a new connection', async () => {
    await withLiveServer(async (origin, agent) => {
      // 100 × 64 KiB: several MiB past the limit, beyond what the server drains.
      const refused = await exchange(origin, agent, { method: 'POST', path: `${shared}/objects/`, chunks: 100 });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body).error_code).toBe('payload-too-large');
      expect(refused.connection).toBe('close');
      expect(refused.errors).toEqual([]);
      const next = await exchange(origin, agent, { method: 'GET', path: `${shared}/objects/` });
      expect(next.status).toBe(200);
      expect(next.errors).toEqual([]);
      expect(next.localPort).not.toBe(refused.localPort);
    });
  });
});

describe('bad credentials', () => {
  it.each(['Basic !!!', 'Bearer', 'Bearer tas_', `Basic ${'A'.repeat(10000)}`, 'Negotiate abc', 'Token tas_x_y'])('Authorization: %s → 401', async (header) => {
    const response = await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set('Authorization', header);
    expectTaxiiClientError(response, 401);
  });
});
