import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, unlabelledControls } from './browser';
import { startDemoServer } from './demo-server';

export interface ConsoleJourney {
  port: number;
  base: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Fills the login form and waits for the collections page. */
  logIn(username: string, password: string): Promise<void>;
  /** Fails the test when a visible input has no accessible name. */
  expectLabelledControls(): Promise<void>;
  close(): Promise<void>;
}

/** The demo server (`npm start`) on its own data directory, and a headless chromium on its console. */
export async function startConsoleJourney(label: string, env: Record<string, string> = {}): Promise<ConsoleJourney> {
  const dataDir = await mkdtemp(join(tmpdir(), `taxii-console-${label}-`));
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const server = await startDemoServer(dataDir, env);
    child = server.child;
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${server.port}`;
    const started = { child, browser };
    return {
      port: server.port,
      base,
      browser,
      context,
      page,
      async logIn(username, password) {
        await page.goto(`${base}/console/login`);
        await page.getByLabel('Username').fill(username);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.getByRole('heading', { name: 'Collections' }).waitFor();
      },
      async expectLabelledControls() {
        expect(await unlabelledControls(page)).toEqual([]);
      },
      async close() {
        await started.browser.close();
        await stopServer(started.child);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    if (child) await stopServer(child);
    throw error;
  }
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
