import { join } from 'node:path';
import { ConfigError } from '../../server/errors';
import { PROJECT_ROOT } from '../../server/config/settings';
import { describeAlliance, loadAllianceConfig } from '../../server/config/alliance';
import { ALL_MEMBERS } from '../../server/config/types';

const fixture = (scenario: string): string => join(__dirname, 'fixtures', scenario);

async function loadError(scenario: string): Promise<ConfigError> {
  try {
    await loadAllianceConfig(fixture(scenario));
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`fixture '${scenario}' loaded without error`);
}

describe('loadAllianceConfig on a valid configuration', () => {
  it('returns camelCase values with defaults applied', async () => {
    const config = await loadAllianceConfig(fixture('good'));
    expect(config.server).toEqual({ title: 'Test alliance', defaultApiRoot: 'alliance' });
    expect(config.apiRoots).toEqual([{ path: 'alliance', title: 'Alliance', maxContentLength: 10 * 1024 * 1024, strictTypes: false }]);
    expect(config.organisations).toEqual([
      { id: 'de-bka', name: 'Bundeskriminalamt', country: 'DE', kind: 'national-unit' },
      { id: 'europol', name: 'Europol EC3', kind: 'agency' },
    ]);
    expect(config.collections.find((c) => c.id === '3b0e6a3c-8f0e-4b8c-9d33-6a0f3e0c1a01')).toEqual({
      id: '3b0e6a3c-8f0e-4b8c-9d33-6a0f3e0c1a01',
      title: 'BKA indicators',
      owner: 'de-bka',
      apiRoot: 'alliance',
      mediaTypes: ['application/stix+json;version=2.1'],
      unmarked: 'allow',
      foreignVersions: 'refuse',
      grants: [{ organisation: 'europol', read: true, write: false }],
    });
    const bilateral = config.collections.find((c) => c.title === 'Bilateral');
    expect(bilateral).toMatchObject({ owner: 'europol', maxTlp: 'amber+strict', grants: [{ organisation: 'de-bka', read: true, write: true }] });
    expect(config.collections.find((c) => c.title === 'Assessments')).toMatchObject({ unmarked: 'reject', grants: [] });
  });

  it("reads an API root's own request rate limit (docs/security.md 6)", async () => {
    const config = await loadAllianceConfig(fixture('rate-limited-root'));
    expect(config.apiRoots).toEqual([{ path: 'alliance', title: 'Alliance', maxContentLength: 10 * 1024 * 1024, strictTypes: false, rateLimitPerSecond: 20 }]);
  });
});

