import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator, ipv4, malware } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('objects');
});
afterAll(() => server.close());

const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('POST and GET objects', () => {
  it('accepts an envelope with 202 and a complete status, then serves the objects as posted (A-01, O-05)', async () => {
    const client = taxiiClient(server, 'de-bka');
    const objects = [indicator({ x_custom_note: 'kept as is' }), malware(), ipv4('198.51.100.7')];
    const posted = await client.post(`${shared}/objects/`, { objects });
    expect(posted.status).toBe(202);
    expect(posted.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(posted.body).toMatchObject({ status: 'complete', total_count: 3, success_count: 3, failure_count: 0, pending_count: 0 });
    expect(posted.body.successes.map((s: { id: string }) => s.id)).toEqual(objects.map((o) => o.id));

    const ids = objects.map((o) => o.id).join(',');
    const read = await client.get(`${shared}/objects/?match[id]=${ids}`);
    expect(read.status).toBe(200);
    expect(read.headers['x-taxii-date-added-first']).toMatch(TIMESTAMP);
    expect(read.headers['x-taxii-date-added-last']).toMatch(TIMESTAMP);
    expect(read.body.more).toBe(false);
    expect(read.text).toContain(JSON.stringify(objects[0]));
    expect(read.body.objects).toEqual(objects);
  });

  it('accepts a STIX bundle as the body (A-03)', async () => {
    const object = indicator();
    const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { type: 'bundle', id: 'bundle--0e1c5a3e-6a1f-4c59-a9a4-0f6c61f1b1a1', objects: [object] });
    expect(posted.status).toBe(202);
    expect(posted.body.success_count).toBe(1);
  });

  it('rejects invalid objects one by one with reasons, keeping the valid ones (A-07)', async () => {
    const good = indicator();
    const bad = indicator({ modified: '2020-01-01T00:00:00Z' });
    const notAnObject = 42;
    const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [good, bad, notAnObject] });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ total_count: 3, success_count: 1, failure_count: 2 });
    const failure = posted.body.failures.find((f: { id: string }) => f.id === bad.id);
    expect(failure.version).toBe('2020-01-01T00:00:00Z');
    expect(failure.message).toMatch(/modified/);
    const status = await taxiiClient(server, 'de-bka').get(`/alliance/status/${posted.body.id}/`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual(posted.body);
  });

  it('treats a version already held as a success and keeps the first copy (A-04, Y-03)', async () => {
    const client = taxiiClient(server, 'de-bka');
    const original = indicator();
    await client.post(`${shared}/objects/`, { objects: [original] });
    const changed = { ...original, name: 'rewritten' };
    const again = await client.post(`${shared}/objects/`, { objects: [changed] });
    expect(again.body.success_count).toBe(1);
    expect(again.body.successes[0].message).toMatch(/first copy is kept/);
    const read = await client.get(`${shared}/objects/${original.id}/`);
    expect(read.body.objects).toEqual([original]);
    const manifest = await client.get(`${shared}/manifest/?match[id]=${original.id}&match[version]=all`);
    expect(manifest.body.objects).toHaveLength(1);
  });

  it('gives every version its own strictly increasing date_added (P-11, Y-02)', async () => {
    const client = taxiiClient(server, 'de-bka');
    const first = indicator();
    const versions = [first, { ...first, modified: '2024-03-02T10:00:00.000Z' }, { ...first, modified: '2024-03-03T10:00:00.000001Z' }];
    await client.post(`${shared}/objects/`, { objects: versions });
    const manifest = await client.get(`${shared}/manifest/?match[id]=${first.id}&match[version]=all`);
    const added = manifest.body.objects.map((record: { date_added: string }) => record.date_added);
    expect(added).toHaveLength(3);
    expect([...added].sort()).toEqual(added);
    expect(new Set(added).size).toBe(3);
    for (const value of added) expect(value).toMatch(TIMESTAMP);
  });

  it('answers 415 to a body that is not TAXII 2.1 and 400 to malformed JSON (N-06)', async () => {
    const auth = server.authFor('de-bka');
    const { default: supertest } = await import('supertest');
    const wrongType = await supertest(server.app).post(`${shared}/objects/`).set(auth).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', 'application/json').send('{"objects":[]}');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error_code).toBe('unsupported-media-type');
    const charset = await supertest(server.app).post(`${shared}/objects/`).set(auth).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', `${TAXII_MEDIA_TYPE}; charset=utf-8`).send(JSON.stringify({ objects: [indicator()] }));
    expect(charset.status).toBe(202);
    const broken = await supertest(server.app).post(`${shared}/objects/`).set(auth).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE).send('{"objects": [');
    expect(broken.status).toBe(400);
    expect(broken.body.error_code).toBe('invalid-body');
  });

  it('answers 422 to an envelope without objects (A-08)', async () => {
    const empty = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [] });
    expect(empty.status).toBe(422);
    const none = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { more: false });
    expect(none.status).toBe(422);
  });

  it('answers 413 to a body over max_content_length, by header and by streamed bytes (B-02)', async () => {
    const big = { objects: [indicator({ description: 'x'.repeat(1_100_000) })] };
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, big);
    expect(response.status).toBe(413);
    expect(response.body.error_code).toBe('payload-too-large');
  });
});

describe('access to objects', () => {
  const bka = `/alliance/collections/${COLLECTION_IDS.bka}`;

  it('lets a read-only partner read but not write (403), and a write-only partner write but not read (403)', async () => {
    const nca = taxiiClient(server, 'gb-nca');
    const write = await nca.post(`${bka}/objects/`, { objects: [indicator()] });
    expect(write.status).toBe(403);
    expect(write.body.error_code).toBe('forbidden');
    expect((await nca.get(`${bka}/objects/`)).status).toBe(200);

    const europol = taxiiClient(server, 'europol');
    expect((await europol.post(`${bka}/objects/`, { objects: [indicator()] })).status).toBe(202);
    expect((await europol.get(`${bka}/objects/`)).status).toBe(403);
    expect((await europol.get(`${bka}/manifest/`)).status).toBe(403);
  });

  it('answers 404 on every endpoint of a collection without any grant', async () => {
    const acme = taxiiClient(server, 'acme-sec');
    for (const path of ['/', '/objects/', '/manifest/', `/objects/${indicator().id}/`, `/objects/${indicator().id}/versions/`]) {
      const response = await acme.get(`${bka}${path}`);
      expect(response.status).toBe(404);
      expect(response.body.error_code).toBe('collection-not-found');
    }
    expect((await acme.post(`${bka}/objects/`, { objects: [indicator()] })).status).toBe(404);
  });

  it('shows a status only to the organisation that posted (S-03)', async () => {
    const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [indicator()] });
    expect((await taxiiClient(server, 'gb-nca').get(`/alliance/status/${posted.body.id}/`)).status).toBe(404);
  });
});
