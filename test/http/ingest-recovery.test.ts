import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { ALLIANCE_INDICATORS, getJson, postRaw, startDemoServer } from '../support/demo-server';
import { indicator } from '../support/stix-samples';

const OBJECTS = `/alliance/collections/${ALLIANCE_INDICATORS}/objects/`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the store holds of one envelope: stored versions, status successes and audited ids. */
async function accountFor(dataDir: string, statusId: string, ids: string[]) {
  const storage = openSqliteStorage({ path: dataDir, role: 'tool' });
  try {
    const stored = await storage.objects.page({ collectionId: ALLIANCE_INDICATORS, filter: { versions: ALL_VERSIONS, ids }, limit: 100_000, withContent: false });
    const status = await storage.statuses.find('alliance', statusId);
    const audit = await storage.audit.query({ actions: ['objects.add'], collectionIds: [ALLIANCE_INDICATORS], limit: 10_000 });
    const audited = audit.filter((record) => record.details?.statusId === statusId).flatMap((record) => record.objectIds ?? []);
    return { stored: stored.records.map((record) => record.id), status, audited, queued: await storage.ingestQueue.depth() };
  } finally {
    await storage.close();
  }
}

// TAXII 2.1 §5.5 answers a POST with a status to poll; once answered, the envelope must survive any
// death of the server: after a restart every object is accounted for exactly once.
describe.each(['SIGKILL', 'SIGTERM'] as const)('an envelope accepted, then the server gets %s mid-ingest', (signal) => {
  it('is resumed after a restart: stored versions == status successes == audited ids, each exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taxii-recovery-'));
    try {
      const first = await startDemoServer(dataDir, { INGEST_ANSWER_WAIT_MS: '0' });
      const firstExit = new Promise((resolve) => first.child.once('exit', resolve));
      const objects = Array.from({ length: 12_000 }, () => indicator());
      const ids = objects.map((object) => String(object.id));
      const answer = await postRaw(first.port, OBJECTS, JSON.stringify({ objects }));
      expect(answer.status).toBe(202);
      const accepted = JSON.parse(answer.body) as { id: string; status: string; total_count: number };
      expect(accepted).toMatchObject({ status: 'pending', total_count: 12_000 });
      // Let the worker store a few batches, then kill it in the middle of the envelope.
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const progress = await getJson(first.port, `/alliance/status/${accepted.id}/`);
        if (Number(progress.body.success_count) >= 2000) break;
        await sleep(25);
      }
      first.child.kill(signal);
      await firstExit;
      const midway = await accountFor(dataDir, accepted.id, ids);
      expect(midway.queued.envelopes).toBe(1);
      expect(midway.stored.length).toBeLessThan(12_000);

      const second = await startDemoServer(dataDir);
      try {
        let status: Record<string, unknown> = {};
        for (let attempt = 0; attempt < 400 && status.status !== 'complete'; attempt += 1) {
          status = (await getJson(second.port, `/alliance/status/${accepted.id}/`)).body;
          if (status.status !== 'complete') await sleep(50);
        }
        expect(status).toMatchObject({ status: 'complete', total_count: 12_000, success_count: 12_000, failure_count: 0, pending_count: 0 });
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((resolve) => second.child.once('exit', resolve));
      }
      const after = await accountFor(dataDir, accepted.id, ids);
      expect(after.queued).toEqual({ envelopes: 0, objects: 0 });
      expect(after.stored.sort()).toEqual([...ids].sort()); // every object, one version each
      expect(after.status?.successes.map((success) => success.id).sort()).toEqual([...ids].sort());
      expect(after.audited.sort()).toEqual([...ids].sort()); // audited exactly once
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
