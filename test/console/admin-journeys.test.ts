import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot, unlabelledControls } from '../support/browser';
import { ALLIANCE_ADMIN, startAdminConsole, type AdminConsole } from './admin-console';

/**
 * Browser journeys through the console's admin views (console/src/pages/admin), on the demo server:
 * what an org-admin can do there, and what the TAXII side and the login then show.
 */
const ORG_ADMIN = { username: 'lead@de-bka', password: 'org-admin password for the journeys' };
const PARTNER = { username: 'analyst@fr-ofac', password: 'demo-fr-ofac-2026' };
const BKA_ANALYST = { username: 'analyst@de-bka', password: 'demo-de-bka-2026' };
const BKA_RANSOMWARE = 'BKA ransomware infrastructure';

let consoleServer: AdminConsole;

beforeAll(async () => {
  consoleServer = await startAdminConsole();
  const added = await consoleServer.adminApi('POST', '/users', ALLIANCE_ADMIN, { ...ORG_ADMIN, organisation: 'de-bka', role: 'org-admin' });
  expect(added.status).toBe(201);
}, 120_000);
afterAll(() => consoleServer?.close());

async function visitAdminPage(page: Page, label: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('Username').waitFor();
  await page.context().close();
}

async function collectionTitles(page: Page): Promise<string[]> {
  await page.getByRole('table').waitFor();
  return page.locator('table tbody tr td:first-child').allInnerTexts();
}

