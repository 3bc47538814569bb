import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import { loadFixtures, REFERENCE_DATA_FOLDER } from '../../server/services/fixtures';
import { startTestServer, type TestServer } from '../support/taxii-app';

// The demo data `npm start` loads: the files fixtures/README.md lists, in load order.
const DEMO_FILES = [
  'de-bka/de-bka-ransomware/10-threat-actor-attack-patterns-malware.json',
  'europol/alliance-indicators/00-tlp-2.0-markings.json',
  'europol/alliance-indicators/10-indicator-for-malicious-url.json',
  'europol/alliance-indicators/20-malware-indicator-for-file-hash.json',
  'europol/alliance-indicators/90-deliberately-invalid.json',
  'europol/ec3-threat-assessments/10-campaigns-threat-actors-intrusion-sets.json',
  'fr-ofac/fr-ofac-fraud/10-malicious-email-with-attachment.json',
  'gb-nca/gb-nca-phishing/10-sighting-of-an-indicator.json',
  'nl-police/nl-botnet-takedowns/10-indicator-for-c2-ip-address.json',
  'nl-police/nl-botnet-takedowns/20-infrastructure.json',
  'sentinelgrid/sentinelgrid-feed/10-sco-examples.json',
];

let server: TestServer;
let scratch: string;
beforeAll(async () => {
  server = await startTestServer('demo_fixtures', await loadAllianceConfig(join(PROJECT_ROOT, 'collections')));
  scratch = await mkdtemp(join(tmpdir(), 'taxii-fixtures-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await server.close();
});

async function writeBundle(dir: string, file: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), JSON.stringify({ type: 'bundle', id: 'bundle--6d0c7b0f-4c39-4d0a-9a52-3f1d8f3b5a11', objects: [] }));
}

describe('loadFixtures (npm start --demo)', () => {
  it('loads every demo file of fixtures/ and nothing of the reference corpus in fixtures/real/', async () => {
    const reports = await loadFixtures(server.context, join(PROJECT_ROOT, 'fixtures'));
    expect(reports.map((report) => report.file)).toEqual(DEMO_FILES);
    // The six deliberate failures of 90-deliberately-invalid.json, and nothing else, are refused.
    expect(reports.filter((report) => report.rejected > 0)).toEqual([
      expect.objectContaining({ file: 'europol/alliance-indicators/90-deliberately-invalid.json', rejected: 6 }),
    ]);
    expect(reports.every((report) => report.accepted + report.rejected > 0)).toBe(true);
  });

  it(`skips a folder named ${REFERENCE_DATA_FOLDER}/ but still refuses a folder that names no organisation's collection`, async () => {
    const fixturesDir = join(scratch, 'fixtures');
    await writeBundle(join(fixturesDir, REFERENCE_DATA_FOLDER, 'attack'), 'ics-attack.json');
    await expect(loadFixtures(server.context, fixturesDir)).resolves.toEqual([]);

    await writeBundle(join(fixturesDir, 'europool', 'alliance-indicators'), '10-typo.json');
    await expect(loadFixtures(server.context, fixturesDir)).rejects.toThrow("fixtures/europool/alliance-indicators: europool owns no collection with alias 'alliance-indicators'");
  });
});
