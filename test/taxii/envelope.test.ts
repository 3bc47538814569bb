import { buildEnvelope, buildManifest, buildVersions } from '../../server/taxii/envelope';
import type { StoredVersion } from '../../server/storage/repository';

const INDICATOR = '{"type":"indicator","spec_version":"2.1","id":"indicator--3f3c0b5e-8c1d-4f6a-9b2e-7d4a5c6b8e91"}';

function stored(dateAdded: number): StoredVersion {
  return {
    collectionId: 'e0073b23-5f9d-40cc-81d4-aa6b6a9693dd',
    id: 'indicator--3f3c0b5e-8c1d-4f6a-9b2e-7d4a5c6b8e91',
    type: 'indicator',
    specVersion: '2.1',
    version: '2026-03-01T10:00:00.000Z',
    versionKey: '2026-03-01T10:00:00.000000000Z',
    dateAdded,
    publishedBy: { organisation: 'europol', username: 'analyst@europol' },
    stix: INDICATOR,
  };
}

describe('listing resources', () => {
  // TAXII 2.1 §2: an empty list never stands in for an omitted optional property, whatever a client
  // such as Elastic's ti_custom expects (docs/integrations/elastic.md); §3.2 headers need a date_added.
  it.each([
    ['envelope', buildEnvelope],
    ['manifest', buildManifest],
    ['versions', buildVersions],
  ])('an empty %s page is {"more":false}: no empty list, no X-TAXII-Date-Added headers', (_name, build) => {
    expect(build({ records: [], more: false })).toEqual({ body: '{"more":false}', headers: {} });
  });

  it('a page of objects carries them byte for byte with the date_added of its first and last', () => {
    const page = buildEnvelope({ records: [stored(1_780_000_000_000_001), stored(1_780_000_000_000_002)], more: true, next: 'abc' });
    expect(page.body).toBe(`{"more":true,"next":"abc","objects":[${INDICATOR},${INDICATOR}]}`);
    expect(page.headers).toEqual({ 'X-TAXII-Date-Added-First': '2026-05-28T20:26:40.000001Z', 'X-TAXII-Date-Added-Last': '2026-05-28T20:26:40.000002Z' });
  });
});
