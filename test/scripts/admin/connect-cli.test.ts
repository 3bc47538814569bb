import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDemoUsers } from '../../../server/auth/demo-users';
import { loadAllianceConfig } from '../../../server/config/alliance';
import { PROJECT_ROOT } from '../../../server/config/settings';
import type { AllianceConfig, CollectionConfig } from '../../../server/config/types';
import { INTEGRATION_TOOLS } from '../../../scripts/admin/integration-profiles';
import { runAdminCli, type CliRun } from '../../support/admin-cli';
import { openTestStorage, type TestStorage } from '../../support/storage';

const BASE = 'https://taxii.alliance.example';

/** `label: value` lines of the printed sheet, first occurrence of each label (indentation dropped). */
function fields(stdout: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*([^:]+?):\s+(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined && !found.has(match[1])) found.set(match[1], match[2]);
  }
  return found;
}

describe('admin connect', () => {
  let database: TestStorage;
  let config: AllianceConfig;

  // The command only reads, so one child process per distinct command line is enough (each costs about 2 s).
  const runs = new Map<string, Promise<CliRun>>();
  function admin(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    const key = JSON.stringify([args, env]);
    const run = runs.get(key) ?? runAdminCli(database, args, { env });
    runs.set(key, run);
    return run;
  }

  function demoCollection(alias: string): CollectionConfig {
    const collection = config.collections.find((candidate) => candidate.alias === alias);
    if (!collection) throw new Error(`collections/ has no ${alias}`);
    return collection;
  }

  beforeAll(async () => {
    database = await openTestStorage('connect_cli');
    config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));
    await ensureDemoUsers(database.credentials, config);
  });
  afterAll(() => database.close());

  it.each(INTEGRATION_TOOLS)('prints the real id, URLs and rights of a demo collection for %s', async (tool) => {
    const phishing = demoCollection('gb-nca-phishing');
    const run = await admin(['connect', tool, '--user', 'analyst@de-bka', '--collection', 'gb-nca-phishing', '--base-url', BASE]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const printed = fields(run.stdout);
    expect(printed.get('id')).toBe(phishing.id);
    expect(printed.get('Collection')).toBe(phishing.title);
    expect(printed.get('can_read')).toBe('true');
    expect(printed.get('can_write')).toBe('false');
    expect(printed.get('API root')).toBe(`${BASE}/${phishing.apiRoot}/ (max_content_length 10485760)`);
    expect(printed.get('Discovery')).toBe(`${BASE}/taxii2/`);
    // taxii2-client-based tools refuse a collection URL without the id: no URL may carry the alias.
    expect(run.stdout).not.toMatch(/\/collections\/gb-nca-phishing/);
    const guide = /^Guide: (\S+)$/m.exec(run.stdout)?.[1];
    expect(guide).toBe(`docs/integrations/${tool}.md`);
    expect(existsSync(join(PROJECT_ROOT, guide ?? 'missing'))).toBe(true);
    expect(run.stdout).toMatch(/^Smoke test:\n {2}\S/m);
  });

  it.each([
    ['sentinel', 'Collection ID', (c: CollectionConfig) => c.id],
    ['sentinel', 'API root URL', (c: CollectionConfig) => `${BASE}/${c.apiRoot}/`],
    ['splunk', 'Collection ID', (c: CollectionConfig) => c.id],
    ['elastic', 'URL API endpoint', (c: CollectionConfig) => `${BASE}/${c.apiRoot}/collections/${c.id}/objects/`],
    ['opencti', 'TAXII2_COLLECTIONS', (c: CollectionConfig) => `${c.apiRoot}.${c.title}`],
    ['opencti', 'TAXII2_DISCOVERY_URL', () => `${BASE}/taxii2/`],
    ['misp', 'Collection', (c: CollectionConfig) => c.title],
    ['misp', 'url', (c: CollectionConfig) => `${BASE}/${c.apiRoot}/collections/${c.id}/`],
  ])('gives %s the field %s from collections/', async (tool, label, expected) => {
    const run = await admin(['connect', tool, '--user', 'analyst@nl-police', '--collection', 'nl-botnet-takedowns', '--base-url', BASE]);
    expect(run.code).toBe(0);
    expect(fields(run.stdout).get(label)).toBe(expected(demoCollection('nl-botnet-takedowns')));
  });

  it('gives MISP the base URL, API root and collection id that taxii_push.py joins, when the user may write', async () => {
    const pool = demoCollection('alliance-indicators');
    const run = await admin(['connect', 'misp', '--user', 'analyst@fr-ofac', '--collection', pool.id, '--base-url', BASE]);
    expect(run.code).toBe(0);
    const push = run.stdout.slice(run.stdout.indexOf('Push:'), run.stdout.indexOf('Pull:'));
    expect(fields(push)).toEqual(new Map([
      ['Push', 'Sync Actions > TAXII servers > Add (taxii_push.py):'],
      ['Base URL', BASE],
      ['API root', pool.apiRoot],
      ['Collection', pool.id],
      ['API key', `the output of: printf '%s:%s' 'analyst@fr-ofac' "$PASSWORD" | base64 -w0`],
    ]));
  });

  it('offers MISP only the push on a write-only collection', async () => {
    const run = await admin(['connect', 'misp', '--user', 'analyst@sentinelgrid', '--collection', 'private-sector-submissions', '--base-url', BASE]);
    expect(run.code).toBe(0);
    expect(fields(run.stdout).get('can_read')).toBe('false');
    expect(fields(run.stdout).get('can_write')).toBe('true');
    expect(run.stdout).toContain('Push: Sync Actions');
    expect(run.stdout).not.toContain('Pull:');
  });

  it.each([
    [['sentinel', '--user', 'analyst@sentinelgrid', '--collection', 'private-sector-submissions'], /^error: analyst@sentinelgrid \(organisation sentinelgrid\) may not read "Private-sector submissions" \(06b5c663-440a-4fda-a55b-23e7bbe50036\), and sentinel polls it/],
    [['opencti', '--user', 'analyst@fr-ofac', '--collection', 'de-bka-ransomware'], /^error: analyst@fr-ofac \(organisation fr-ofac\) has no grant on "BKA ransomware infrastructure" \(f4222732-c36e-4dbb-8662-bddae09ef71b\): the collection does not exist for them/],
    [['misp', '--user', 'analyst@europol', '--collection', 'casework'], /^error: analyst@europol \(organisation europol\) has no grant on "BKA internal casework"/],
    [['elastic', '--user', 'ghost@nowhere', '--collection', 'alliance-indicators'], /^error: no user 'ghost@nowhere'\n$/],
    [['qradar', '--user', 'analyst@de-bka', '--collection', 'no-such-collection'], /^error: no collection 'no-such-collection' in .*collections \(give its id or alias\)\n$/],
    [['splunk', '--user', 'analyst@de-bka', '--collection', 'alliance-indicators', '--base-url', 'https://taxii.example.org/prefix'], /^error: --base-url must be a scheme, host and optional port only/],
    [['arcsight', '--user', 'analyst@de-bka', '--collection', 'alliance-indicators'], /value 'arcsight' is invalid for argument 'tool'\. Allowed choices are opencti, misp, sentinel, elastic, splunk, qradar/],
  ])('refuses connect %j with a clear error and prints nothing', async (args, message) => {
    const run = await admin(['connect', ...args, ...(args.includes('--base-url') ? [] : ['--base-url', BASE])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('takes the base URL from PUBLIC_BASE_URL, and says so when it has to fall back to the listening address', async () => {
    const configured = await admin(['connect', 'sentinel', '--user', 'analyst@de-bka', '--collection', 'alliance-indicators'], { PUBLIC_BASE_URL: 'https://taxii.partner.example:8443/' });
    expect(configured).toMatchObject({ code: 0, stderr: '' });
    expect(fields(configured.stdout).get('API root URL')).toBe('https://taxii.partner.example:8443/alliance/');
    const fallback = await admin(['connect', 'sentinel', '--user', 'analyst@de-bka', '--collection', 'alliance-indicators'], { HOST: '0.0.0.0', PORT: '8123' });
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toMatch(/^PUBLIC_BASE_URL is not set: printing http:\/\/127\.0\.0\.1:8123/);
    expect(fields(fallback.stdout).get('API root URL')).toBe('http://127.0.0.1:8123/alliance/');
    expect(fallback.stdout).toMatch(/^Warnings:\n {2}http:\/\/127\.0\.0\.1:8123 is this machine's loopback address/m);
  });
});
