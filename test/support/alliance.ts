import type { AllianceConfig, CollectionConfig } from '../../server/config/types';

/**
 * A small alliance for HTTP tests, declared in code so each scenario is visible where it is used.
 * de-bka owns a collection (ceiling TLP:AMBER+STRICT, unmarked objects refused) shared read-only
 * with gb-nca and write-only with europol; the shared collection and the TLP:GREEN one are open to all members; the internal root holds de-bka's own collection only.
 */
export const COLLECTION_IDS = {
  bka: '1f0c3c4e-2a7b-4d59-9a3e-5b7f0c2d1a01',
  shared: '2e1d4d5f-3b8c-4e6a-8b4f-6c8a1d3e2b02',
  internal: '3f2e5e6a-4c9d-4f7b-9c5a-7d9b2e4f3c03',
  gbOnly: '4a3f6f7b-5dae-4a8c-8d6b-8eac3f5a4d04',
  greenCeiling: '5c4a7a8c-6ebf-4b9d-9e7c-9fbd4a6b5e06',
} as const;

function collection(partial: Partial<CollectionConfig> & Pick<CollectionConfig, 'id' | 'title' | 'owner' | 'apiRoot'>): CollectionConfig {
  return { mediaTypes: ['application/stix+json;version=2.1'], unmarked: 'allow', foreignVersions: 'refuse', grants: [], ...partial };
}

export function testAlliance(): AllianceConfig {
  return {
    server: { title: 'Test Alliance TAXII', description: 'for tests', contact: 'soc@example.org', defaultApiRoot: 'alliance' },
    apiRoots: [
      { path: 'alliance', title: 'Alliance', description: 'shared root', maxContentLength: 1_000_000, strictTypes: false },
      { path: 'bka/internal', title: 'BKA internal', maxContentLength: 1_000_000, strictTypes: false },
    ],
    organisations: [
      { id: 'de-bka', name: 'Bundeskriminalamt', country: 'DE', kind: 'national-unit' },
      { id: 'gb-nca', name: 'National Crime Agency', country: 'GB', kind: 'national-unit' },
      { id: 'europol', name: 'Europol EC3', kind: 'agency' },
      { id: 'acme-sec', name: 'Acme Security', country: 'NL', kind: 'private-sector' },
    ],
    collections: [
      collection({
        id: COLLECTION_IDS.bka,
        alias: 'bka-indicators',
        title: 'BKA indicators',
        owner: 'de-bka',
        apiRoot: 'alliance',
        maxTlp: 'amber+strict',
        unmarked: 'reject',
        grants: [
          { organisation: 'gb-nca', read: true, write: false },
          { organisation: 'europol', read: false, write: true },
        ],
      }),
      collection({
        id: COLLECTION_IDS.shared,
        title: 'Alliance shared',
        owner: 'europol',
        apiRoot: 'alliance',
        grants: [{ organisation: 'all-members', read: true, write: true }],
      }),
      collection({
        id: COLLECTION_IDS.greenCeiling,
        title: 'Alliance TLP:GREEN exchange',
        owner: 'europol',
        apiRoot: 'alliance',
        maxTlp: 'green',
        grants: [{ organisation: 'all-members', read: true, write: true }],
      }),
      collection({ id: COLLECTION_IDS.gbOnly, title: 'NCA only', owner: 'gb-nca', apiRoot: 'alliance' }),
      collection({ id: COLLECTION_IDS.internal, title: 'BKA internal', owner: 'de-bka', apiRoot: 'bka/internal' }),
    ],
  };
}
