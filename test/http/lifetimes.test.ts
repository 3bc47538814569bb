import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../server/app';
import { hashPassword } from '../../server/auth/credentials';
import { createRuntime, type Runtime } from '../../server/bootstrap';
import { loadCursorKeys } from '../../server/config/cursor-keys';
import { silentLogger } from '../../server/logging';
import type { CursorKeys } from '../../server/taxii/cursor-seal';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { openTestStorage, type TestStorage } from '../support/storage';
import { indicator } from '../support/stix-samples';

const HOUR = 3600 * 1000;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const auth = { Authorization: `Basic ${Buffer.from('analyst@de-bka:correct horse battery staple').toString('base64')}` };

let database: TestStorage;
let dataDir: string;

/** One server process's worth of state over the shared database: what a restart builds anew. */
async function startServer(keys: CursorKeys): Promise<{ app: Express; runtime: Runtime }> {
  const runtime = await createRuntime(database, testAlliance(), undefined, keys);
  const app = createApp({ context: runtime.context, credentials: database.credentials, logger: silentLogger() });
  return { app, runtime };
}

const get = (app: Express, path: string) => supertest(app).get(path).set(auth).set('Accept', TAXII_MEDIA_TYPE);
const post = (app: Express, path: string, body: unknown) =>
  supertest(app).post(path).set(auth).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE).send(JSON.stringify(body));

beforeAll(async () => {
  database = await openTestStorage('lifetimes');
  dataDir = mkdtempSync(join(tmpdir(), 'taxii-data-'));
  await startServer(loadCursorKeys({ dataDir }));
  const passwordHash = await hashPassword('correct horse battery staple', { cost: 2 ** 10, blockSize: 8, parallelization: 1 });
  await database.credentials.addUser({ username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', passwordHash, disabled: false, createdAt: new Date() });
});
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a next cursor survives a server restart (TAXII 2.1 §3.5)', () => {
  it('pages on a new server instance, over the same database and the key file in DATA_DIR, from where the old one stopped', async () => {
    const before = await startServer(loadCursorKeys({ dataDir }));
    const objects = [indicator(), indicator(), indicator()];
    expect((await post(before.app, `${shared}/objects/`, { objects })).status).toBe(202);
    const query = `match[id]=${objects.map((object) => object.id).join(',')}&limit=1`;
    const page1 = await get(before.app, `${shared}/objects/?${query}`);
    expect(page1.body.more).toBe(true);
    const next = String(page1.body.next);
    const page2Before = await get(before.app, `${shared}/objects/?limit=1&next=${next}`);

    // The restart: a new runtime and app, the key read back from the file the first one created.
    const after = await startServer(loadCursorKeys({ dataDir }));
    const page2 = await get(after.app, `${shared}/objects/?limit=1&next=${next}`);
    expect(page2.status).toBe(200);
    expect(page2.body).toEqual(page2Before.body);
    const page3 = await get(after.app, `${shared}/objects/?limit=1&next=${String(page2.body.next)}`);
    expect(page3.body.more).toBe(false);
    const seen = [page1, page2, page3].flatMap((page) => (page.body.objects as { id: string }[]).map((object) => object.id));
    expect(seen.sort()).toEqual(objects.map((object) => String(object.id)).sort());
  });

  it('refuses that cursor on a server with another key, with 400 invalid-parameter', async () => {
    const first = await startServer(loadCursorKeys({ dataDir }));
    await post(first.app, `${shared}/objects/`, { objects: [indicator(), indicator()] });
    const page1 = await get(first.app, `${shared}/objects/?limit=1`);
    const otherDir = mkdtempSync(join(tmpdir(), 'taxii-other-'));
    try {
      const stranger = await startServer(loadCursorKeys({ dataDir: otherDir }));
      const refused = await get(stranger.app, `${shared}/objects/?limit=1&next=${String(page1.body.next)}`);
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
      expect(refused.body.error_code).toBe('invalid-parameter');
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe('a status is kept for its documented lifetime of 48 hours', () => {
  it('expires 48 hours after the POST, is readable before then and gone once pruned after', async () => {
    const { app, runtime } = await startServer(loadCursorKeys({ dataDir }));
    const postedAt = Date.now();
    const posted = await post(app, `${shared}/objects/`, { objects: [indicator()] });
    const answeredAt = Date.now();
    const id = String(posted.body.id);
    const record = await runtime.context.statuses.find('alliance', id);
    expect(record?.expiresAt.getTime()).toBeGreaterThanOrEqual(postedAt + 48 * HOUR);
    expect(record?.expiresAt.getTime()).toBeLessThanOrEqual(answeredAt + 48 * HOUR);

    // Prune as the hourly job would a minute before the 48 hours are up: the status stays.
    await runtime.context.statuses.pruneExpired(new Date(postedAt + 48 * HOUR - 60_000));
    const kept = await get(app, `/alliance/status/${id}/`);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ id, status: 'complete', total_count: 1, success_count: 1 });

    // And once they are up: it is gone.
    await runtime.context.statuses.pruneExpired(new Date(answeredAt + 48 * HOUR + 1));
    const gone = await get(app, `/alliance/status/${id}/`);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(gone.body.error_code).toBe('status-not-found');
  });

  it('hides a status past its expiry even before the prune job has removed it', async () => {
    const { app, runtime } = await startServer(loadCursorKeys({ dataDir }));
    const posted = await post(app, `${shared}/objects/`, { objects: [indicator()] });
    const id = String(posted.body.id);
    expect((await get(app, `/alliance/status/${id}/`)).status).toBe(200);
    const record = await runtime.context.statuses.find('alliance', id);
    if (!record) throw new Error('the status was not stored');
    await runtime.context.statuses.save({ ...record, expiresAt: new Date(Date.now() - 1000) });
    const expired = await get(app, `/alliance/status/${id}/`);
    expect(expired.status).toBe(404);
    expect(expired.body.error_code).toBe('status-not-found');
  });
});