describe('loadAllianceConfig names the file and the path of each problem', () => {
  it.each([
    ['reserved-root', "alliance.yaml: /api_roots/1/path: 'admin/reports' would be shadowed: /admin/ is reserved for the admin API"],
    ['reserved-root-openapi', "alliance.yaml: /api_roots/1/path: 'openapi' would be shadowed: /openapi/ is reserved for the OpenAPI documents"],
    ['shared-identity', "europol.yaml: /identities/0: 'identity--1c8fa08d-6e2f-4d66-8e1c-7b3a2a4c9b02' is already an identity of de-bka"],
    ['unknown-org-grant', "europol.yaml: /collections/2/grants/0/organisation: 'fr-anssi' is not a declared organisation"],
    [
      'duplicate-collection-id',
      "europol.yaml: /collections/1/id: '5a1d3f77-6b2c-4e19-b0a4-7c3e9f1d2a03' is already used by de-bka.yaml /collections/0",
    ],
    ['non-uuid-id', "de-bka.yaml: /collections/0/id: 'bka-indicators' is not a valid UUID"],
    ['non-v4-uuid', "de-bka.yaml: /collections/0/id: '3b0e6a3c-8f0e-1b8c-9d33-6a0f3e0c1a01' is not a lowercase version 4 UUID"],
    ['bad-max-tlp', "europol.yaml: /collections/1/max_tlp: 'orange' must be one of 'clear', 'green', 'amber', 'amber+strict', 'red'"],
    ['missing-title', 'de-bka.yaml: /collections/0/title: is required'],
    ['file-name-mismatch', "bka.yaml: /id: 'de-bka' does not match the file name: rename the file to de-bka.yaml"],
    ['unknown-api-root', "de-bka.yaml: /collections/0/api_root: 'bka-internal' is not a declared API root (declared: alliance)"],
    ['unknown-setting', 'de-bka.yaml: /users: is not a known setting'],
    ['undeclared-default-root', "alliance.yaml: /server/default_api_root: 'main' is not a declared API root"],
    ['bad-rate-limit', 'alliance.yaml: /api_roots/0/rate_limit_per_second: must be >= 1'],
    ['self-grant', "de-bka.yaml: /collections/0/grants/0/organisation: 'de-bka' owns this collection and needs no grant"],
  ])('%s', async (scenario, expected) => {
    const error = await loadError(scenario);
    expect(error.message.split('\n')).toContain(expected);
  });

  it('reports malformed YAML with the file name and the parser position', async () => {
    const error = await loadError('malformed-yaml');
    expect(error.message).toMatch(/^de-bka\.yaml: \(document\): is not valid YAML: Missing closing "quote at line \d+, column \d+$/);
  });

  it('rejects a key written twice instead of silently keeping the last one', async () => {
    const error = await loadError('duplicate-key');
    expect(error.message).toMatch(/^de-bka\.yaml: \(document\): is not valid YAML: Map keys must be unique/);
  });

  it('refuses a directory without alliance.yaml', async () => {
    const error = await loadError('missing-alliance');
    expect(error.message).toBe(`alliance.yaml: missing from ${fixture('missing-alliance')}`);
  });

  it('refuses a directory that does not exist', async () => {
    await expect(loadAllianceConfig(fixture('no-such-scenario'))).rejects.toThrow(/cannot read the configuration directory/);
  });

  it('reports every problem of every file at once, one line each', async () => {
    const error = await loadError('several-problems');
    expect(error.message.split('\n')).toEqual([
      'de-bka.yaml: /collections/0/title: is required',
      "europol.yaml: /collections/1/max_tlp: 'orange' must be one of 'clear', 'green', 'amber', 'amber+strict', 'red'",
    ]);
  });
});

describe('the shipped collections/ directory', () => {
  it('declares a realistic alliance', async () => {
    const config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));
    const kinds = config.organisations.map((org) => org.kind);
    expect(config.organisations.length).toBeGreaterThanOrEqual(5);
    expect(kinds.filter((kind) => kind === 'national-unit').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toContain('agency');
    expect(kinds).toContain('private-sector');
    for (const org of config.organisations) {
      expect(config.collections.some((collection) => collection.owner === org.id)).toBe(true);
    }
    expect(config.apiRoots.map((root) => root.path)).toEqual(['alliance', 'de-bka-internal']);
    expect(config.server.defaultApiRoot).toBe('alliance');

    const allianceWide = config.collections.find((c) => c.owner === 'europol' && c.grants.some((g) => g.organisation === ALL_MEMBERS && g.write));
    expect(allianceWide).toMatchObject({ maxTlp: 'green', grants: [{ organisation: ALL_MEMBERS, read: true, write: true }] });

    const bilateral = config.collections.find((c) => c.owner === 'de-bka' && c.maxTlp === 'amber+strict');
    expect(bilateral?.grants).toEqual([{ organisation: 'gb-nca', read: true, write: true }]);

    const internal = config.collections.filter((c) => c.apiRoot === 'de-bka-internal');
    expect(internal.length).toBeGreaterThan(0);
    expect(internal.every((c) => c.owner === 'de-bka' && c.grants.length === 0)).toBe(true);

    expect(config.collections.some((c) => c.grants.some((g) => g.read && !g.write))).toBe(true);
  });

  it('is summarised by describeAlliance', async () => {
    const summary = describeAlliance(await loadAllianceConfig(join(PROJECT_ROOT, 'collections')));
    expect(summary).toMatch(/^Organisations \(6\):$/m);
    expect(summary).toMatch(/^ {2}\/alliance\/ \[default\]/m);
    expect(summary).toContain('grants: all-members read+write');
  });
});
