import { randomUUID } from 'node:crypto';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/**
 * docs/security.md §2: a TLP marking counts whatever the spelling of its identifier, and a marking that
 * claims a TLP level counts as that level. The collection's ceiling is TLP:GREEN and unmarked
 * objects are allowed, so a marking that went unrecognised would let the object in.
 */
const green = `/alliance/collections/${COLLECTION_IDS.greenCeiling}`;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;
const TLP2_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const TLP2_AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** Upper-cases the hex digits of an identifier's UUID part, leaving the type as it is. */
function shout(id: string): string {
  const at = id.lastIndexOf('--');
  return `${id.slice(0, at)}--${id.slice(at + 2).toUpperCase()}`;
}

/** Every other hex letter of the UUID part upper-cased. */
function mixed(id: string): string {
  let count = 0;
  return id.replace(/[a-f](?=[0-9a-f-]*$)/g, (letter) => {
    count += 1;
    return count % 2 === 1 ? letter.toUpperCase() : letter;
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer('tlp-spelling');
});
afterAll(() => server.close());

interface Detail { id: string; version: string; message?: string }
interface StatusBody { success_count: number; failure_count: number; successes?: Detail[]; failures?: Detail[] }

async function post(objects: unknown[]): Promise<StatusBody> {
  const response = await taxiiClient(server, 'europol').post(`${green}/objects/`, { objects });
  expect(response.status).toBe(202);
  return response.body as StatusBody;
}

const failureOf = (body: StatusBody, id: unknown) => body.failures?.find((failure) => failure.id === id)?.message;

async function heldIds(): Promise<string[]> {
  const response = await taxiiClient(server, 'europol').get(`${green}/manifest/?match[version]=all`);
  return ((response.body.objects ?? []) as { id: string }[]).map((record) => record.id);
}

describe('TLP markings whatever the spelling of their identifier (docs/security.md §2)', () => {
  it.each([
    ['TLP 2.0 RED in upper case', { object_marking_refs: [shout(TLP2_RED)] }],
    ['TLP 2.0 RED in mixed case', { object_marking_refs: [mixed(TLP2_RED)] }],
    ['TLP 1.0 RED in upper case', { object_marking_refs: [shout(TLP1_RED)] }],
    ['a granular TLP 2.0 RED in upper case', { description: 'the part that is red', granular_markings: [{ marking_ref: shout(TLP2_RED), selectors: ['description'] }] }],
    ['a granular TLP 1.0 RED in mixed case', { description: 'the part that is red', granular_markings: [{ marking_ref: mixed(TLP1_RED), selectors: ['description'] }] }],
  ])('refuses %s from a TLP:GREEN collection', async (_label, markings) => {
    const red = indicator(markings);
    const body = await post([red]);
    expect(body.failure_count).toBe(1);
    expect(failureOf(body, red.id)).toMatch(/TLP:RED is above this collection's ceiling TLP:GREEN/);
    expect(await heldIds()).not.toContain(red.id);
  });

  it('takes an identifier in upper case for the same object as in lower case (one object, one version)', async () => {
    const original = indicator();
    const client = taxiiClient(server, 'de-bka');
    await client.post(`${shared}/objects/`, { objects: [original] });
    const again = await client.post(`${shared}/objects/`, { objects: [{ ...original, id: shout(String(original.id)) }] });
    expect(again.body.successes).toEqual([expect.objectContaining({ message: expect.stringMatching(/already held/) })]);
    const manifest = await client.get(`${shared}/manifest/?match[id]=${String(original.id)}&match[version]=all`);
    expect(manifest.body.objects).toHaveLength(1);
    const byUpperCase = await client.get(`${shared}/objects/${shout(String(original.id))}/`);
    expect(byUpperCase.status).toBe(200);
    expect(byUpperCase.body.objects).toEqual([original]);
  });
});

describe('a marking that claims a TLP level counts as that level (docs/security.md §2)', () => {
  function partnerMarking(claim: Record<string, unknown>): Record<string, unknown> {
    return { type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${randomUUID()}`, created: '2024-03-01T10:00:00.000Z', ...claim };
  }
  const tlp2 = (level: string, key = TLP2_EXTENSION) => ({ name: 'partner marking', extensions: { [key]: { extension_type: 'property-extension', tlp_2_0: level } } });

  it.each([
    ['the TLP 2.0 extension with red', tlp2('red'), /TLP:RED is above this collection's ceiling/],
    ['the TLP 2.0 extension, its key in upper case', tlp2('red', shout(TLP2_EXTENSION)), /TLP:RED is above this collection's ceiling/],
    // Invalid in itself (Part 7.2.1.4 allows only the four published TLP 1.0 definitions), yet what it claims still counts for the objects.
    ['a tlp definition with red (TLP 1.0 form)', { name: 'TLP:RED', definition_type: 'tlp', definition: { tlp: 'red' } }, /Part 7\.2\.1\.4/],
    ['a statement named TLP:RED', { name: 'TLP:RED', definition_type: 'statement', definition: { statement: 'Do not share.' } }, /TLP:RED is above this collection's ceiling/],
  ])('refuses a partner-made marking definition carrying %s and every object in the envelope that refers to it', async (_label, claim, markingFailure) => {
    const marking = partnerMarking(claim);
    const marked = indicator({ object_marking_refs: [String(marking.id)] });
    const granular = indicator({ description: 'red part', granular_markings: [{ marking_ref: shout(String(marking.id)), selectors: ['description'] }] });
    const beside = indicator();
    const body = await post([marking, marked, granular, beside]);
    expect(failureOf(body, marking.id)).toMatch(markingFailure);
    expect(failureOf(body, marked.id)).toMatch(/TLP:RED is above this collection's ceiling TLP:GREEN/);
    expect(failureOf(body, granular.id)).toMatch(/TLP:RED is above this collection's ceiling TLP:GREEN/);
    expect(body.successes).toEqual([{ id: beside.id, version: beside.modified }]);
    const held = await heldIds();
    expect(held).toContain(beside.id);
    expect(held).not.toEqual(expect.arrayContaining([marking.id]));
    expect(held).not.toEqual(expect.arrayContaining([marked.id]));
  });

  it('takes the most restrictive claim when a definition reuses a TLP id with another level', async () => {
    // A forged copy of the OASIS TLP:AMBER definition that claims RED: RED counts.
    const forged = { type: 'marking-definition', spec_version: '2.1', id: TLP2_AMBER, created: '2022-10-01T00:00:00.000Z', name: 'TLP:AMBER', extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: 'red' } } };
    const marked = indicator({ object_marking_refs: [TLP2_AMBER] });
    const body = await post([forged, marked]);
    expect(failureOf(body, marked.id)).toMatch(/TLP:RED is above/);
  });

  it('accepts a partner-made marking at or under the ceiling, and the objects that refer to it', async () => {
    const marking = partnerMarking(tlp2('green'));
    const marked = indicator({ object_marking_refs: [String(marking.id)] });
    const body = await post([marking, marked]);
    expect(body.failure_count).toBe(0);
    expect(body.success_count).toBe(2);
  });
});
