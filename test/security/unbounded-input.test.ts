import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import type { AllianceConfig } from '../../server/config/types';
import type { TaxiiContext } from '../../server/services/context';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/**
 * docs/security.md §3: every input has a limit, and going over one is a per-object failure in the status,
 * never a 5xx that sinks the objects beside it. The API root takes bodies of up to 32 MB here, so
 * that only our own limits stand between a hostile object and the validator.
 */
jest.setTimeout(120_000);

const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const gbOnly = `/alliance/collections/${COLLECTION_IDS.gbOnly}`;

function roomyAlliance(): AllianceConfig {
  const config = testAlliance();
  return { ...config, apiRoots: config.apiRoots.map((root) => (root.path === 'alliance' ? { ...root, maxContentLength: 32_000_000 } : root)) };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('unbounded-input', roomyAlliance());
});
afterAll(() => server.close());

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = kind === 'array' ? [value] : { x_level: value };
  return value;
}

/** JSON text nesting a string `depth` levels deep; JSON.stringify itself overflows the stack on such values. */
function nestedText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}` : `${'{"x_level":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
}

/** A hostile object whose JSON text is written by hand: `object` plus one property given as raw JSON. */
interface Hostile {
  object: Record<string, unknown>;
  text: string;
}

function withRaw(object: Record<string, unknown>, property: string, rawJson: string): Hostile {
  return { object, text: `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(property)}:${rawJson}}` };
}

const plain = (object: Record<string, unknown>): Hostile => ({ object, text: JSON.stringify(object) });

const chain = (separator: string, term: string, bytes: number) => Array.from({ length: Math.ceil(bytes / (term.length + separator.length)) }, () => term).join(separator);

interface Detail { id: string; version: string; message?: string }
interface StatusBody { id: string; total_count: number; success_count: number; failure_count: number; pending_count: number; successes?: Detail[]; failures?: Detail[] }

async function postBeside(hostile: Hostile): Promise<{ body: StatusBody; beside: Record<string, unknown> }> {
  const beside = indicator();
  const response = await supertest(server.app).post(`${shared}/objects/`).set(server.authFor('de-bka'))
    .set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE)
    .send(`{"objects":[${hostile.text},${JSON.stringify(beside)}]}`);
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status: 202, type: TAXII_MEDIA_TYPE });
  const body = response.body as StatusBody;
  expect(body.total_count).toBe(2);
  expect(body.successes).toEqual([{ id: beside.id, version: beside.modified }]);
  const stored = await taxiiClient(server, 'de-bka').get(`${shared}/objects/${String(beside.id)}/`);
  expect(stored.body.objects).toEqual([beside]);
  return { body, beside };
}

