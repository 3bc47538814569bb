import { randomUUID } from 'node:crypto';
import { screenshot } from '../support/browser';
import { startConsoleJourney, type ConsoleJourney } from '../support/console-journey';
import { indicator } from '../support/stix-samples';

// The publisher's journey: a bundle file through the same TAXII add-objects endpoint as any client.
jest.setTimeout(120_000);

let journey: ConsoleJourney;

beforeAll(async () => {
  journey = await startConsoleJourney('publisher');
});

afterAll(async () => {
  await journey?.close();
});

describe('the publisher journey in the console', () => {
  it('uploads a bundle with one bad object and shows that object failing with its reason', async () => {
    const { page } = journey;
    await journey.logIn('analyst@europol', 'demo-europol-2026');
    await page.getByRole('link', { name: 'Publish' }).click();
    await page.getByRole('heading', { name: 'Publish a bundle' }).waitFor();
    await journey.expectLabelledControls();

    const good = indicator({ name: `Uploaded ${randomUUID().slice(0, 8)}` });
    const bad = indicator({ name: 'Indicator without a pattern' });
    delete bad.pattern;
    const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [good, bad] };
    await page.getByLabel('Collection').selectOption({ label: 'Alliance shared indicators' });
    await page.getByLabel('Bundle file (JSON)').setInputFiles({ name: 'two-objects.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bundle)) });
    await page.getByRole('button', { name: 'Publish' }).click();

    // The status view polls the status resource until nothing is pending.
    await page.getByRole('status').filter({ hasText: /^complete: 1 succeeded, 1 failed, 0 pending of 2$/ }).waitFor();
    const failure = page.getByRole('table', { name: 'Failures' }).getByRole('row').nth(1).getByRole('cell');
    const [failedId, , reason] = await failure.allTextContents();
    expect(failedId).toBe(bad.id);
    expect(reason).toMatch(/pattern/);
    const successes = await page.getByRole('table', { name: 'Successes' }).getByRole('row').nth(1).getByRole('cell').first().textContent();
    expect(successes).toBe(good.id);
    await screenshot(journey.page, 'upload-status');
  });

  it('refuses a file that is not a bundle before sending anything', async () => {
    const { page } = journey;
    await page.getByLabel('Bundle file (JSON)').setInputFiles({ name: 'not-a-bundle.json', mimeType: 'application/json', buffer: Buffer.from('{"type":"identity"}') });
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not a STIX bundle');
  });
});
