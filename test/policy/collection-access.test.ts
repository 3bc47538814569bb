import type { Principal } from '../../server/auth/principal';
import type { CollectionConfig } from '../../server/config/types';
import { decide, rightsOn } from '../../server/policy/access-policy';
import { envelopeMarkingClaims, tlpCeilingReasons } from '../../server/policy/tlp-ceiling';

const principal = (organisation: string): Principal => ({ username: `u@${organisation}`, organisation, role: 'member', authenticatedBy: { method: 'password' } });

const collection: CollectionConfig = {
  id: '9d3f1c2e-7a4b-4c5d-8e6f-0a1b2c3d4e5f',
  title: 'bilateral',
  owner: 'de-bka',
  apiRoot: 'alliance',
  foreignVersions: 'refuse',
  mediaTypes: [],
  unmarked: 'allow',
  maxTlp: 'amber',
  grants: [
    { organisation: 'gb-nca', read: true, write: false },
    { organisation: 'europol', read: false, write: true },
    { organisation: 'all-members', read: false, write: false },
  ],
};

describe('rightsOn and decide', () => {
  it.each([
    ['de-bka', true, true],
    ['gb-nca', true, false],
    ['europol', false, true],
    ['fr-ofac', false, false],
  ])('%s reads=%p writes=%p', (organisation, canRead, canWrite) => {
    expect(rightsOn(principal(organisation), collection)).toEqual({ canRead, canWrite });
  });

  it.each([
    ['fr-ofac', 'see', { allow: false, hide: true }],
    ['gb-nca', 'see', { allow: true }],
    ['gb-nca', 'write', { allow: false, hide: false }],
    ['gb-nca', 'delete', { allow: false, hide: false }],
    ['europol', 'read', { allow: false, hide: false }],
    ['europol', 'delete', { allow: false, hide: false }],
    ['de-bka', 'delete', { allow: true }],
  ] as const)('%s may %s: %p', (organisation, action, expected) => {
    expect(decide(principal(organisation), action, collection)).toMatchObject(expected);
  });

  it('adds all-members grants to everyone', () => {
    const open = { ...collection, grants: [{ organisation: 'all-members', read: true, write: false }] };
    expect(rightsOn(principal('anyone'), open)).toEqual({ canRead: true, canWrite: false });
  });
});

describe('tlpCeilingReasons', () => {
  const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
  const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
  const TLP1_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';
  const STATEMENT = 'marking-definition--3cd55916-d34b-4747-a8e0-dedec14b711b';

  it.each([
    [[GREEN], []],
    [[TLP1_AMBER], []],
    [[GREEN, RED], ["/object_marking_refs: TLP:RED is above this collection's ceiling TLP:AMBER"]],
    [[STATEMENT], []],
  ])('object_marking_refs %p → %p', (refs, reasons) => {
    expect(tlpCeilingReasons({ type: 'indicator', object_marking_refs: refs }, collection)).toEqual(reasons);
  });

  it('treats a statement-only object as unmarked under unmarked: reject', () => {
    const strict = { ...collection, unmarked: 'reject' as const };
    expect(tlpCeilingReasons({ type: 'indicator', object_marking_refs: [STATEMENT] }, strict)).toHaveLength(1);
    expect(tlpCeilingReasons({ type: 'marking-definition' }, strict)).toEqual([]);
  });

  it('has no ceiling to apply when the collection declares none', () => {
    expect(tlpCeilingReasons({ type: 'indicator', object_marking_refs: [RED] }, { ...collection, maxTlp: undefined })).toEqual([]);
  });
});

describe('tlpCeilingReasons with the claims of an envelope (docs/security.md §2)', () => {
  const ceilingGreen: CollectionConfig = { ...collection, maxTlp: 'green' };
  const partnerRed = 'marking-definition--0b1f5c6d-4c1e-4c1a-9b7e-2f7f0f6c1a11';
  const TLP2 = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
  const redDefinition = { type: 'marking-definition', id: partnerRed, extensions: { [TLP2]: { tlp_2_0: 'red' } } };

  it('collects the claims of every marking definition in the envelope, by canonical id', () => {
    const claims = envelopeMarkingClaims([{ ...redDefinition, id: partnerRed.toUpperCase().replace('MARKING-DEFINITION', 'marking-definition') }, 'not an object', { type: 'indicator' }]);
    expect([...claims]).toEqual([[partnerRed, 'red']]);
  });

  it('counts a reference to a definition that claims a level as that level, in any spelling', () => {
    const claims = envelopeMarkingClaims([redDefinition]);
    const upper = partnerRed.replace(/[a-f]/g, (c) => c.toUpperCase()).replace('MARKING-DEFINITION', 'marking-definition');
    expect(tlpCeilingReasons({ type: 'indicator', object_marking_refs: [upper] }, ceilingGreen, claims)).toEqual([
      "/object_marking_refs: TLP:RED is above this collection's ceiling TLP:GREEN",
    ]);
    expect(tlpCeilingReasons({ type: 'indicator', object_marking_refs: [partnerRed] }, ceilingGreen)).toEqual([]);
  });

  it('holds a marking definition that claims a level to the ceiling, unless it is a published TLP definition', () => {
    expect(tlpCeilingReasons(redDefinition, ceilingGreen)).toEqual([
      "/: TLP:RED is above this collection's ceiling TLP:GREEN (the level this marking definition claims)",
    ]);
    const published = { type: 'marking-definition', id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED', extensions: { [TLP2]: { tlp_2_0: 'red' } } };
    expect(tlpCeilingReasons(published, ceilingGreen)).toEqual([]);
  });

  it('lets a reference to a claiming definition satisfy unmarked: reject', () => {
    const strict: CollectionConfig = { ...collection, maxTlp: 'amber', unmarked: 'reject' };
    const greenClaim = { ...redDefinition, extensions: { [TLP2]: { tlp_2_0: 'green' } } };
    expect(tlpCeilingReasons({ type: 'indicator', object_marking_refs: [partnerRed] }, strict, envelopeMarkingClaims([greenClaim]))).toEqual([]);
  });
});
