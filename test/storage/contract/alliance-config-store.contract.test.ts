import type { NewAllianceConfig } from '../../../server/storage/alliance-config-store';
import type { Storage } from '../../../server/storage/storage';
import type { AllianceConfig } from '../../../server/config/types';
import { describeEachEngine } from '../../support/storage';

function config(title: string): AllianceConfig {
  return {
    server: { title, description: 'Shared CTI' },
    apiRoots: [{ path: 'alliance', title: 'Alliance', maxContentLength: 10_485_760, strictTypes: false }],
    organisations: [{ id: 'de-bka', name: 'BKA', country: 'DE', kind: 'national-unit', identities: ['identity--11111111-1111-4111-8111-111111111111'] }],
    collections: [{
      id: '22222222-2222-4222-8222-222222222222', title: 'Indicators', owner: 'de-bka', apiRoot: 'alliance',
      mediaTypes: ['application/stix+json;version=2.1'], maxTlp: 'amber', unmarked: 'reject', foreignVersions: 'refuse',
      grants: [{ organisation: 'all-members', read: true, write: false }],
    }],
  };
}

function apply(title: string, appliedAt: string): NewAllianceConfig {
  return { config: config(title), appliedAt: new Date(appliedAt), appliedBy: 'admin@europol (europol)' };
}

describeEachEngine('AllianceConfigStore contract', (open) => {
  // A fresh store per test: the store holds one record, so tests cannot share one.
  let storage: Storage;
  beforeEach(async () => {
    storage = await open('config-contract');
    await storage.prepare();
  });
  afterEach(() => storage.close());

  it('starts empty at revision 0', async () => {
    expect(await storage.configStore.read()).toBeUndefined();
    expect(await storage.configStore.revision()).toBe(0);
  });

  it('stores the first revision once and reads back exactly what was applied', async () => {
    const first = apply('first', '2026-01-01T00:00:00.123Z');
    expect(await storage.configStore.replace(0, first)).toBe(true);
    expect(await storage.configStore.replace(0, apply('rival', '2026-01-01T00:00:01Z'))).toBe(false);
    expect(await storage.configStore.read()).toStrictEqual({ revision: 1, ...first });
    expect(await storage.configStore.revision()).toBe(1);
  });

  it('swaps only from the revision expected, storing nothing when refused', async () => {
    await storage.configStore.replace(0, apply('first', '2026-01-01T00:00:00Z'));
    const second = apply('second', '2026-01-02T00:00:00Z');
    expect(await storage.configStore.replace(1, second)).toBe(true);
    expect(await storage.configStore.replace(1, apply('stale', '2026-01-03T00:00:00Z'))).toBe(false);
    expect(await storage.configStore.replace(5, apply('ahead', '2026-01-03T00:00:00Z'))).toBe(false);
    expect(await storage.configStore.read()).toStrictEqual({ revision: 2, ...second });
    expect(await storage.configStore.revision()).toBe(2);
  });

  it('lets exactly one of two concurrent applies from the same revision win', async () => {
    await storage.configStore.replace(0, apply('first', '2026-01-01T00:00:00Z'));
    const outcomes = await Promise.all([
      storage.configStore.replace(1, apply('left', '2026-01-02T00:00:00Z')),
      storage.configStore.replace(1, apply('right', '2026-01-02T00:00:00Z')),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = outcomes[0] ? 'left' : 'right';
    expect((await storage.configStore.read())?.config.server.title).toBe(winner);
    expect(await storage.configStore.revision()).toBe(2);
  });

  it('leaves undefined optional fields out of the configuration read back', async () => {
    const withUndefined = apply('sparse', '2026-01-01T00:00:00Z');
    withUndefined.config.server.contact = undefined;
    await storage.configStore.replace(0, withUndefined);
    const stored = await storage.configStore.read();
    expect(stored?.config.server).toStrictEqual({ title: 'sparse', description: 'Shared CTI' });
  });
});
