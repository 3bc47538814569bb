import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';
import { REAL_DATA_DIR } from '../support/real-data';

const COMMON = join(REAL_DATA_DIR, 'oasis', 'cti-stix-common-objects');

function objectsOf(relativePath: string): Record<string, unknown>[] {
  return (JSON.parse(readFileSync(join(COMMON, relativePath), 'utf8')) as { objects: Record<string, unknown>[] }).objects;
}

// The real TLP 2.0 marking definitions as OASIS publishes them.
const markingDefinitions = [
  ...objectsOf('extension-definition-specifications/tlp-2.0/examples/tlp-clear.json'),
  ...objectsOf('objects/marking-definition/marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb.json'),
  ...objectsOf('extension-definition-specifications/tlp-2.0/examples/tlp-amber.json'),
  ...objectsOf('objects/marking-definition/marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003.json'),
  ...objectsOf('objects/marking-definition/marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1.json'),
];
const tlp = Object.fromEntries(markingDefinitions.map((definition) => [String(definition.name), String(definition.id)]));
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('tlp-ceiling');
});
afterAll(() => server.close());

const failureFor = (body: { failures?: { id: string; message: string }[] }, id: unknown) => body.failures?.find((failure) => failure.id === id);

describe('TLP ceilings at ingest', () => {
  it('reads the five TLP 2.0 marking definitions from the OASIS common objects', () => {
    expect(Object.keys(tlp).sort()).toEqual(['TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:CLEAR', 'TLP:GREEN', 'TLP:RED']);
  });

  it('accepts objects at or below the ceiling and refuses those above it, one by one', async () => {
    const clear = indicator({ object_marking_refs: [tlp['TLP:CLEAR']] });
    const green = indicator({ object_marking_refs: [tlp['TLP:GREEN']] });
    const amber = indicator({ object_marking_refs: [tlp['TLP:AMBER']] });
    const red = indicator({ object_marking_refs: [tlp['TLP:GREEN'], tlp['TLP:RED']] });
    const legacyRed = indicator({ object_marking_refs: [TLP1_RED] });
    const granularRed = indicator({ granular_markings: [{ marking_ref: tlp['TLP:RED'], selectors: ['description'] }], description: 'sensitive' });
    const unmarked = indicator();
    const objects = [...markingDefinitions, clear, green, amber, red, legacyRed, granularRed, unmarked];
    const response = await taxiiClient(server, 'europol').post(`/alliance/collections/${COLLECTION_IDS.greenCeiling}/objects/`, { objects });
    expect(response.status).toBe(202);
    expect(response.body.success_count).toBe(markingDefinitions.length + 3);
    expect(response.body.failure_count).toBe(4);
    expect(failureFor(response.body, amber.id)?.message).toBe("/object_marking_refs: TLP:AMBER is above this collection's ceiling TLP:GREEN");
    expect(failureFor(response.body, red.id)?.message).toBe("/object_marking_refs: TLP:RED is above this collection's ceiling TLP:GREEN");
    expect(failureFor(response.body, legacyRed.id)?.message).toMatch(/TLP:RED is above/);
    expect(failureFor(response.body, granularRed.id)?.message).toMatch(/TLP:RED is above/);
    const held = await taxiiClient(server, 'europol').get(`/alliance/collections/${COLLECTION_IDS.greenCeiling}/objects/?match[type]=indicator`);
    expect(held.body.objects.map((object: { id: string }) => object.id).sort()).toEqual([clear.id, green.id, unmarked.id].sort());
  });

  it('refuses unmarked objects where the collection says unmarked: reject, but not marking definitions', async () => {
    const unmarked = indicator();
    const marked = indicator({ object_marking_refs: [tlp['TLP:AMBER+STRICT']] });
    const response = await taxiiClient(server, 'de-bka').post(`/alliance/collections/${COLLECTION_IDS.bka}/objects/`, {
      objects: [markingDefinitions[0], unmarked, marked],
    });
    expect(response.body.success_count).toBe(2);
    expect(failureFor(response.body, unmarked.id)?.message).toBe('/object_marking_refs: this collection accepts only objects with a TLP marking');
  });
});
