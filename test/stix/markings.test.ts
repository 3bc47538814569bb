import { claimedTlpLevel, moreRestrictive, TLP_ORDER, tlpLevelOfMarkingRef } from '../../server/stix/markings';
import { loadRealObjects } from '../support/real-data';

const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

describe('TLP markings', () => {
  it('orders levels from least to most restrictive', () => {
    expect(TLP_ORDER).toEqual(['clear', 'green', 'amber', 'amber+strict', 'red']);
  });

  it('knows every TLP 2.0 marking definition that OASIS publishes, by its tlp_2_0 value', () => {
    const published = new Map<string, string>();
    for (const { object } of loadRealObjects()) {
      const extensions = object.extensions as Record<string, { tlp_2_0?: string }> | undefined;
      const level = extensions?.[TLP2_EXTENSION]?.tlp_2_0;
      if (object.type === 'marking-definition' && level !== undefined) published.set(String(object.id), level);
    }
    expect(published.size).toBe(5);
    for (const [id, level] of published) expect(tlpLevelOfMarkingRef(id)).toBe(level);
  });

  it.each([
    ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear'],
    ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green'],
    ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber'],
    ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red'],
    ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear'],
    ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber'],
  ])('maps %s to %s', (id, level) => {
    expect(tlpLevelOfMarkingRef(id)).toBe(level);
  });

  it.each(['marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168', 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec', 'TLP:RED'])(
    'knows nothing of %s', (id) => {
      expect(tlpLevelOfMarkingRef(id)).toBeUndefined();
    });
});

describe('TLP markings in any spelling, and what a marking definition claims (docs/security.md §2)', () => {
  it.each([
    ['marking-definition--E828B379-4E03-4974-9AC4-E53A884C97C1', 'red'],
    ['marking-definition--e828B379-4e03-4974-9Ac4-e53a884c97C1', 'red'],
    ['marking-definition--5E57C739-391A-4EB3-B6BE-7D15CA92D5ED', 'red'],
    ['marking-definition--BAB4A63C-AED9-4CF5-A766-DFCA5ABAC2BB', 'green'],
  ])('maps %s to %s whatever the case of its hex digits', (id, level) => {
    expect(tlpLevelOfMarkingRef(id)).toBe(level);
  });

  const definition = (rest: Record<string, unknown>) => ({ type: 'marking-definition', id: 'marking-definition--0b1f5c6d-4c1e-4c1a-9b7e-2f7f0f6c1a11', ...rest });

  it.each([
    ['the TLP 2.0 extension', { extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } } }, 'amber+strict'],
    ['the TLP 2.0 extension under an upper-case key', { extensions: { [TLP2_EXTENSION.toUpperCase().replace('EXTENSION-DEFINITION', 'extension-definition')]: { tlp_2_0: 'red' } } }, 'red'],
    ['the TLP 2.0 extension with a value in capitals', { extensions: { [TLP2_EXTENSION]: { tlp_2_0: 'TLP:GREEN' } } }, 'green'],
    ['the TLP 2.0 extension without a readable level (fails closed)', { extensions: { [TLP2_EXTENSION]: { tlp_2_0: 'purple' } } }, 'red'],
    ['the TLP 2.0 extension with no level at all (fails closed)', { extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension' } } }, 'red'],
    ['a tlp definition (TLP 1.0 form)', { definition_type: 'tlp', definition: { tlp: 'white' } }, 'clear'],
    ['a tlp definition without a level (fails closed)', { definition_type: 'TLP', definition: {} }, 'red'],
    ['a name of the form TLP:<level>', { name: 'TLP:AMBER', definition_type: 'statement', definition: { statement: 'x' } }, 'amber'],
    ['a name with words after the level', { name: 'tlp: green (community)', definition_type: 'statement', definition: { statement: 'x' } }, 'green'],
    ['a TLP id and a contrary extension: the more restrictive', { id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', extensions: { [TLP2_EXTENSION]: { tlp_2_0: 'red' } } }, 'red'],
  ])('reads a claim from %s', (_label, rest, level) => {
    expect(claimedTlpLevel(definition(rest))).toBe(level);
  });

  it.each([
    ['a statement', { definition_type: 'statement', definition: { statement: 'Copyright 2024 ACME' }, name: 'ACME copyright' }],
    ['another extension', { extensions: { 'extension-definition--3a4b5c6d-7e8f-4a1b-8c2d-3e4f5a6b7c8d': { tlp_2_0: 'red' } } }],
    ['a name that only mentions TLP', { name: 'Not TLP:RED', definition_type: 'statement', definition: { statement: 'x' } }],
  ])('finds no claim in %s', (_label, rest) => {
    expect(claimedTlpLevel(definition(rest))).toBeUndefined();
  });

  it('orders levels with moreRestrictive', () => {
    expect(moreRestrictive('green', 'amber')).toBe('amber');
    expect(moreRestrictive('red', undefined)).toBe('red');
    expect(moreRestrictive(undefined, undefined)).toBeUndefined();
  });
});