describe('hostile objects get their own failure and sink nothing else (docs/security.md §3)', () => {
  const withPattern = (pattern: string) => plain(indicator({ pattern }));

  it.each([
    ['a pattern of 1,000 nested parentheses (2.7 kB)', () => withPattern(`${'('.repeat(1000)}[domain-name:value = 'x']${')'.repeat(1000)}`), /^\/pattern: nests parentheses more than 32 levels deep/],
    ['1,000 nested parentheses inside one observation', () => withPattern(`[${'('.repeat(1000)}domain-name:value = 'x'${')'.repeat(1000)}]`), /^\/pattern: nests parentheses more than 32 levels deep/],
    ['a 1 MB chain of AND', () => withPattern(`[${chain(' AND ', "domain-name:value = 'x'", 1_000_000)}]`), /^\/pattern: is \d+ characters long; at most 65536/],
    ['a 1 MB chain of OR between observations', () => withPattern(chain(' OR ', "[domain-name:value = 'x']", 1_000_000)), /^\/pattern: is \d+ characters long; at most 65536/],
    ['a pattern of 2,000 comparisons in 38 kB', () => withPattern(`[${Array.from({ length: 2000 }, (_, n) => `file:size = ${n}`).join(' OR ')}]`), /^\/pattern: has more than 1000 comparison expressions/],
    ['a 10,000-deep list in a custom property', () => withRaw(indicator(), 'x_acme_deep', nestedText(10_000, 'array')), /^\/x_acme_deep: nests more than 64 levels deep$/],
    ['a 10,000-deep object in an external reference', () => withRaw(indicator(), 'external_references', `[{"source_name":"acme","x_acme_deep":${nestedText(10_000, 'object')}}]`), /^\/external_references: nests more than 64 levels deep$/],
    ['a 10,000-deep list in a granular marking', () => withRaw(indicator(), 'granular_markings', `[{"lang":"en","selectors":["name"],"x_acme_deep":${nestedText(10_000, 'array')}}]`), /^\/granular_markings: nests more than 64 levels deep$/],
    ['300,000 bad external references in 900 kB', () => plain(indicator({ external_references: Array.from({ length: 300_000 }, () => '') })), /^\(the object holds more than 10000 JSON values, so only its first schema problem is listed\); \/external_references\/0: must be an object/],
    ['a 5 MB name', () => plain(indicator({ name: 'n'.repeat(5_000_000) })), /^\/: the object is \d+ bytes of JSON; this server accepts at most 1048576 bytes per object$/],
  ])('%s', async (_label, build, reason) => {
    const hostile = build();
    const { body } = await postBeside(hostile);
    expect(body.failures).toEqual([{ id: hostile.object.id, version: hostile.object.modified, message: expect.stringMatching(reason) }]);
  });

  it('keeps objects at the limits: 64 levels deep, and a 64 kB pattern of 1,000 comparisons', async () => {
    // The object itself is the first level, so its properties may nest 63 more.
    const deep = indicator({ x_acme_deep: nested(63, 'array') });
    const longPattern = indicator({ pattern: `[${Array.from({ length: 1000 }, (_, n) => `file:name = 'name-${String(n).padStart(41, '0')}'`).join(' OR ')}]` });
    expect(String(longPattern.pattern).length).toBeGreaterThan(60_000);
    expect(String(longPattern.pattern).length).toBeLessThanOrEqual(65_536);
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [deep, longPattern] });
    expect(response.body).toMatchObject({ success_count: 2, failure_count: 0 });
  });

  it('looks up no type or property name in a prototype: constructor, __proto__ and friends', async () => {
    const id = (type: string) => `${type}--${randomUUID()}`;
    const sdoLike = { type: 'constructor', spec_version: '2.1', id: id('constructor'), created: '2024-03-01T10:00:00.000Z', modified: '2024-03-01T10:00:00.000Z' };
    const scoLike = { type: 'constructor', spec_version: '2.1', id: id('constructor') };
    const otherKeys = ['hasownproperty', 'valueof', 'tostring', 'isprototypeof'].map((type) => ({ type, spec_version: '2.1', id: id(type) }));
    const selector = indicator({ granular_markings: [{ lang: 'en', selectors: ['constructor'] }] });
    const protoKeys = JSON.parse(`{"type":"indicator","spec_version":"2.1","id":"${id('indicator')}","created":"2024-03-01T10:00:00.000Z","modified":"2024-03-01T10:00:00.000Z","pattern":"[a-b:c = 1]","pattern_type":"stix","valid_from":"2024-03-01T10:00:00Z","__proto__":{"x":1},"constructor":{"prototype":1},"extensions":{"__proto__":{"x":1}}}`) as Record<string, unknown>;
    const beside = indicator();
    const objects = [sdoLike, scoLike, ...otherKeys, selector, protoKeys, beside];
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects });
    expect(response.status).toBe(202);
    const body = response.body as StatusBody;
    expect(body.total_count).toBe(objects.length);
    // Custom types (STIX 2.1 Part 11.2) with the common properties of their kind are fine, whatever their name.
    const accepted = new Set(body.successes?.map((detail) => detail.id));
    for (const object of [sdoLike, scoLike, ...otherKeys, beside]) expect(accepted).toContain(object.id);
    expect(body.failures?.find((failure) => failure.id === selector.id)?.message).toMatch(/selectors\/0: must select a property present/);
    expect(body.failures?.find((failure) => failure.id === protoKeys.id)?.message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('a status is always small enough to store (docs/security.md §3)', () => {
  it('answers an envelope of 200,000 non-objects with a complete status: exact counts, details summarised', async () => {
    const beside = indicator();
    const objects: unknown[] = Array.from({ length: 200_000 }, (_, n) => n);
    objects.push(beside);
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects });
    expect(response.status).toBe(202);
    const body = response.body as StatusBody;
    expect(body).toMatchObject({ total_count: 200_001, success_count: 1, failure_count: 200_000, pending_count: 0 });
    expect(body.successes).toEqual([{ id: beside.id, version: beside.modified }]);
    const failures = body.failures ?? [];
    expect(failures.length).toBeLessThanOrEqual(10_001);
    expect(failures[0]).toEqual({ id: 'objects[0]', version: expect.any(String), message: expect.stringMatching(/must be a JSON object/) });
    expect(failures[failures.length - 1]?.message).toMatch(/further failures are not listed/);
    expect(Buffer.byteLength(response.text)).toBeLessThan(5_000_000);
    const stored = await taxiiClient(server, 'de-bka').get(`/alliance/status/${body.id}/`);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(body);
  });

  it('shortens a failure message made of thousands of reasons', async () => {
    const properties = Object.fromEntries(Array.from({ length: 5_000 }, (_, n) => [`Bad-Name-${n}`, n]));
    const bad = indicator(properties);
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [bad] });
    const message = String((response.body as StatusBody).failures?.[0]?.message);
    expect(message).toMatch(/^\/Bad-Name-0: /);
    expect(message.length).toBeLessThanOrEqual(1_024);
    expect(message).toMatch(/more reasons$/);
  });
});

