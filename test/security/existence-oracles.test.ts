import supertest from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { adminClient, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

/**
 * docs/security.md §5: what exists but is hidden from a caller must answer exactly as what does not exist.
 * The demo alliance's `de-bka-internal` API root holds only de-bka's own collection.
 */
const CASEWORK = 'b2f06cea-a7e5-4871-a9c6-49958a7e4399';

let server: AdminTestServer;
beforeAll(async () => {
  server = await startAdminTestServer('existence_oracles');
});
afterAll(() => server.close());

type Method = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete' | 'options';
const METHODS: readonly Method[] = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];
const SUFFIXES = ['', '/', '/collections/', `/collections/${CASEWORK}/`, `/collections/${CASEWORK}/objects/`, `/collections/${CASEWORK}/manifest/`, '/status/00000000-0000-4000-8000-000000000000/', '/no/such/thing/'];
const HEADERS: readonly (readonly [string, Record<string, string>])[] = [
  ['TAXII headers', { Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE }],
  ['no Accept header', {}],
  ['a wrong Accept and Content-Type', { Accept: 'text/html', 'Content-Type': 'text/plain' }],
];

/** Everything a client can observe, but the error_id that is fresh on every answer. */
async function observe(method: Method, path: string, headers: Record<string, string>, username: string) {
  let request = supertest(server.app)[method](path).set(server.auth(username)).set(headers);
  if (method === 'post' || method === 'put' || method === 'patch') request = request.send('{"objects":[{"type":"indicator"}]}');
  const response = await request;
  const body: Record<string, unknown> = { ...(response.body as Record<string, unknown>) };
  delete body.error_id;
  return { status: response.status, type: response.headers['content-type'], allow: response.headers.allow, body };
}

describe('a hidden API root answers exactly as an absent one (docs/security.md §5)', () => {
  const cases = METHODS.flatMap((method) => SUFFIXES.flatMap((suffix) => HEADERS.map(([label, headers]) => [method.toUpperCase(), suffix, label, headers] as const)));

  it.each(cases)('%s /de-bka-internal%s with %s', async (method, suffix, _label, headers) => {
    const hidden = await observe(method.toLowerCase() as Method, `/de-bka-internal${suffix}`, headers, 'analyst@gb-nca');
    const absent = await observe(method.toLowerCase() as Method, `/no-such-root${suffix}`, headers, 'analyst@gb-nca');
    expect(hidden).toEqual(absent);
    expect(hidden.status).toBe(404);
  });

  it('still serves the root to its owner', async () => {
    const response = await supertest(server.app).get('/de-bka-internal/').set(server.auth('analyst@de-bka')).set('Accept', TAXII_MEDIA_TYPE);
    expect(response.status).toBe(200);
    expect(response.body.title).toBe('BKA internal casework');
    const options = await supertest(server.app).options('/de-bka-internal/').set(server.auth('analyst@de-bka'));
    expect(options.status).toBe(405);
  });
});

describe('an org-admin cannot learn which usernames other organisations hold (docs/security.md §5)', () => {
  const body = (username: string) => ({ username, organisation: 'de-bka', role: 'member', password: 'a brand new long password' });

  async function refusal(username: string) {
    const response = await adminClient(server, 'lead@de-bka').post('/admin/users', body(username));
    const rest: Record<string, unknown> = { ...(response.body as Record<string, unknown>) };
    delete rest.error_id;
    return { status: response.status, body: JSON.parse(JSON.stringify(rest).split(username).join('<name>')) as unknown };
  }

  it.each(['analyst@gb-nca', 'lead@europol', 'operator@europol'])('answers for %s, which exists elsewhere, as for a name nobody holds', async (taken) => {
    const existing = await refusal(taken);
    const unheld = await refusal(taken.replace(/^[^@]+/, 'nobody-at-all'));
    expect(existing).toEqual(unheld);
    expect(existing.status).toBe(403);
  });

  it('creates a name in its own organisation\'s namespace, and gives a clear 409 for one its organisation already holds', async () => {
    expect((await adminClient(server, 'lead@de-bka').post('/admin/users', body('fresh@de-bka'))).status).toBe(201);
    const again = await adminClient(server, 'lead@de-bka').post('/admin/users', body('fresh@de-bka'));
    expect(again.status).toBe(409);
    expect(again.body.error_code).toBe('conflict');
  });

  it('still gives an alliance-admin a clear 409 for a name another organisation holds', async () => {
    const response = await adminClient(server, 'operator@europol').post('/admin/users', { ...body('analyst@gb-nca'), organisation: 'gb-nca' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ error_code: 'conflict', description: "user 'analyst@gb-nca' already exists" });
  });
});
