import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { createApp } from '../../server/app';
import { createRuntime } from '../../server/bootstrap';
import { silentLogger } from '../../server/logging';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { testAlliance } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { openTestStorage } from '../support/storage';
import { ALLIANCE_INDICATORS, postRaw, startDemoServer } from '../support/demo-server';


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

  it('answers an envelope in flight at SIGTERM, and every version stored before the exit has a status success and an audit record', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taxii-shutdown-'));
    try {
      const { child, port } = await startDemoServer(dataDir);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const objects = Array.from({ length: 3000 }, () => indicator());
      const answer = await postRaw(port, `/alliance/collections/${ALLIANCE_INDICATORS}/objects/`, JSON.stringify({ objects }), () => child.kill('SIGTERM'));
      expect(answer.status).toBe(202);
      const status = JSON.parse(answer.body) as { id: string; status: string; total_count: number };
      expect(status.total_count).toBe(3000);
      expect(await exited).toBe(0);

      const storage = openSqliteStorage({ path: dataDir, role: 'tool' });
      try {
        const stored = (await storage.objects.page({ collectionId: ALLIANCE_INDICATORS, filter: { versions: ALL_VERSIONS, ids: objects.map((object) => String(object.id)) }, limit: 5000, withContent: false })).records.map((record) => record.id);
        const saved = await storage.statuses.find('alliance', status.id);
        const audit = await storage.audit.query({ actions: ['objects.add'], collectionIds: [ALLIANCE_INDICATORS], limit: 100 });
        const audited = audit.filter((record) => record.details?.statusId === status.id).flatMap((record) => record.objectIds ?? []);
        // The drain stops after the batch in progress: what was stored is accounted for, the rest waits queued.
        expect(stored.length).toBeGreaterThan(0);
        expect(saved?.successes.map((success) => success.id).sort()).toEqual([...stored].sort());
        expect(audited.sort()).toEqual([...stored].sort());
        const queued = await storage.ingestQueue.depth();
        expect(queued.envelopes).toBe(stored.length === 3000 ? 0 : 1);
        expect(saved?.status).toBe(stored.length === 3000 ? 'complete' : 'pending');
      } finally {
        await storage.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
