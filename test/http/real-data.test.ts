import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';
import { REAL_DATA_DIR } from '../support/real-data';

// Round trip of published STIX 2.1 (fixtures/real, see its README.md) through POST and paged GET:
// every posted object is either served back byte for byte or listed in a status's failures with a reason.
jest.setTimeout(180_000);

type StixObject = Record<string, unknown> & { id: string };
interface StatusDetail { id: string; version: string; message?: string }
interface Source { file: string; objects: StixObject[] }

const dataDir = REAL_DATA_DIR;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
// The API root's max_content_length is 1,000,000 octets; stay well under it.
const ENVELOPE_BYTES = 900_000;
const ENVELOPE_OBJECTS = 200;
const PAGE_LIMIT = 500;
// The README's table: 83 files holding 1,826 + 2,148 + 260 + 62 + 82 + 63 + 660 objects.
const EXPECTED_OBJECTS = 5101;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(full);
    return entry.name.endsWith('.json') && full !== path.join(dataDir, 'SOURCES.json') ? [full] : [];
  }).sort();
}

/** Bundles, wrappers without `type`, bare arrays and bare objects alike (README "Real-world quirks"). */
function loadSource(file: string): Source {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : (parsed as { objects?: unknown }).objects ?? [parsed];
  return { file: path.relative(dataDir, file), objects: list as StixObject[] };
}

