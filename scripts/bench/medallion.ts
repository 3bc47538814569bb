import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort, waitForExit } from '../ferretdb/ferretdb-process';
import { httpCall } from './http-client';
import type { TaxiiTarget } from './taxii-workload';

const run = promisify(execFile);

/**
 * medallion, the OASIS reference TAXII 2.1 server, from PyPI into `.tools/medallion-venv`,
 * run with its memory backend on a loopback port. Pinned so figures stay comparable.
 */
export const MEDALLION_PIN = 'medallion==3.0.0';
const COLLECTION_ID = '91a7b528-80eb-42ed-a74d-c6fbd5a26116';
const USER = 'bench';
const PASSWORD = 'bench-loopback';

export interface MedallionServer {
  target: TaxiiTarget;
  pid: number;
  version: string;
  stop(): Promise<void>;
}

export async function ensureMedallion(toolsDir: string, log: (line: string) => void): Promise<string> {
  const venv = join(toolsDir, 'medallion-venv');
  const marker = join(venv, '.pin');
  const executable = join(venv, 'bin', 'medallion');
  if (existsSync(marker) && (await readFile(marker, 'utf8')) === MEDALLION_PIN && existsSync(executable)) return executable;
  log(`Installing ${MEDALLION_PIN} into ${venv} (first run only)...`);
  await rm(venv, { recursive: true, force: true });
  await mkdir(toolsDir, { recursive: true });
  await run('python3', ['-m', 'venv', venv]);
  await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', MEDALLION_PIN], {
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(marker, MEDALLION_PIN);
  return executable;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}


export async function startMedallion(executable: string, workDir: string, maxPageSize: number): Promise<MedallionServer> {
  await mkdir(workDir, { recursive: true });
  const port = await findFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const data = {
    '/discovery': { title: 'medallion bench', default: `${origin}/bench/`, api_roots: [`${origin}/bench/`] },
    bench: {
      information: { title: 'bench', versions: ['application/taxii+json;version=2.1'], max_content_length: 64 * 1024 * 1024 },
      status: [],
      collections: [
        {
          id: COLLECTION_ID,
          title: 'bench',
          can_read: true,
          can_write: true,
          media_types: ['application/stix+json;version=2.1'],
          objects: [],
          manifest: [],
        },
      ],
    },
  };
  const dataFile = join(workDir, 'medallion-data.json');
  const configFile = join(workDir, 'medallion-config.json');
  await writeFile(dataFile, JSON.stringify(data));
  await writeFile(
    configFile,
    JSON.stringify({
      // session_timeout: medallion forgets a `next` after 30 s by default, shorter than a slow full poll.
      backend: { module: 'medallion.backends.memory_backend', module_class: 'MemoryBackend', filename: dataFile, session_timeout: 86_400 },
      users: { [USER]: PASSWORD },
      taxii: { max_page_size: maxPageSize },
    }),
  );
  const stderr: string[] = [];
  const child = spawn(executable, ['--host', '127.0.0.1', '--port', String(port), '--log-level', 'ERROR', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.shift();
  });
  if (child.pid === undefined) throw new Error(`medallion could not be started from ${executable}`);
  const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`medallion exited with code ${child.exitCode}: ${stderr.join('').slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`medallion did not answer on ${origin} within 30 s: ${stderr.join('').slice(-2000)}`);
    }
    const ok = await httpCall('GET', `${origin}/taxii2/`, { Accept: 'application/taxii+json;version=2.1', Authorization: authorization }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    await delay(200);
  }
  const { stdout } = await run(join(executable, '..', 'python'), ['-c', 'import medallion; print(medallion.__version__)']);
  const pid = child.pid;
  return {
    target: { name: 'medallion', objectsUrl: `${origin}/bench/collections/${COLLECTION_ID}/objects/`, authorization, replayableCursors: false },
    pid,
    version: stdout.trim(),
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
    },
  };
}
