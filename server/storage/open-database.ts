import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerSettings } from '../config/settings';
import type { Logger } from '../logging';
import { ensureFerretDbBinary } from './embedded/ferretdb-binary';
import { isAlive, PID_FILE, startEmbeddedDatabase } from './embedded/ferretdb-process';
import { connectDatabase, type DatabaseHandle } from './mongo/connect';

export interface ConfiguredDatabase {
  handle: DatabaseHandle;
  /** Closes the connection and stops the embedded FerretDB if this call started it. */
  stop(): Promise<void>;
}


/**
 * The URI of an embedded FerretDB that another live process (a running server, say) started on
 * this data directory. Starting a second one would make ferretdb-process.ts treat the first as an
 * orphan and stop it under the running server, so the admin CLI shares it instead. A FerretDB
 * whose parent has died (re-parented to pid 1) is a real orphan and is left to be replaced.
 * Linux only (/proc); elsewhere this finds nothing and the old behaviour applies.
 */
export async function findRunningEmbeddedDatabase(dataDir: string): Promise<string | undefined> {
  try {
    const pid = Number((await readFile(join(dataDir, PID_FILE), 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    if (!args[0]?.includes('ferretdb') || !args.includes(`--state-dir=${dataDir}`)) return undefined;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state, then ppid.
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(parentPid) || parentPid <= 1 || !isAlive(parentPid)) return undefined;
    const port = args.map((arg) => /^--listen-addr=127\.0\.0\.1:(\d+)$/.exec(arg)?.[1]).find(Boolean);
    return port ? `mongodb://127.0.0.1:${port}/` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Connects to `settings.mongodbUri` when set; otherwise to the embedded FerretDB under
 * `settings.dataDir`, reusing one a live process already runs there or building and starting
 * our own. Used by the server and by every script, so no caller has database logic of its own.
 */
export async function openConfiguredDatabase(settings: ServerSettings, log: Logger): Promise<ConfiguredDatabase> {
  if (settings.mongodbUri) {
    const handle = await connectDatabase(settings.mongodbUri, settings.databaseName);
    log.debug({ database: settings.databaseName }, 'connected to MONGODB_URI');
    return { handle, stop: () => handle.close() };
  }

  const runningUri = await findRunningEmbeddedDatabase(settings.dataDir);
  if (runningUri) {
    const handle = await connectDatabase(runningUri, settings.databaseName);
    log.debug({ uri: runningUri, dataDir: settings.dataDir }, 'sharing the embedded FerretDB another process runs');
    return { handle, stop: () => handle.close() };
  }

  const binary = await ensureFerretDbBinary(settings.toolsDir, (line) => log.info(line));
  const embedded = await startEmbeddedDatabase({ binary, dataDir: settings.dataDir, log: (line) => log.info(line) });
  let handle: DatabaseHandle;
  try {
    handle = await connectDatabase(embedded.uri, settings.databaseName);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return {
    handle,
    async stop() {
      try {
        await handle.close();
      } finally {
        await embedded.stop();
      }
    },
  };
}
