import { loadAllianceConfig } from '../../../server/config/alliance';
import { diffAllianceConfigs } from '../../../server/config/config-diff';
import { watchAllianceConfig } from '../../../server/services/admin/config-watch';
import { openTestStorage } from '../../support/storage';
import { FIXTURE_CONFIG, IDS } from './admin-test-server';

describe('the stored alliance configuration', () => {
  it('is replaced only from the revision it was read at, and a running server picks a newer one up by polling', async () => {
    const database = await openTestStorage('config_watch');
    try {
      const config = await loadAllianceConfig(FIXTURE_CONFIG);
      const store = database.configStore;
      expect(await store.replace(0, { config, appliedAt: new Date(), appliedBy: 'test' })).toBe(true);
      expect(await store.replace(0, { config, appliedAt: new Date(), appliedBy: 'late' })).toBe(false);

      const live = { config };
      const changes: number[] = [];
      const watch = watchAllianceConfig(store, live, { intervalMs: 20, revision: 1, onChange: (revision) => changes.push(revision), onError: (error) => { throw error; } });
      const next = structuredClone(config);
      const collection = next.collections.find((candidate) => candidate.id === IDS.bkaRansomware);
      collection?.grants.push({ organisation: 'sentinelgrid', read: true, write: false });
      expect(await store.replace(1, { config: next, appliedAt: new Date(), appliedBy: 'cli' })).toBe(true);
      for (let attempt = 0; attempt < 500 && changes.length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      watch.stop();
      expect(changes).toEqual([2]);
      expect(live.config.collections.find((candidate) => candidate.id === IDS.bkaRansomware)?.grants).toContainEqual({ organisation: 'sentinelgrid', read: true, write: false });
    } finally {
      await database.close();
    }
  });
});

describe('diffAllianceConfigs', () => {
  it('names organisations, API roots, collections, TLP ceilings and grants added, removed and changed', async () => {
    const before = await loadAllianceConfig(FIXTURE_CONFIG);
    const after = structuredClone(before);
    after.organisations = after.organisations.filter((org) => org.id !== 'fr-ofac');
    after.apiRoots.push({ path: 'labs', title: 'Labs', maxContentLength: 1024, strictTypes: true });
    after.collections = after.collections.filter((collection) => collection.owner !== 'fr-ofac');
    const bka = after.collections.find((collection) => collection.id === IDS.bkaRansomware);
    if (bka) {
      bka.maxTlp = 'green';
      bka.grants = [{ organisation: 'europol', read: true, write: true }];
    }
    const diff = diffAllianceConfigs(before, after);
    expect(diff.needsRestart).toBe(true);
    expect(diff.lines).toEqual([
      '- organisation fr-ofac',
      '+ API root /labs/ "Labs" (served after a restart)',
      `~ collection de-bka-ransomware (${IDS.bkaRansomware}): max_tlp "amber" -> "green"`,
      `~ grant europol on de-bka-ransomware (${IDS.bkaRansomware}): read -> read+write`,
      `- grant nl-police read on de-bka-ransomware (${IDS.bkaRansomware})`,
      expect.stringMatching(/^- collection fr-ofac-fraud \(.*\) owned by fr-ofac \(objects stay stored, hidden\)$/),
    ]);
    expect(diffAllianceConfigs(before, structuredClone(before)).lines).toEqual([]);
  });
});
