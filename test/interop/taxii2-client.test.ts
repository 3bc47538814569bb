import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { issueToken } from '../../server/auth/credentials';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { listenOnFreePort, type LiveServer } from '../support/live-server';
import { ensurePythonVenv } from '../support/python-venv';
import { indicator, ipv4, malware } from '../support/stix-samples';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

// Interop with the OASIS reference client (checklist 10.2): the real app on a loopback port, driven by
// taxii2-client 2.3.0 from test/interop/taxii2_client_driver.py. The first run builds the venv (pip).
jest.setTimeout(300_000);

type Json = Record<string, unknown>;
type Step = Json & { ok: boolean; error?: string; http_status?: number };
interface Plan {
  /** The authenticated user's organisation; for the test's expectations, the driver ignores it. */
  organisation: string;
  discovery_url: string;
  auth: { user: string; password: string } | { token: string };
  collection: string;
  read_only_collection?: string;
  write_only_collection?: string;
  write_only_objects?: Json[];
  objects: Json[];
  versioned: Json[];
  bundle: Json;
}

const DRIVER = path.join(__dirname, 'taxii2_client_driver.py');
const DRIVER_TIMEOUT_MS = 120_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function runDriver(python: string, plan: Plan): Promise<Record<string, Step>> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'], timeout: DRIVER_TIMEOUT_MS, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`driver exited with ${code ?? signal}:\n${stderr}\n${stdout}`));
      try {
        resolve((JSON.parse(stdout) as { steps: Record<string, Step> }).steps);
      } catch {
        reject(new Error(`driver printed no JSON document:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(plan));
  });
}

/** Seven objects for paging with per_request=2, three versions of one indicator, and a bundle. */
function freshData(): Pick<Plan, 'objects' | 'versioned' | 'bundle'> {
  const objects = [indicator(), malware(), ipv4('198.51.100.23'), indicator({ name: 'second' }), malware({ name: 'TrickBot' }), indicator({ name: 'third' }), indicator({ name: 'to delete' })];
  const first = indicator({ name: 'versioned' });
  const versioned = [first, { ...first, modified: '2024-03-02T10:00:00.000Z' }, { ...first, modified: '2024-03-03T10:00:00.000Z' }];
  return { objects, versioned, bundle: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [indicator({ name: 'from a bundle' })] } };
}

function step(steps: Record<string, Step>, name: string): Step {
  const result = steps[name];
  if (!result) throw new Error(`driver did not run step ${name}`);
  // Show the client's own exception when a step failed, not just "false !== true".
  expect({ name, ok: result.ok, error: result.error }).toEqual({ name, ok: true, error: undefined });
  return result;
}

let server: TestServer;
let live: LiveServer;
let python: string;
beforeAll(async () => {
  [server, python] = await Promise.all([startTestServer('interop'), ensurePythonVenv()]);
  live = await listenOnFreePort(server.app);
});
afterAll(async () => {
  await live?.close();
  await server?.close();
});

/**
 * What the test alliance grants `organisation` on the collections of the alliance root, read off its
 * declaration: owners read and write, grants to the organisation or to all-members add rights, and a
 * collection with neither right is not listed. Computed, so a collection added to alliance.ts needs no edit here.
 */
function grantedRights(organisation: string): Rights {
  const rights: Rights = {};
  for (const collection of testAlliance().collections.filter((c) => c.apiRoot === 'alliance')) {
    const grants = collection.grants.filter((g) => g.organisation === organisation || g.organisation === 'all-members');
    const owner = collection.owner === organisation;
    const canRead = owner || grants.some((g) => g.read);
    const canWrite = owner || grants.some((g) => g.write);
    if (canRead || canWrite) rights[collection.id] = { can_read: canRead, can_write: canWrite };
  }
  return rights;
}

/** The assertions every authenticated run must pass, whatever the scheme. */
type Rights = Record<string, { can_read: boolean; can_write: boolean }>;
/** O-02: an empty result is `{}` or `{"more": false}`, never a 404. */
const EMPTY_ENVELOPES = [{}, { more: false }];

function describeFullRun(label: string, setUp: () => Promise<Plan>, expectedCollections: Rights, extra?: (steps: () => Record<string, Step>) => void) {
  describe(label, () => {
    let plan: Plan;
    let steps: Record<string, Step>;
    beforeAll(async () => {
      plan = await setUp();
      steps = await runDriver(python, plan);
    });
    const ids = () => plan.objects.map((o) => String(o.id));

    it('gets HTTPError 401 for a wrong password and for an unknown token (H-06)', () => {
      expect(step(steps, 'bad_credentials')).toMatchObject({ wrong_password: 401, unknown_token: 401 });
    });

    it('discovers the server: title, api_roots, default (D-01..D-03)', () => {
      const discovery = step(steps, 'server');
      expect(discovery.title).toBe('Test Alliance TAXII');
      expect(discovery.contact).toBe('soc@example.org');
      expect(discovery.api_roots).toContain(`${live.origin}/alliance/`);
      expect(discovery.default).toBe(`${live.origin}/alliance/`);
    });

    it('reads the API root: title, versions, max_content_length (R-01..R-03)', () => {
      expect(step(steps, 'api_root')).toMatchObject({ url: `${live.origin}/alliance/`, title: 'Alliance', versions: [TAXII_MEDIA_TYPE], max_content_length: 1_000_000 });
    });

    it('lists the collections with the caller\'s own can_read/can_write (K-02, L-04)', () => {
      expect(grantedRights(plan.organisation)).toMatchObject(expectedCollections);
      const byRoot = step(steps, 'collections').by_root as Record<string, Json[]>;
      const alliance = byRoot[`${live.origin}/alliance/`] ?? [];
      const rights = Object.fromEntries(alliance.map((c) => [String(c.id), { can_read: c.can_read, can_write: c.can_write }]));
      expect(rights).toEqual(grantedRights(plan.organisation));
      expect(alliance.map((c) => String(c.id))).toEqual([...alliance.map((c) => String(c.id))].sort());
    });

    it('adds an envelope and gets a complete status that passes the client\'s checks; get_status agrees (A-01, F-status)', () => {
      const added = step(steps, 'add_objects');
      expect(added).toMatchObject({ status: 'complete', total_count: 7, success_count: 7, failure_count: 0, pending_count: 0 });
      expect(added.success_ids).toEqual(ids());
      expect(added.request_timestamp).toMatch(TIMESTAMP);
      expect(step(steps, 'get_status')).toEqual(added);
      expect(step(steps, 'add_versions')).toMatchObject({ status: 'complete', total_count: 3, success_count: 3 });
    });

    it('filters get_objects by type, id and version (Q-08, Q-10..Q-13)', () => {
      const filters = step(steps, 'filters');
      const all = ids();
      expect(filters.type_indicator).toEqual(all.filter((id) => id.startsWith('indicator--')));
      expect(filters.type_two).toEqual(all.filter((id) => !id.startsWith('indicator--')));
      expect(filters.one_id).toEqual([all[0]]);
      expect(filters.version_default).toEqual(['2024-03-03T10:00:00.000Z']);
      expect(filters.version_all).toEqual(plan.versioned.map((v) => v.modified));
      expect(filters.version_first).toEqual(['2024-03-01T10:00:00.000Z']);
      expect(filters.version_exact).toEqual(['2024-03-02T10:00:00.000Z']);
      expect(EMPTY_ENVELOPES).toContainEqual(filters.nothing);
    });

    it('pages objects and manifest with as_pages(per_request=2): each object exactly once (P-04, P-05, P-08)', () => {
      for (const name of ['objects_pages', 'manifest_pages']) {
        const pages = step(steps, name);
        expect({ name, ids: pages.ids }).toEqual({ name, ids: ids() });
        expect(pages.sizes).toEqual([2, 2, 2, 1]);
        expect(pages.mores).toEqual([true, true, true, false]);
      }
    });

    it('reads the manifest, the versions and one object (M-03, V-01, G-02)', () => {
      const records = step(steps, 'manifest').records as Json[];
      expect(records.map((r) => r.version)).toEqual(plan.versioned.map((v) => v.modified));
      for (const record of records) {
        expect(record).toMatchObject({ id: plan.versioned[0]?.id, media_type: 'application/stix+json;version=2.1' });
        expect(record.date_added).toMatch(TIMESTAMP);
      }
      expect(step(steps, 'versions')).toMatchObject({ versions: plan.versioned.map((v) => v.modified), more: false });
      const object = step(steps, 'get_object');
      expect(object.latest).toEqual([plan.versioned[2]]);
      expect(object.all).toEqual(plan.versioned.map((v) => v.modified));
    });

    it('filters with added_after from an X-TAXII-Date-Added header, as string and as datetime (Q-03, Q-04, P-09)', () => {
      const after = step(steps, 'added_after');
      expect(after.header_first).toMatch(TIMESTAMP);
      expect(after.header_last).toMatch(TIMESTAMP);
      expect(after.order).toEqual(ids());
      expect(after.after_first).toEqual(ids().slice(1));
      expect(after.after_first_datetime).toEqual(ids().slice(1));
      expect(EMPTY_ENVELOPES).toContainEqual(after.after_last);
    });

    it('deletes an object; get_object then raises HTTPError 404 (X-02, X-03, X-04)', () => {
      const deleted = step(steps, 'delete');
      expect(deleted.deleted).toBe(ids().at(-1));
      expect(deleted.get_after_delete).toBe(404);
      expect(EMPTY_ENVELOPES).toContainEqual(deleted.manifest_after_delete);
      expect(deleted.delete_again).toBe(404);
    });

    it('accepts the STIX bundle python-stix2\'s TAXIICollectionSink posts (A-03)', () => {
      const bundle = step(steps, 'bundle');
      expect(bundle).toMatchObject({ status: 'complete', total_count: 1, success_count: 1 });
      expect(bundle.read_back).toEqual(plan.bundle.objects);
    });

    extra?.(() => steps);
  });
}

describeFullRun('taxii2-client with HTTP Basic as analyst@de-bka', async () => ({
  organisation: 'de-bka',
  discovery_url: `${live.origin}/taxii2/`,
  auth: { user: 'analyst@de-bka', password: TEST_PASSWORD },
  collection: COLLECTION_IDS.shared,
  ...freshData(),
}), {
  [COLLECTION_IDS.bka]: { can_read: true, can_write: true },
  [COLLECTION_IDS.shared]: { can_read: true, can_write: true },
});

describeFullRun('taxii2-client with TokenAuth as analyst@gb-nca', async () => {
  const issued = issueToken();
  await server.credentials.addToken({ tokenId: issued.tokenId, username: 'analyst@gb-nca', secretHash: issued.secretHash, createdAt: new Date(), label: 'interop test' });
  return {
    organisation: 'gb-nca',
    discovery_url: `${live.origin}/taxii2/`,
    auth: { token: issued.token },
    collection: COLLECTION_IDS.shared,
    read_only_collection: COLLECTION_IDS.bka,
    ...freshData(),
  };
}, {
  [COLLECTION_IDS.bka]: { can_read: true, can_write: false },
  [COLLECTION_IDS.shared]: { can_read: true, can_write: true },
  [COLLECTION_IDS.gbOnly]: { can_read: true, can_write: true },
}, (steps) => {
  it('reads a read-only collection; the server answers a raw POST to it with 403 (H-08, A-02)', () => {
    const readOnly = step(steps(), 'read_only');
    expect(readOnly).toMatchObject({ can_read: true, can_write: false, raw_post_status: 403 });
    expect(EMPTY_ENVELOPES).toContainEqual(readOnly.objects);
  });
});

describeFullRun('taxii2-client with HTTP Basic as analyst@europol', async () => ({
  organisation: 'europol',
  discovery_url: `${live.origin}/taxii2/`,
  auth: { user: 'analyst@europol', password: TEST_PASSWORD },
  collection: COLLECTION_IDS.shared,
  write_only_collection: COLLECTION_IDS.bka,
  // The BKA collection refuses objects without a TLP marking; this one is TLP:GREEN (2.0).
  write_only_objects: [indicator({ name: 'reported by europol', object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] })],
  ...freshData(),
}), {
  [COLLECTION_IDS.bka]: { can_read: false, can_write: true },
  [COLLECTION_IDS.shared]: { can_read: true, can_write: true },
}, (steps) => {
  it('writes to a write-only collection; the client refuses to read it, the server refuses a delete with 403 (X-01)', () => {
    const writeOnly = step(steps(), 'write_only');
    expect(writeOnly).toMatchObject({ can_read: false, can_write: true, client_read: 'AccessError', delete_status: 403 });
    expect(writeOnly.add).toMatchObject({ status: 'complete', total_count: 1, success_count: 1, failures: [] });
  });
});
