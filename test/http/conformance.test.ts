import supertest from 'supertest';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator, ipv4 } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/** Checklist lines not covered by the per-resource files, each named by its id. */
let server: TestServer;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const SIX_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

beforeAll(async () => {
  server = await startTestServer('conformance');
});
afterAll(() => server.close());

function emptyLists(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((item, index) => emptyLists(item, `${path}/${index}`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => emptyLists(item, `${path}/${key}`));
  return [];
}

describe('TAXII 2.1 conformance checklist', () => {
  it('C-03: serves a resource whether or not the path ends in a slash', async () => {
    const withSlash = await taxiiClient(server, 'de-bka').get('/alliance/collections/');
    const without = await taxiiClient(server, 'de-bka').get('/alliance/collections');
    expect(without.status).toBe(200);
    expect(without.body).toEqual(withSlash.body);
  });

  it('C-05: never sends an empty list in a status, envelope or manifest', async () => {
    const client = taxiiClient(server, 'de-bka');
    const posted = await client.post(`${shared}/objects/`, { objects: [indicator()] });
    expect(posted.body.failures).toBeUndefined();
    expect(posted.body.pendings).toBeUndefined();
    const bodies = [posted.body, (await client.get(`${shared}/objects/?match[type]=campaign`)).body, (await client.get(`${shared}/manifest/?match[type]=campaign`)).body];
    for (const body of bodies) expect(emptyLists(body)).toEqual([]);
  });

  it('C-06: identifies a status with a version 4 UUID', async () => {
    const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [indicator()] });
    expect(isUuid(posted.body.id)).toBe(true);
    expect(uuidVersion(posted.body.id)).toBe(4);
  });

  it('C-07: writes TAXII timestamps with exactly six fractional digits', async () => {
    const client = taxiiClient(server, 'de-bka');
    const sco = ipv4('192.0.2.44');
    const posted = await client.post(`${shared}/objects/`, { objects: [sco] });
    expect(posted.body.request_timestamp).toMatch(SIX_DIGITS);
    // An SCO has no version of its own: the first copy's date_added stands in, as a TAXII timestamp.
    expect(posted.body.successes[0].version).toMatch(SIX_DIGITS);
    const manifest = await client.get(`${shared}/manifest/?match[id]=${sco.id}`);
    expect(manifest.body.objects[0].date_added).toMatch(SIX_DIGITS);
    expect(manifest.body.objects[0].version).toBe(posted.body.successes[0].version);
    expect(manifest.headers['x-taxii-date-added-first']).toMatch(SIX_DIGITS);
  });

  it('Y-01: an SCO\'s version, as the server reports it, can be asked for with match[version]', async () => {
    const client = taxiiClient(server, 'de-bka');
    const sco = ipv4('192.0.2.45');
    await client.post(`${shared}/objects/`, { objects: [sco] });
    const versions = await client.get(`${shared}/objects/${sco.id}/versions/`);
    expect(versions.body.versions).toHaveLength(1);
    const [version] = versions.body.versions as string[];
    const exact = await client.get(`${shared}/objects/${sco.id}/?match[version]=${version}`);
    expect(exact.body.objects).toEqual([sco]);
    // A re-post is the same version, not a second one.
    const again = await client.post(`${shared}/objects/`, { objects: [sco] });
    expect(again.body.successes[0].version).toBe(version);
    expect((await client.get(`${shared}/objects/${sco.id}/versions/`)).body.versions).toEqual([version]);
    expect((await client.delete(`${shared}/objects/${sco.id}/?match[version]=${version}`)).status).toBe(200);
    expect((await client.get(`${shared}/objects/${sco.id}/`)).status).toBe(404);
  });

  it('C-09: does not need a User-Agent', async () => {
    const response = await supertest(server.app).get('/taxii2/').set(server.authFor('de-bka')).set('Accept', TAXII_MEDIA_TYPE).unset('User-Agent');
    expect(response.status).toBe(200);
  });

  it('F-status: counts add up and every detail carries id and version (3.11.2)', async () => {
    const good = indicator();
    const bad = { ...indicator(), pattern_type: undefined };
    const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [good, bad] });
    const status = posted.body;
    expect(status.success_count + status.failure_count + status.pending_count).toBe(status.total_count);
    expect(status.successes).toHaveLength(status.success_count);
    expect(status.failures).toHaveLength(status.failure_count);
    for (const detail of [...status.successes, ...status.failures]) {
      expect(typeof detail.id).toBe('string');
      expect(typeof detail.version).toBe('string');
    }
    expect(status.failures[0].message).toMatch(/pattern_type/);
  });

  it('S-01: answers 404 for an unknown status id', async () => {
    const response = await taxiiClient(server, 'de-bka').get('/alliance/status/2d086da7-4bdc-4f91-900e-d77486753710/');
    expect(response.status).toBe(404);
    expect(response.body.error_code).toBe('status-not-found');
  });

  it('K-04: lists the media types a collection stores', async () => {
    const response = await taxiiClient(server, 'de-bka').get(`${shared}/`);
    expect(response.body.media_types).toEqual(['application/stix+json;version=2.1']);
  });

  it('F-error: error resources carry title, error_id, error_code and http_status as a string', async () => {
    const response = await taxiiClient(server, 'de-bka').get(`${shared}/objects/?limit=none`);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(response.body).toEqual({
      title: 'Invalid query parameter',
      description: "limit must be a positive integer, got 'none'",
      error_id: expect.any(String),
      error_code: 'invalid-parameter',
      http_status: '400',
    });
    expect(isUuid(response.body.error_id)).toBe(true);
  });

  it('M-05: the manifest accepts the STIX media type in Accept and still answers TAXII', async () => {
    const response = await supertest(server.app)
      .get(`${shared}/manifest/`)
      .set(server.authFor('de-bka'))
      .set('Accept', 'application/taxii+json;version=2.1,application/stix+json;version=2.1');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    const stixOnly = await supertest(server.app).get(`${shared}/manifest/`).set(server.authFor('de-bka')).set('Accept', 'application/stix+json;version=2.1');
    expect(stixOnly.status).toBe(200);
  });

  it('A-10: accepts custom properties and keeps them', async () => {
    const custom = indicator({ x_alliance_case: 'OP-2026-114', x_alliance_confidence_note: 'corroborated' });
    const client = taxiiClient(server, 'de-bka');
    expect((await client.post(`${shared}/objects/`, { objects: [custom] })).body.success_count).toBe(1);
    expect((await client.get(`${shared}/objects/${custom.id}/`)).body.objects).toEqual([custom]);
  });
});
