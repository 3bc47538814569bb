import { TLP_ORDER, tlpLevelOfMarkingRef } from '../../../server/stix/markings';
import { loadRealObjects } from './real-data';

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