describe('pages are cut by bytes as well as by count (docs/security.md §3)', () => {
  let saved: TaxiiContext['limits'];
  beforeAll(() => {
    saved = server.context.limits;
    server.context.limits = { maxObjectBytes: 1_048_576, maxPageBytes: 300_000 };
  });
  afterAll(() => {
    server.context.limits = saved;
  });

  it('splits a page at the byte budget; more and next stay exact and every object comes once', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const big = Array.from({ length: 6 }, (_, n) => indicator({ name: `big-${n}`, description: 'd'.repeat(100_000) }));
    expect((await client.post(`${gbOnly}/objects/`, { objects: big })).body.success_count).toBe(6);
    const seen: string[] = [];
    let url = `${gbOnly}/objects/?limit=100`;
    for (let pages = 0; pages < 10; pages += 1) {
      const response = await client.get(url);
      expect(response.status).toBe(200);
      expect(Buffer.byteLength(response.text)).toBeLessThanOrEqual(300_000 + 200);
      const objects = (response.body.objects ?? []) as { id: string }[];
      expect(objects.length).toBeGreaterThan(0);
      seen.push(...objects.map((object) => object.id));
      if (!response.body.more) break;
      url = `${gbOnly}/objects/?limit=100&next=${encodeURIComponent(String(response.body.next))}`;
    }
    expect(seen).toEqual(big.map((object) => object.id));
    // The manifest carries no content and is cut by count only.
    const manifest = await client.get(`${gbOnly}/manifest/?limit=100`);
    expect(manifest.body.objects).toHaveLength(6);
    expect(manifest.body.more).toBe(false);
  });

  it('still serves an object larger than the budget, alone on its page', async () => {
    const client = taxiiClient(server, 'gb-nca');
    const before = indicator({ name: 'before', description: 'b'.repeat(50_000) });
    const huge = indicator({ name: 'huge', description: 'h'.repeat(400_000) });
    const after = indicator({ name: 'after', description: 'a'.repeat(50_000) });
    await client.post(`${gbOnly}/objects/`, { objects: [before, huge, after] });
    const pages: string[][] = [];
    let url = `${gbOnly}/objects/?match[id]=${[before, huge, after].map((object) => String(object.id)).join(',')}`;
    for (let page = 0; page < 5; page += 1) {
      const response = await client.get(url);
      pages.push(((response.body.objects ?? []) as { id: string }[]).map((object) => object.id));
      if (!response.body.more) break;
      url = `${gbOnly}/objects/?next=${encodeURIComponent(String(response.body.next))}`;
    }
    expect(pages).toEqual([[before.id], [huge.id], [after.id]]);
  });
});
