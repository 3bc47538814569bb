import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, readSettings } from '../../server/config/settings';
import { silentLogger } from '../../server/logging';
import { openConfiguredStorage } from '../../server/storage/open-storage';
import { DataDirectoryInUse, SERVER_PID_FILE } from '../../server/storage/sqlite/server-lock';


/** Another process that opens the embedded store as a server and holds it until killed. */
function holdAsServer(dataDir: string): Promise<ChildProcess> {
  const script = `
    const { openSqliteStorage } = require(${JSON.stringify(join(PROJECT_ROOT, 'server/storage/sqlite/sqlite-storage.ts'))});
    openSqliteStorage({ path: ${JSON.stringify(dataDir)}, role: 'server' });
    process.stdout.write('ready\\n');
    setInterval(() => undefined, 1000);`;
  // node itself with tsx's loader, not the tsx wrapper: a SIGKILL must reach the process holding the store.
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
  });
}

describe('the embedded SQLite store under DATA_DIR', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'taxii-single-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second server process with a message naming the holder, lets the admin CLI in, and takes over after a kill -9', async () => {
    const settings = readSettings({ DATA_DIR: dataDir });
    const holder = await holdAsServer(dataDir);
    try {
      const refused = openConfiguredStorage(settings, silentLogger(), 'server');
      await expect(refused).rejects.toThrow(DataDirectoryInUse);
      await expect(refused).rejects.toThrow(`another server process (pid ${holder.pid}) is already serving ${dataDir}`);

      const tool = await openConfiguredStorage(settings, silentLogger(), 'tool');
      await tool.prepare();
      await expect(tool.credentials.listUsers()).resolves.toEqual([]);
      await tool.close();
      expect(existsSync(join(dataDir, SERVER_PID_FILE))).toBe(true); // the tool released nothing it did not hold
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    const server = await openConfiguredStorage(settings, silentLogger(), 'server');
    await server.close();
    expect(existsSync(join(dataDir, SERVER_PID_FILE))).toBe(false);
  });
});
