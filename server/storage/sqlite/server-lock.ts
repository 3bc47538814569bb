import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_PID_FILE = 'server.pid';

export class DataDirectoryInUse extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `another server process (pid ${pid}) is already serving ${dataDir}. The embedded SQLite engine has one ` +
        'server process per data directory: stop that one, set DATA_DIR to another directory, or set MONGODB_URI ' +
        'to run several server processes on one MongoDB.',
    );
    this.name = 'DataDirectoryInUse';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Claims the data directory for this process. The embedded engine hands out `date_added` from
 * one in-process clock and serialises each collection's writes in-process, which is exact only
 * while a single process writes objects; a second one is refused rather than allowed to break
 * pagination. A pid file left by a process that died (kill -9) is taken over.
 */
export function claimDataDirectory(dataDir: string): () => void {
  const pidFile = join(dataDir, SERVER_PID_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(pidFile, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        if (holderOf(pidFile) === process.pid) rmSync(pidFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(pidFile);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) throw new DataDirectoryInUse(dataDir, holder);
      rmSync(pidFile, { force: true });
    }
  }
  throw new Error(`could not claim ${pidFile}`);
}
