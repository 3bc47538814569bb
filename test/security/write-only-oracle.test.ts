import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { timestampToMicros } from '../../server/taxii/timestamps';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/**
 * docs/security.md §1: europol may write to de-bka's collection but not read it. Whatever it posts, the
 * status must not tell it whether someone else already published that id or version.
 */
const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const bka = `/alliance/collections/${COLLECTION_IDS.bka}`;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('write-only-oracle');
});
afterAll(() => server.close());

interface Detail { id: string; version: string; message?: string }

function sco(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${randomUUID()}`, value: '198.51.100.7', object_marking_refs: [TLP_GREEN], ...overrides };
}

/**
 * What a status says about one posted object, with the parts that differ from one request to the
 * next anyway (status id, request time, the object's own id) taken out. A version the server made
 * up for an SCO is reduced to whether it is this request's time or older.
 */
function shape(response: Response, sinceMicros: number): unknown {
  const body = response.body as { id?: string; request_timestamp?: string; successes?: Detail[]; failures?: Detail[] } & Record<string, unknown>;
  const strip = (detail: Detail, index: number) => ({
    ...detail,
    id: `#${index}`,
    version: detail.version.startsWith('2024-') ? detail.version : (timestampToMicros(detail.version) ?? 0) >= sinceMicros ? 'this request' : 'before this request',
  });
  const rest: Record<string, unknown> = { ...body };
  delete rest.id;
  delete rest.request_timestamp;
  return { status: response.status, ...rest, successes: body.successes?.map(strip), failures: body.failures?.map(strip) };
}

describe('a write-only publisher learns nothing from a status (docs/security.md §1)', () => {
  it('gets the same status for a fresh version, the same version again and a different copy of it', async () => {
    const held = indicator({ object_marking_refs: [TLP_GREEN] });
    const heldSco = sco();
    expect((await taxiiClient(server, 'de-bka').post(`${bka}/objects/`, { objects: [held, heldSco] })).body.success_count).toBe(2);

    const writer = taxiiClient(server, 'europol');
    // A few milliseconds apart, so a version made up for the held SCO is told from one made up now.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = Date.now() * 1000;
    const fresh = await writer.post(`${bka}/objects/`, { objects: [indicator({ object_marking_refs: [TLP_GREEN] }), sco()] });
    const same = await writer.post(`${bka}/objects/`, { objects: [held, heldSco] });
    const different = await writer.post(`${bka}/objects/`, { objects: [{ ...held, name: 'something else' }, { ...heldSco, value: '203.0.113.9' }] });

    expect(fresh.status).toBe(202);
    expect(shape(same, since)).toEqual(shape(fresh, since));
    expect(shape(different, since)).toEqual(shape(fresh, since));
    // The status resource read back later says exactly what the POST answered.
    const stored = await writer.get(`/alliance/status/${String(same.body.id)}/`);
    expect(stored.body).toEqual(same.body);
    // Nothing the writer sent replaced the first copy.
    const kept = await taxiiClient(server, 'de-bka').get(`${bka}/objects/${String(held.id)}/`);
    expect(kept.body.objects).toEqual([held]);
  });

  it('reports the version the publisher sent, never the one already held', async () => {
    const held = indicator({ object_marking_refs: [TLP_GREEN], modified: '2024-03-01T10:00:00Z' });
    await taxiiClient(server, 'de-bka').post(`${bka}/objects/`, { objects: [held] });
    // The same instant, spelt with milliseconds: the same version (TAXII 2.1 §3.4.3 compares instants).
    const respelt = { ...held, modified: '2024-03-01T10:00:00.000Z' };
    const response = await taxiiClient(server, 'europol').post(`${bka}/objects/`, { objects: [respelt] });
    expect(response.body.successes).toEqual([{ id: held.id, version: '2024-03-01T10:00:00.000Z' }]);
  });

  it('still tells a publisher that may read the collection that the version was already held', async () => {
    const held = indicator();
    const owner = taxiiClient(server, 'de-bka');
    await owner.post(`${shared}/objects/`, { objects: [held] });
    const again = await owner.post(`${shared}/objects/`, { objects: [held, { ...held, name: 'changed' }] });
    expect(again.body.successes.map((detail: Detail) => detail.message)).toEqual([
      'This version is already held; nothing changed.',
      'This version is already held with different content; the first copy is kept.',
    ]);
  });
});
