import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { ServerMetrics } from '../../server/http/metrics';
import { createMetricsApp } from '../../server/http/metrics-app';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

const OBJECTS_ROUTE = '/{api-root}/collections/:collectionId/objects/';
const OBJECTS = `/alliance/collections/${COLLECTION_IDS.shared}/objects/`;

let metrics: ServerMetrics;
let server: TestServer;
beforeAll(async () => {
  metrics = new ServerMetrics({ processMetrics: false });
  server = await startTestServer('metrics', undefined, { metrics });
});
afterAll(() => server.close());

async function scrape(from: ServerMetrics = metrics): Promise<string> {
  const response = await supertest(createMetricsApp(from)).get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
}

/** The value of one sample in Prometheus' text format; 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter((pair) => pair !== '');
    if (wanted.length === present.length && wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe('Prometheus metrics', () => {
  it('moves the request, ingest, page and storage counters by exactly what a POST and a poll did', async () => {
    const before = await scrape();
    const europol = taxiiClient(server, 'europol');
    const posted = await europol.post(OBJECTS, { objects: [indicator(), indicator(), { type: 'indicator', id: 'not-an-id' }] });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ success_count: 2, failure_count: 1 });
    const polled = await europol.get(OBJECTS);
    expect(polled.status).toBe(200);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('taxii_http_requests_total', { method: 'POST', route: OBJECTS_ROUTE, status: '202' })).toBe(1);
    expect(moved('taxii_http_requests_total', { method: 'GET', route: OBJECTS_ROUTE, status: '200' })).toBe(1);
    expect(moved('taxii_http_request_duration_seconds_count', { method: 'GET', route: OBJECTS_ROUTE })).toBe(1);
    expect(moved('taxii_objects_ingested_total', { collection: COLLECTION_IDS.shared })).toBe(2);
    expect(moved('taxii_objects_rejected_total', { collection: COLLECTION_IDS.shared })).toBe(1);
    expect(moved('taxii_poll_pages_total', { collection: COLLECTION_IDS.shared, resource: 'objects' })).toBe(1);
    expect(moved('taxii_poll_pages_total', { collection: COLLECTION_IDS.shared, resource: 'manifest' })).toBe(0);
    // Timed by the Storage decorator: the poll read at least one page, the POST stored its versions once.
    expect(moved('taxii_storage_operation_duration_seconds_count', { repository: 'objects', operation: 'page' })).toBeGreaterThanOrEqual(1);
    expect(moved('taxii_storage_operation_duration_seconds_count', { repository: 'objects', operation: 'insertVersions' })).toBe(1);
    expect(moved('taxii_storage_operation_duration_seconds_count', { repository: 'ingestQueue', operation: 'enqueue' })).toBe(1);
  });

  it('counts 401 answers as authentication failures', async () => {
    const before = sample(await scrape(), 'taxii_auth_failures_total');
    const wrong = { Authorization: `Basic ${Buffer.from('analyst@europol:wrong').toString('base64')}` };
    expect((await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE)).status).toBe(401);
    expect((await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set(wrong)).status).toBe(401);
    const after = await scrape();
    expect(sample(after, 'taxii_auth_failures_total') - before).toBe(2);
    expect(sample(after, 'taxii_http_requests_total', { method: 'GET', route: 'unmatched', status: '401' })).toBeGreaterThanOrEqual(2);
  });

  it('never turns an id or path from a URL into a label value', async () => {
    const unknown = randomUUID();
    const europol = taxiiClient(server, 'europol');
    expect((await europol.get(`/alliance/collections/${unknown}/objects/`)).status).toBe(404);
    expect((await europol.get(`/alliance/collections/${unknown}/manifest/`)).status).toBe(404);
    expect((await europol.get(`/no/such/${unknown}/`)).status).toBe(404);
    // A collection europol may not see: a declared id, but hidden and answered 404.
    expect((await europol.get(`/bka/internal/collections/${COLLECTION_IDS.internal}/objects/`)).status).toBe(404);
    const text = await scrape();
    expect(text).not.toContain(unknown);
    expect(text).not.toContain('/no/such');
    expect(sample(text, 'taxii_http_requests_total', { method: 'GET', route: OBJECTS_ROUTE, status: '404' })).toBe(1);
    const collections = new Set([...text.matchAll(/collection="([^"]*)"/g)].map((match) => match[1]));
    expect([...collections].every((label) => label === 'other' || Object.values<string>(COLLECTION_IDS).includes(label ?? ''))).toBe(true);
  });

  it('reads the ingest queue depth from the store at each scrape', async () => {
    const own = new ServerMetrics({ processMetrics: false });
    const depth = { envelopes: 2, objects: 7 };
    own.queueDepth = async () => depth;
    const first = await scrape(own);
    expect(sample(first, 'taxii_ingest_queue_depth', { unit: 'envelopes' })).toBe(2);
    expect(sample(first, 'taxii_ingest_queue_depth', { unit: 'objects' })).toBe(7);
    depth.envelopes = 0;
    depth.objects = 0;
    expect(sample(await scrape(own), 'taxii_ingest_queue_depth', { unit: 'objects' })).toBe(0);
    // And from the real store: nothing queued once the POSTs above were answered complete.
    const real = await scrape();
    expect(real).toMatch(/^taxii_ingest_queue_depth\{unit="envelopes"\} 0$/m);
  });

  it('serves only GET /metrics on its listener', async () => {
    const response = await supertest(createMetricsApp(metrics)).get('/taxii2/');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('taxii_');
  });
});
