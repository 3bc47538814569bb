import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/config/settings';

/** Debian's chromium: playwright-core cannot download a browser on our machines or in CI. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'docs', 'console');

/**
 * Installs Debian's chromium when it is missing, as the FerretDB build is done for the MongoDB
 * tests (CI runs on a fresh machine as root). Without apt, the browser tests fail and say why.
 */
export function ensureChromium(log: (line: string) => void = console.log): void {
  if (existsSync(CHROMIUM)) return;
  log('Installing Debian chromium for the console browser tests (apt-get install -y chromium)...');
  const quiet = { stdio: 'ignore' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], quiet);
  } catch {
    execFileSync('apt-get', ['update'], quiet);
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], quiet);
  }
}

interface ConsoleBuild {
  ensureConsole(): boolean;
}

/** Builds console/dist when its sources changed (scripts/ensure-console.js, which `npm test` also runs). */
export function ensureConsoleBuilt(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JavaScript script shared with ensure-deps.js
  const build = require('../../scripts/ensure-console.js') as ConsoleBuild;
  build.ensureConsole();
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  ensureConsoleBuilt();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A full-page screenshot into docs/console/<name>.png, for the README. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Every visible input, select and textarea has an accessible name (a label, aria-label or
 * aria-labelledby): the names Playwright's getByLabel finds, computed by the browser itself.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  const controls = page.locator('input:not([type=hidden]), select, textarea');
  const unnamed: string[] = [];
  for (const control of await controls.all()) {
    if (!(await control.isVisible())) continue;
    const hasName = await control.evaluate((element) => {
      const labelled = element as unknown as { labels?: { length: number } | null };
      return (labelled.labels?.length ?? 0) > 0 || Boolean(element.getAttribute('aria-label')) || Boolean(element.getAttribute('aria-labelledby'));
    });
    if (!hasName) unnamed.push(await control.evaluate((element) => element.outerHTML.slice(0, 120)));
  }
  return unnamed;
}