describe('console admin views in a browser', () => {
  it('a plain analyst sees no admin entry, and an admin address answers with the not-found page', async () => {
    const page = await consoleServer.logIn(BKA_ANALYST.username, BKA_ANALYST.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Users' }).count()).resolves.toBe(0);
    await expect(nav.getByRole('link', { name: 'Access matrix' }).count()).resolves.toBe(0);
    for (const path of ['users', 'tokens', 'access', 'audit', 'organisations', 'feeds']) {
      await page.goto(`${consoleServer.base}/console/admin/${path}`);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      await expect(page.getByRole('button', { name: /Disable|Revoke|Add user|Create token/ }).count()).resolves.toBe(0);
    }
    await logOut(page);
  });

  it('an org-admin grants a partner read access by keyboard: the revision diff is shown, the YAML changes and the partner now sees the collection', async () => {
    const partnerBefore = await consoleServer.logIn(PARTNER.username, PARTNER.password);
    expect(await collectionTitles(partnerBefore)).not.toContain(BKA_RANSOMWARE);
    await logOut(partnerBefore);

    const page = await consoleServer.logIn(ORG_ADMIN.username, ORG_ADMIN.password);
    await visitAdminPage(page, 'Access matrix', 'Access matrix');
    // Only de-bka's own collections are columns: the org-admin administers nothing else.
    const columns = await page.locator('table.matrix thead th').allInnerTexts();
    expect(columns).toEqual(['Organisation', 'de-bka-ransomware', 'de-gb-bilateral', 'casework']);
    expect(await unlabelledControls(page)).toEqual([]);
    const readBox = page.getByRole('checkbox', { name: 'fr-ofac may read de-bka-ransomware' });
    expect(await readBox.isChecked()).toBe(false);
    await readBox.focus();
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: /Applied as configuration revision \d+/ }).waitFor();
    await expect(page.getByLabel('Configuration diff').innerText()).resolves.toContain('+ grant fr-ofac read on de-bka-ransomware');
    // The matrix reloads after the change: wait for the reloaded box rather than read the one drawn before.
    await page.getByRole('checkbox', { name: 'fr-ofac may read de-bka-ransomware', checked: true }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'europol may read de-bka-ransomware' }).isChecked()).toBe(true);
    await screenshot(page, 'admin-access-matrix');
    expect(await readFile(join(consoleServer.configDir, 'de-bka.yaml'), 'utf8')).toMatch(/- organisation: fr-ofac\n\s+access: \[read\]/);
    await logOut(page);

    const partnerAfter = await consoleServer.logIn(PARTNER.username, PARTNER.password);
    expect(await collectionTitles(partnerAfter)).toContain(BKA_RANSOMWARE);
    await logOut(partnerAfter);
  });

  it('the audit trail filtered by action shows the grant change, and the filter stays in the address', async () => {
    const page = await consoleServer.logIn(ORG_ADMIN.username, ORG_ADMIN.password);
    await visitAdminPage(page, 'Audit trail', 'Audit trail');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Action').selectOption('config.apply');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/action=config\.apply/);
    const grantRow = page.getByRole('row').filter({ hasText: '+ grant fr-ofac read on de-bka-ransomware' });
    await grantRow.waitFor();
    await expect(grantRow.innerText()).resolves.toContain('lead@de-bka');
    const actions = await page.locator('table tbody tr td:nth-child(2)').allInnerTexts();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['config.apply']));
    // Since and until the day of the change: "until" a day includes that whole day.
    const day = (await grantRow.getByRole('cell').first().innerText()).slice(0, 10);
    await page.getByLabel('Since').fill(day);
    await page.getByLabel('Until').fill(day);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(new RegExp(`until=${day}`));
    // A fresh load of that address: the filter comes from it, and no table drawn before can answer.
    await page.reload();
    await page.getByRole('row').filter({ hasText: '+ grant fr-ofac read on de-bka-ransomware' }).waitFor();
    // An org-admin reads its own organisation's trail only: no organisation to choose.
    expect(await page.getByLabel('Organisation').count()).toBe(0);
    await screenshot(page, 'admin-audit');
    await logOut(page);
  });

  it('an org-admin adds a user and disables it; the disabled user cannot log in', async () => {
    const page = await consoleServer.logIn(ORG_ADMIN.username, ORG_ADMIN.password);
    await visitAdminPage(page, 'Users', 'Users');
    expect(await unlabelledControls(page)).toEqual([]);
    // An org-admin may give only its own organisation and never the alliance-admin role.
    expect(await page.getByLabel('Organisation').locator('option').allInnerTexts()).toEqual(['de-bka']);
    expect(await page.getByLabel('Role').locator('option').allInnerTexts()).toEqual(['member', 'org-admin']);
    await page.getByLabel('Username').fill('temp@de-bka');
    await page.getByLabel('Initial password').fill('a temporary password 2026');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('status').filter({ hasText: 'User temp@de-bka added.' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'temp@de-bka' }) });
    await row.getByRole('cell', { name: 'active', exact: true }).waitFor();

    await row.getByRole('button', { name: 'Disable temp@de-bka' }).click();
    await page.getByRole('status').filter({ hasText: 'User temp@de-bka disabled.' }).waitFor();
    await row.getByRole('button', { name: 'Enable temp@de-bka' }).waitFor();
    await row.getByRole('cell', { name: 'disabled', exact: true }).waitFor();
    await screenshot(page, 'admin-users');
    await logOut(page);

    const login = await consoleServer.newPage();
    await login.goto(`${consoleServer.base}/console/login`);
    await login.getByLabel('Username').fill('temp@de-bka');
    await login.getByLabel('Password').fill('a temporary password 2026');
    await login.getByRole('button', { name: 'Log in' }).click();
    await login.getByRole('alert').waitFor();
    await expect(login.getByRole('alert').innerText()).resolves.toContain('Wrong username or password');
    expect(new URL(login.url()).pathname).toBe('/console/login');
    await login.context().close();
  });

  it('an org-admin creates a token shown once, which works as a Bearer token until it is revoked', async () => {
    const page = await consoleServer.logIn(ORG_ADMIN.username, ORG_ADMIN.password);
    await visitAdminPage(page, 'API tokens', 'API tokens');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('For user').selectOption(BKA_ANALYST.username);
    await page.getByLabel('Label').fill('opencti connector');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByLabel('Token secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    const discovery = () => fetch(`${consoleServer.base}/taxii2/`, { headers: { Accept: 'application/taxii+json;version=2.1', Authorization: `Bearer ${secret}` } });
    expect((await discovery()).status).toBe(200);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'opencti connector' });
    await row.waitFor();
    expect(await page.getByLabel('Token secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, 'admin-tokens');

    await row.getByRole('button', { name: `Revoke token opencti connector of ${BKA_ANALYST.username}` }).click();
    await page.getByRole('status').filter({ hasText: /revoked/ }).waitFor();
    await row.getByRole('cell', { name: /^revoked \d{4}-/ }).waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    expect((await discovery()).status).toBe(401);
    await logOut(page);
  });

  it('the organisations and mirrored-feeds pages answer, with labelled controls, for an org-admin and an alliance-admin', async () => {
    const orgAdmin = await consoleServer.logIn(ORG_ADMIN.username, ORG_ADMIN.password);
    await visitAdminPage(orgAdmin, 'Organisations', 'Organisations');
    const bka = orgAdmin.getByRole('row').filter({ has: orgAdmin.getByRole('rowheader', { name: 'de-bka', exact: true }) });
    await expect(bka.innerText()).resolves.toContain('de-bka-ransomware');
    const partner = orgAdmin.getByRole('row').filter({ has: orgAdmin.getByRole('rowheader', { name: 'fr-ofac', exact: true }) });
    await expect(partner.innerText()).resolves.toContain('de-bka-ransomware (read)');
    await expect(partner.innerText()).resolves.toContain('not yours to see');
    await screenshot(orgAdmin, 'admin-organisations');
    await visitAdminPage(orgAdmin, 'Mirrored feeds', 'Mirrored feeds');
    await orgAdmin.getByText('No collection you administer mirrors an upstream feed.').waitFor();
    await screenshot(orgAdmin, 'admin-feeds');
    await logOut(orgAdmin);

    const allianceAdmin = await consoleServer.logIn(ALLIANCE_ADMIN.username, ALLIANCE_ADMIN.password);
    await visitAdminPage(allianceAdmin, 'Users', 'Users');
    expect(await allianceAdmin.getByLabel('Role').locator('option').allInnerTexts()).toEqual(['member', 'org-admin', 'alliance-admin']);
    await visitAdminPage(allianceAdmin, 'Audit trail', 'Audit trail');
    expect(await allianceAdmin.getByLabel('Organisation').count()).toBe(1);
    expect(await unlabelledControls(allianceAdmin)).toEqual([]);
    await logOut(allianceAdmin);
  });
});
