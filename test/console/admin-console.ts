import type { ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../server/config/settings';
import { launchBrowser } from '../support/browser';
import { startDemoServer } from '../support/demo-server';

/**
 * The demo server (`npm start`) on its own data directory and a copy of collections/, so grant changes
 * edit the copy's YAML, with a headless Debian chromium on its console. The admin journeys share one
 * server and log in on fresh browser contexts, where test/support/console-journey.ts has one page
 * on the unchanged demo configuration.
 */
export const ALLIANCE_ADMIN = { username: 'admin@europol', password: 'demo-admin-2026' };

export interface AdminConsole {
  base: string;
  configDir: string;
  /** A page in a new browser context: no cookies, no session. */
  newPage(): Promise<Page>;
  /** A new browser context logged in as this user, on the collections page. */
  logIn(username: string, password: string): Promise<Page>;
  /** Calls the admin API with Basic authentication, as a script would. */
  adminApi(method: string, path: string, credentials: { username: string; password: string }, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startAdminConsole(): Promise<AdminConsole> {
  const dataDir = await mkdtemp(join(tmpdir(), 'taxii-console-admin-'));
  const configDir = join(dataDir, 'collections');
  await cp(join(PROJECT_ROOT, 'collections'), configDir, { recursive: true });
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const server = await startDemoServer(join(dataDir, 'data'), { CONFIG_DIR: configDir });
    child = server.child;
    browser = await launchBrowser();
    const base = `http://127.0.0.1:${server.port}`;
    const started = { child, browser };
    const newPage = async () => (await started.browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
    return {
      base,
      configDir,
      newPage,
      async logIn(username, password) {
        const page = await newPage();
        await page.goto(`${base}/console/login`);
        await page.getByLabel('Username').fill(username);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.getByRole('heading', { name: 'Collections' }).waitFor();
        return page;
      },
      adminApi(method, path, credentials, body) {
        const headers: Record<string, string> = {
          Accept: 'application/json',
          Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`,
        };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        return fetch(`${base}/admin${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
    await rm(dataDir, { recursive: true, force: true });
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
