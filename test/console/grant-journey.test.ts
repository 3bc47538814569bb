import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import { screenshot } from '../support/browser';
import { startConsoleJourney, type ConsoleJourney } from '../support/console-journey';

// A partner's view follows the access matrix: a grant given through the admin API appears in the
// partner's console, and disappears again when revoked. The grant edits the owner's YAML file, so the
// demo server runs on a copy of collections/.
jest.setTimeout(180_000);

const ADMIN = `Basic ${Buffer.from('admin@europol:demo-admin-2026').toString('base64')}`;
let journey: ConsoleJourney;
let configDir: string;
let ransomware: { id: string; title: string };

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'taxii-console-grant-config-'));
  await cp(join(PROJECT_ROOT, 'collections'), configDir, { recursive: true });
  const config = await loadAllianceConfig(configDir);
  const collection = config.collections.find((candidate) => candidate.alias === 'de-bka-ransomware');
  if (!collection) throw new Error('the demo alliance has no de-bka-ransomware collection');
  ransomware = { id: collection.id, title: collection.title };
  journey = await startConsoleJourney('grant', { CONFIG_DIR: configDir });
});

afterAll(async () => {
  await journey?.close();
  await rm(configDir, { recursive: true, force: true });
});

async function setGrant(method: 'PUT' | 'DELETE'): Promise<void> {
  const response = await fetch(`${journey.base}/admin/collections/${ransomware.id}/grants/fr-ofac`, {
    method,
    headers: { Authorization: ADMIN, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: method === 'PUT' ? JSON.stringify({ read: true }) : undefined,
  });
  expect(response.status).toBe(200);
}

/** Reloads the collections page until the title is (or is no longer) listed: a running server applies a new configuration revision within seconds. */
async function waitForListed(listed: boolean): Promise<void> {
  const { page, base } = journey;
  for (;;) {
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    await page.getByRole('table').waitFor();
    if ((await page.getByRole('link', { name: ransomware.title }).count() > 0) === listed) return;
    await page.waitForTimeout(250);
  }
}

describe('a partner\'s console follows the grants', () => {
  it('logs in with the keyboard alone', async () => {
    const { page, base } = journey;
    await page.goto(`${base}/console/login`);
    await page.getByLabel('Username').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('analyst@fr-ofac');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo-fr-ofac-2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
  });

  it('does not list a collection the partner has no grant on, nor open it by URL', async () => {
    const { page, base } = journey;
    await page.getByRole('table').waitFor();
    await expect(page.getByRole('link', { name: ransomware.title }).count()).resolves.toBe(0);
    await page.goto(`${base}/console/collections/alliance/${ransomware.id}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.locator('body').innerText()).not.toContain(ransomware.title);
  });

  it('lists and opens the collection once the owner\'s grant gives the partner read access', async () => {
    await setGrant('PUT');
    await waitForListed(true);
    const { page } = journey;
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: ransomware.title }) });
    await expect(row.getByRole('cell').nth(3).textContent()).resolves.toBe('yes');
    await expect(row.getByRole('cell').nth(4).textContent()).resolves.toBe('no');
    await screenshot(page, 'collections-after-grant');
    await page.getByRole('link', { name: ransomware.title }).click();
    await page.getByRole('heading', { name: ransomware.title }).waitFor();
  });

  it('hides it again once the grant is revoked', async () => {
    await setGrant('DELETE');
    await waitForListed(false);
  });
});
