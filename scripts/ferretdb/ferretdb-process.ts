import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedDatabase {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  binary: string;
  /** Holds the SQLite files and FerretDB's state; created if missing. */
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}

/** Written next to the data a FerretDB serves, so later runs can find it. */
export const PID_FILE = 'ferretdb.pid';

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A server that crashed (or was killed with SIGKILL) leaves its FerretDB child running on the same
 * data directory. Two writers on one SQLite directory would corrupt nothing but would block each
 * other, so the orphan is stopped before a new one starts; a pid that now belongs to another
 * program is left alone.
 */
async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  await rm(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!commandLine.includes('ferretdb') || !commandLine.includes(dataDir)) return;
  log(`Stopping FerretDB left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 5000 && isAlive(pid); waited += 100) await delay(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether the child exits within `ms`; true at once when it already has. */
export async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts FerretDB with its SQLite handler on loopback and resolves once it accepts connections. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir;
  await mkdir(join(dataDir, 'sqlite'), { recursive: true });
  await stopOrphan(dataDir, log);
  const port = options.port ?? (await findFreePort());
  const stderr: string[] = [];
  const child = spawn(
    options.binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${join(dataDir, 'sqlite')}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.shift();
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`FerretDB could not be started from ${options.binary}`);
  await writeFile(join(dataDir, PID_FILE), String(pid));

  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) {
      throw new Error(`FerretDB exited with code ${child.exitCode} at start: ${stderr.join('').slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not accept connections on port ${port} within 30 s`);
    }
    await delay(50);
  }
  log(`Embedded FerretDB listening on 127.0.0.1:${port} (data in ${dataDir})`);

  let stopped = false;
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    pid,
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
      await rm(join(dataDir, PID_FILE), { force: true });
    },
  };
}
