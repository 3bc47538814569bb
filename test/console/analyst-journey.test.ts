import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { screenshot } from '../support/browser';
import { startConsoleJourney, type ConsoleJourney } from '../support/console-journey';
import { ALLIANCE_INDICATORS, getJson, postRaw } from '../support/demo-server';
import { indicator, malware } from '../support/stix-samples';

// The analyst's journey through the console, in order, on one demo server and one browser page.
jest.setTimeout(120_000);

const TLP_GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const marker = randomUUID().slice(0, 8);
const first = indicator({ name: `Console first ${marker}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', object_marking_refs: [TLP_GREEN] });
const second = { ...first, name: `Console second ${marker}`, modified: '2026-02-01T00:00:00.000Z' };
const family = malware({ name: `Console family ${marker}` });
const uses = {
  type: 'relationship', spec_version: '2.1', id: `relationship--${randomUUID()}`, created: '2026-01-02T00:00:00.000Z',
  modified: '2026-01-02T00:00:00.000Z', relationship_type: 'indicates', source_ref: first.id, target_ref: family.id,
};

let journey: ConsoleJourney;
let collectionTitle: string;
let publishedAfter: string;

/** Waits until the collection holds what was posted: the demo server may answer before ingest ends. */
async function waitForObjects(count: number): Promise<void> {
  const path = `/alliance/collections/${ALLIANCE_INDICATORS}/objects/?added_after=${encodeURIComponent(publishedAfter)}&match[version]=all`;
  for (;;) {
    const { body } = await getJson(journey.port, path);
    if (Array.isArray(body.objects) && body.objects.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  journey = await startConsoleJourney('analyst');
  const collection = await getJson(journey.port, `/alliance/collections/${ALLIANCE_INDICATORS}/`);
  collectionTitle = String(collection.body.title);
  publishedAfter = new Date(Date.now() - 1).toISOString();
  for (const objects of [[first, family, uses], [second]]) {
    const answer = await postRaw(journey.port, `/alliance/collections/${ALLIANCE_INDICATORS}/objects/`, JSON.stringify({ objects }));
    expect(answer.status).toBe(202);
  }
  await waitForObjects(4);
});

afterAll(async () => {
  await journey?.close();
});

describe('the analyst journey in the console', () => {
  it('refuses a wrong password with an error on the login form', async () => {
    const { page, base } = journey;
    await page.goto(`${base}/console/`);
    await page.getByLabel('Username').waitFor();
    await journey.expectLabelledControls();
    await page.getByLabel('Username').fill('analyst@europol');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong username or password');
    await screenshot(page, 'login');
  });

  it('lands on the collections with the rights of the user after the right password', async () => {
    const { page } = journey;
    await journey.logIn('analyst@europol', 'demo-europol-2026');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: collectionTitle }) });
    await expect(row.getByRole('cell').allTextContents()).resolves.toEqual([collectionTitle, 'alliance', expect.any(String), 'yes', 'yes', 'not shown']);
    await expect(page.content()).resolves.not.toContain('BKA internal casework');
    await screenshot(page, 'collections');
  });

  it('filters the objects table by type and added_after as TAXII does', async () => {
    const { page } = journey;
    await page.getByRole('link', { name: collectionTitle }).click();
    await page.getByRole('heading', { name: collectionTitle }).waitFor();
    await journey.expectLabelledControls();
    await page.getByLabel('Type').fill('indicator');
    await page.getByLabel('Added after').fill(publishedAfter);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('caption').filter({ hasText: '1 objects on this page' }).waitFor();
    const cells = await page.getByRole('row').nth(1).getByRole('cell').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['indicator', second.name, first.created, second.modified]);
    expect(cells[4]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(cells[5]).toBe('TLP:GREEN');
    await screenshot(page, 'objects');
  });

  it('downloads the filtered selection as a STIX bundle', async () => {
    const { page } = journey;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download bundle' }).click()]);
    const bundle = JSON.parse(await readFile(await download.path(), 'utf8')) as { type: string; id: string; objects: { id: string; name?: string }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(bundle.objects.map((object) => [object.id, object.name])).toEqual([[first.id, second.name]]);
  });

  it('shows both versions of an object, their differences, JSON and relationships', async () => {
    const { page } = journey;
    await page.getByRole('link', { name: String(second.name) }).click();
    await page.getByRole('heading', { name: String(second.name), level: 1 }).waitFor();
    await expect(page.getByRole('article').count()).resolves.toBe(2);
    await expect(page.getByLabel('JSON of version 2026-01-01T00:00:00.000Z').textContent()).resolves.toContain(`"name": "${String(first.name)}"`);
    const differences = page.getByRole('table', { name: 'Differences between the two versions' });
    await expect(differences.getByRole('rowheader').allTextContents()).resolves.toEqual(['modified', 'name']);
    await expect(page.getByRole('link', { name: family.id as string }).count()).resolves.toBe(1);
    await journey.expectLabelledControls();
    await screenshot(page, 'object-versions');
  });

  it('answers a hidden collection by URL with the not-found page, leaking no title', async () => {
    const { page, base } = journey;
    const config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));
    const casework = config.collections.find((collection) => collection.alias === 'casework');
    if (!casework) throw new Error('the demo alliance has no casework collection');
    await page.goto(`${base}/console/collections/${casework.apiRoot}/${casework.id}`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(casework.title);
    expect(text).not.toContain('Forbidden');
    await screenshot(page, 'not-found');
  });

  it('logs out: the old cookie no longer works and the back button shows the login form', async () => {
    const { page, base, context } = journey;
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { name: 'Collections' }).waitFor();
    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'tas_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Username').waitFor();
    const replay = await fetch(`${base}/taxii2/`, { headers: { Accept: TAXII_MEDIA_TYPE, Cookie: `tas_session=${cookie?.value ?? ''}` } });
    expect(replay.status).toBe(401);
    await page.goBack();
    await page.getByLabel('Username').waitFor();
    await expect(page.getByRole('heading', { name: 'Collections' }).count()).resolves.toBe(0);
  });
});