/** The instant of a STIX timestamp as a fixed-width string, so `...00Z` and `...00.000Z` are one version. */
function instant(value: unknown): string {
  if (typeof value !== 'string') return '';
  const match = /^(.{19})(?:\.(\d+))?Z$/.exec(value);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z` : value;
}

/** One stored version: id plus `modified`, else `created`; an SCO has one version per id. */
function versionKey(object: Record<string, unknown>): string {
  return `${String(object.id)}|${instant(object.modified ?? object.created)}`;
}

function envelopes(objects: StixObject[]): StixObject[][] {
  const batches: StixObject[][] = [];
  let batch: StixObject[] = [];
  let bytes = 0;
  for (const object of objects) {
    const size = Buffer.byteLength(JSON.stringify(object)) + 1;
    if (batch.length > 0 && (batch.length === ENVELOPE_OBJECTS || bytes + size > ENVELOPE_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(object);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The objects of the data set that are not valid STIX 2.1, checked by hand: three artifacts whose
 * payload_bin is "<base64> ..." and a TLP example with created "2022-101-27T13:49:54.326Z". Any
 * other rejection means the validator refuses real published content.
 */
const KNOWN_INVALID: Record<string, RegExp> = {
  'artifact--ca17bcf8-9846-5ab4-8662-75c1bf6e63ee': /payload_bin/,
  'artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641': /payload_bin/,
  'artifact--4cce66f8-6eaa-53cb-85d5-3a85fca3a6c5': /payload_bin/,
  'relationship--1621d4d4-b67d-11e3-9670-f01faf20d111': /created/,
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('real_data');
});
afterAll(() => server.close());

describe('real published STIX 2.1 through POST and paged GET', () => {
  const sources = jsonFiles(dataDir).map(loadSource);
  const posted = sources.flatMap((source) => source.objects.map((object) => ({ source: source.file, object })));
  /** The copy the server must serve for each version: the first accepted one (checklist A-04, Y-03). */
  const expected = new Map<string, string>();
  const rejected: { source: string; id: string; message: string }[] = [];

  it('finds every object the README announces', () => {
    expect(sources).toHaveLength(83);
    expect(posted).toHaveLength(EXPECTED_OBJECTS);
  });

  it('answers every envelope with 202 and accounts for each object as a success or a failure with a reason', async () => {
    const client = taxiiClient(server, 'de-bka');
    for (const batch of envelopes(posted.map((p) => p.object))) {
      const response = await client.post(`${shared}/objects/`, { objects: batch });
      expect(response.status).toBe(202);
      expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
      const { total_count, success_count, failure_count, pending_count, successes = [], failures = [] } = response.body as {
        total_count: number; success_count: number; failure_count: number; pending_count: number;
        successes?: StatusDetail[]; failures?: StatusDetail[];
      };
      expect({ total_count, pending_count, sum: success_count + failure_count }).toEqual({ total_count: batch.length, pending_count: 0, sum: batch.length });
      expect([successes.length, failures.length]).toEqual([success_count, failure_count]);
      // Both lists keep the envelope's order, so one walk assigns each object its verdict.
      let s = 0;
      let f = 0;
      for (const object of batch) {
        const success = successes[s];
        const failure = failures[f];
        // When the same id is next in both lists (two versions of one object), the version decides.
        const isSuccess = success?.id === object.id
          && (failure?.id !== object.id || instant(success.version) === instant(object.modified ?? object.created));
        if (isSuccess) {
          s += 1;
          const key = versionKey(object);
          if (!expected.has(key)) expected.set(key, JSON.stringify(object));
        } else if (failure?.id === object.id) {
          f += 1;
          expect({ id: object.id, message: typeof failure.message === 'string' && failure.message.length > 0 }).toEqual({ id: object.id, message: true });
          rejected.push({ source: posted.find((p) => p.object === object)?.source ?? '?', id: object.id, message: failure.message ?? '' });
        } else {
          throw new Error(`${object.id} is neither the next success (${success?.id}) nor the next failure (${failure?.id})`);
        }
      }
      expect([s, f]).toEqual([successes.length, failures.length]);
    }
    expect(Object.fromEntries(rejected.map((r) => [r.id, r.message]))).toEqual(
      Object.fromEntries(Object.entries(KNOWN_INVALID).map(([id, reason]) => [id, expect.stringMatching(reason)])),
    );
    // 5,101 objects less the 4 invalid ones and 17 re-posts of a version already held (same id and instant).
    expect(expected.size).toBe(EXPECTED_OBJECTS - 4 - 17);
  });

  it('serves back every accepted version byte for byte, each exactly once, and nothing else', async () => {
    const client = taxiiClient(server, 'de-bka');
    const served = new Map<string, string>();
    let pages = 0;
    let url = `${shared}/objects/?match[version]=all&match[spec_version]=2.0,2.1&limit=${PAGE_LIMIT}`;
    for (;;) {
      const response = await client.get(url);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
      const body = response.body as { more?: boolean; next?: string; objects?: StixObject[] };
      const objects = body.objects ?? [];
      expect(objects.length).toBeLessThanOrEqual(PAGE_LIMIT);
      // The raw bytes of the page hold exactly the serialised objects (stored as their JSON text).
      expect(response.text.includes(`"objects":[${objects.map((o) => JSON.stringify(o)).join(',')}]`)).toBe(true);
      for (const object of objects) {
        const key = versionKey(object);
        expect({ key, duplicate: served.has(key) }).toEqual({ key, duplicate: false });
        served.set(key, JSON.stringify(object));
      }
      pages += 1;
      if (!body.more) break;
      expect(typeof body.next).toBe('string');
      url = `${shared}/objects/?match[version]=all&match[spec_version]=2.0,2.1&limit=${PAGE_LIMIT}&next=${encodeURIComponent(body.next ?? '')}`;
      expect(pages).toBeLessThan(100);
    }

    const lost = [...expected.keys()].filter((key) => !served.has(key));
    const extra = [...served.keys()].filter((key) => !expected.has(key));
    expect({ lost, extra }).toEqual({ lost: [], extra: [] });
    const changed = [...expected].filter(([key, text]) => served.get(key) !== text).map(([key]) => key);
    expect(changed).toEqual([]);
    expect(pages).toBe(Math.ceil(expected.size / PAGE_LIMIT));

    const bySource = new Map<string, number>();
    for (const r of rejected) bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
    console.log([
      `real data: ${posted.length} objects posted from ${sources.length} files, ${expected.size} versions stored and served back identically in ${pages} pages, ${rejected.length} rejected`,
      ...[...bySource].map(([source, count]) => `  ${count} rejected from ${source}, e.g. ${rejected.find((r) => r.source === source)?.message ?? ''}`.slice(0, 300)),
    ].join('\n'));
  });
});
