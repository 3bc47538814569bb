import type { AllianceConfig, CreatedByCheck } from '../../server/config/types';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

const BKA = 'identity--0b7e9f7c-5d1e-4c55-9d0b-6a2f1f3b8a01';
const EUROPOL = 'identity--1c8fa08d-6e2f-4d66-8e1c-7b3a2a4c9b02';
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;

function allianceChecking(mode: CreatedByCheck): AllianceConfig {
  const config = testAlliance();
  config.apiRoots = config.apiRoots.map((root) => ({ ...root, createdByCheck: mode }));
  config.organisations = config.organisations.map((organisation) =>
    organisation.id === 'de-bka' ? { ...organisation, identities: [BKA] } : organisation.id === 'europol' ? { ...organisation, identities: [EUROPOL] } : organisation,
  );
  return config;
}

describe.each(['reject', 'warn', 'off'] as const)('created_by_ref check in %s mode', (mode) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(`created-by-${mode}`, allianceChecking(mode));
  });
  afterAll(() => server.close());

  it('judges an object published in a partner\'s name, and lets the publisher\'s own pass', async () => {
    const own = indicator({ created_by_ref: BKA });
    const impersonating = indicator({ created_by_ref: EUROPOL });
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [own, impersonating] });
    expect(response.status).toBe(202);
    const finding = `/created_by_ref: ${EUROPOL} is an identity of europol, not of the publisher de-bka`;
    const ownDetail = response.body.successes.find((detail: { id: string }) => detail.id === own.id);
    expect(ownDetail.message).toBeUndefined();
    if (mode === 'reject') {
      expect(response.body.success_count).toBe(1);
      expect(response.body.failures).toEqual([{ id: impersonating.id, version: impersonating.modified, message: finding }]);
    } else {
      expect(response.body.success_count).toBe(2);
      const detail = response.body.successes.find((entry: { id: string }) => entry.id === impersonating.id);
      expect(detail.message).toBe(mode === 'warn' ? `Accepted with a warning: ${finding}` : undefined);
    }
  });
});

describe('created_by_ref check when the API root states no rule', () => {
  let server: TestServer;
  beforeAll(async () => {
    const config = allianceChecking('off');
    config.apiRoots = config.apiRoots.map(({ createdByCheck: _unset, ...root }) => root);
    server = await startTestServer('created-by-default', config);
  });
  afterAll(() => server.close());

  it('refuses, in a shared pool, an object published in another partner\'s name and only warns about a third party\'s identity', async () => {
    const impersonating = indicator({ created_by_ref: EUROPOL });
    const thirdParty = indicator({ created_by_ref: 'identity--9d3f1c2e-7a4b-4c5d-8e6f-0a1b2c3d4e5f' });
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [impersonating, thirdParty] });
    expect(response.body.failures).toEqual([expect.objectContaining({ id: impersonating.id, message: expect.stringContaining('is an identity of europol') })]);
    expect(response.body.successes).toEqual([expect.objectContaining({ id: thirdParty.id, message: expect.stringMatching(/^Accepted with a warning/) })]);
  });

  it('checks nothing in a collection only its owner writes', async () => {
    const response = await taxiiClient(server, 'gb-nca').post(`/alliance/collections/${COLLECTION_IDS.gbOnly}/objects/`, { objects: [indicator({ created_by_ref: EUROPOL })] });
    expect(response.body).toMatchObject({ success_count: 1, failure_count: 0 });
    expect(response.body.successes[0].message).toBeUndefined();
  });
});
