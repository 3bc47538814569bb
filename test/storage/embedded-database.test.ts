import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import { ensureFerretDbBinary } from '../../server/storage/embedded/ferretdb-binary';
import { isAlive, PID_FILE, startEmbeddedDatabase } from '../../server/storage/embedded/ferretdb-process';
import { connectDatabase } from '../../server/storage/mongo/connect';

let binary: string;
let dataDir: string;

beforeAll(async () => {
  binary = await ensureFerretDbBinary(join(PROJECT_ROOT, '.tools'));
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'taxii-embedded-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function writeAndRead(uri: string, value?: string): Promise<string | undefined> {
  const handle = await connectDatabase(uri, 'restart');
  try {
    const things = handle.db.collection<{ _id: string; value: string }>('things');
    if (value !== undefined) await things.insertOne({ _id: 'probe', value });
    return (await things.findOne({ _id: 'probe' }))?.value;
  } finally {
    await handle.close();
  }
}

describe('the embedded database', () => {
  it('keeps its data across a stop and a start on the same directory', async () => {
    const first = await startEmbeddedDatabase({ binary, dataDir });
    await writeAndRead(first.uri, 'kept');
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);
    const second = await startEmbeddedDatabase({ binary, dataDir });
    try {
      expect(await writeAndRead(second.uri)).toBe('kept');
    } finally {
      await second.stop();
    }
  });

  it('starts despite a pid file left by a process that no longer exists', async () => {
    const gone = spawnSync('true').pid;
    await writeFile(join(dataDir, PID_FILE), String(gone));
    const database = await startEmbeddedDatabase({ binary, dataDir });
    try {
      expect(isAlive(database.pid)).toBe(true);
    } finally {
      await database.stop();
    }
  });

  it('replaces a FerretDB orphaned by a server killed with SIGKILL, keeping the data', async () => {
    // A parent process that starts FerretDB, writes, prints the pid, then dies without cleaning up.
    const script = `
      const { startEmbeddedDatabase } = require('./server/storage/embedded/ferretdb-process');
      const { connectDatabase } = require('./server/storage/mongo/connect');
      (async () => {
        const db = await startEmbeddedDatabase({ binary: ${JSON.stringify(binary)}, dataDir: ${JSON.stringify(dataDir)} });
        const handle = await connectDatabase(db.uri, 'restart');
        await handle.db.collection('things').insertOne({ _id: 'probe', value: 'survived' });
        await handle.close();
        process.stdout.write(String(db.pid) + '\\n');
        setInterval(() => {}, 1000);
      })();`;
    // One node process (tsx as a loader, not its CLI, which would fork a second process that SIGKILL misses).
    const parent = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const orphanPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once('exit', (code) => reject(new Error(`parent exited early with ${code}`)));
    });
    parent.kill('SIGKILL');
    await new Promise((resolve) => parent.once('exit', resolve));
    expect(isAlive(orphanPid)).toBe(true);

    const database = await startEmbeddedDatabase({ binary, dataDir });
    try {
      expect(isAlive(orphanPid)).toBe(false);
      expect(await writeAndRead(database.uri)).toBe('survived');
    } finally {
      await database.stop();
    }
  });
});
