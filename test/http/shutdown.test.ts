import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { createApp } from '../../server/app';
import { createRuntime } from '../../server/bootstrap';
import { PROJECT_ROOT } from '../../server/config/settings';
import { silentLogger } from '../../server/logging';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { testAlliance } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { openTestStorage } from '../support/storage';

const ALLIANCE_INDICATORS = 'e0073b23-5f9d-40cc-81d4-aa6b6a9693dd';
const AUTH = `Basic ${Buffer.from('analyst@europol:demo-europol-2026').toString('base64')}`;

/** `npm start` as a child process (node with tsx's loader, so signals reach the server itself); resolves with its port. */
function startDemoServer(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts'), '--demo'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', MONGODB_URI: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /discovery: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${output}`)));
  });
}

function post(port: number, path: string, body: string, onSent: () => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { Authorization: AUTH, Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body, onSent);
  });
}

describe('graceful shutdown', () => {
  it('answers /health with 503 draining while the server drains', async () => {
    const storage = await openTestStorage('draining');
    try {
      const runtime = await createRuntime(storage, testAlliance());
      const lifecycle = { draining: false };
      const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase, lifecycle });
      expect((await supertest(app).get('/health')).status).toBe(200);
      lifecycle.draining = true;
      const draining = await supertest(app).get('/health');
      expect(draining.status).toBe(503);
      expect(draining.body.status).toBe('draining');
    } finally {
      await storage.close();
    }
  });

  it('lets an envelope in flight at SIGTERM finish: the publisher gets its status, and every stored version has a status success and an audit record', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taxii-shutdown-'));
    try {
      const { child, port } = await startDemoServer(dataDir);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const objects = Array.from({ length: 3000 }, () => indicator());
      const answer = await post(port, `/alliance/collections/${ALLIANCE_INDICATORS}/objects/`, JSON.stringify({ objects }), () => child.kill('SIGTERM'));
      expect(answer.status).toBe(202);
      const status = JSON.parse(answer.body) as { id: string; status: string; success_count: number };
      expect(status).toMatchObject({ status: 'complete', success_count: 3000 });
      expect(await exited).toBe(0);

      const storage = openSqliteStorage({ path: dataDir, role: 'tool' });
      try {
        const stored = await storage.objects.page({ collectionId: ALLIANCE_INDICATORS, filter: { versions: ALL_VERSIONS, ids: objects.map((object) => String(object.id)) }, limit: 5000, withContent: false });
        expect(stored.records).toHaveLength(3000);
        expect((await storage.statuses.find('alliance', status.id))?.successes).toHaveLength(3000);
        const audit = await storage.audit.query({ actions: ['objects.add'], collectionIds: [ALLIANCE_INDICATORS], limit: 100 });
        const ours = audit.find((record) => record.details?.statusId === status.id);
        expect(ours?.objectIds).toHaveLength(3000);
      } finally {
        await storage.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
