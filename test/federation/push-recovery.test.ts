import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { PROJECT_ROOT } from '../../server/config/settings';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { COLLECTION_IDS } from '../support/alliance';
import { ALLIANCE_INDICATORS, postRaw, startDemoServer } from '../support/demo-server';
import { startFaultProxy, type PostFault } from '../support/fault-proxy';
import { listenOnFreePort } from '../support/live-server';
import { indicator } from '../support/stix-samples';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

const OBJECT_COUNT = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The demo alliance, with europol's alliance-indicators pushed to `collectionUrl`, the password read from PUSH_PASSWORD. */
function configWithPush(collectionUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'taxii-push-config-'));
  cpSync(join(PROJECT_ROOT, 'collections'), dir, { recursive: true });
  const file = join(dir, 'europol.yaml');
  const document = parseDocument(readFileSync(file, 'utf8'));
  const index = (document.toJS() as { collections: { id: string }[] }).collections.findIndex((collection) => collection.id === ALLIANCE_INDICATORS);
  document.setIn(['collections', index, 'push'], [{ collection_url: collectionUrl, username: 'analyst@europol', password_env: 'PUSH_PASSWORD', interval_seconds: 0.2 }]);
  writeFileSync(file, document.toString());
  return dir;
}

async function heldBy(remote: TestServer, ids: Set<string>): Promise<number> {
  const page = await remote.context.objects.page({ collectionId: COLLECTION_IDS.shared, filter: { versions: ALL_VERSIONS }, limit: 1_000_000, withContent: false });
  return page.records.filter((record) => ids.has(record.id)).length;
}

// docs/federation.md (push): the cursor moves only after the remote answered, so a server killed
// mid-push re-sends from its cursor after a restart: the remote ends with every object, none lost.
describe('a server killed with SIGKILL in the middle of a push', () => {
  it('resumes after a restart and the remote ends with every object', async () => {
    const remote = await startTestServer('push-recovery-remote');
    const remoteLive = await listenOnFreePort(remote.app);
    // Each POST a little late, so the kill lands while envelopes are still being sent.
    const proxy = await startFaultProxy(remoteLive.origin, Array.from({ length: 2_000 }, (): PostFault => ({ kind: 'delay', ms: 60 })));
    const configDir = configWithPush(`${proxy.origin}/alliance/collections/${COLLECTION_IDS.shared}/`);
    const dataDir = mkdtempSync(join(tmpdir(), 'taxii-push-recovery-'));
    const env = { CONFIG_DIR: configDir, PUSH_PASSWORD: TEST_PASSWORD };
    try {
      const first = await startDemoServer(dataDir, env);
      const firstExit = new Promise((resolve) => first.child.once('exit', resolve));
      const objects = Array.from({ length: OBJECT_COUNT }, () => indicator());
      const ids = new Set(objects.map((object) => String(object.id)));
      const answer = await postRaw(first.port, `/alliance/collections/${ALLIANCE_INDICATORS}/objects/`, JSON.stringify({ objects }));
      expect(answer.status).toBe(202);
      let before = 0;
      for (let attempt = 0; attempt < 2_000 && before < 300; attempt += 1) {
        before = await heldBy(remote, ids);
        if (before < 300) await sleep(20);
      }
      first.child.kill('SIGKILL');
      await firstExit;
      const midway = await heldBy(remote, ids);
      expect(midway).toBeGreaterThanOrEqual(300);
      expect(midway).toBeLessThan(OBJECT_COUNT);

      const second = await startDemoServer(dataDir, env);
      // Read beside the running server, as `npm run admin -- push` does.
      const storage = openSqliteStorage({ path: dataDir, role: 'tool' });
      try {
        let held = midway;
        for (let attempt = 0; attempt < 3_000 && held < OBJECT_COUNT; attempt += 1) {
          await sleep(50);
          held = await heldBy(remote, ids);
        }
        expect(held).toBe(OBJECT_COUNT);
        const key = { collectionId: ALLIANCE_INDICATORS, remoteUrl: `${proxy.origin}/alliance/collections/${COLLECTION_IDS.shared}/` };
        const published = await storage.objects.page({ collectionId: ALLIANCE_INDICATORS, filter: { versions: ALL_VERSIONS, ids: [...ids] }, limit: 100_000, withContent: false });
        expect(published.records).toHaveLength(OBJECT_COUNT);
        const newest = Math.max(...published.records.map((record) => record.dateAdded));
        let state = await storage.pushOutbox.state(key);
        // The remote may hold the last envelope a moment before its answer moves the cursor past it.
        for (let attempt = 0; attempt < 600 && (state?.cursor ?? 0) < newest; attempt += 1) {
          await sleep(50);
          state = await storage.pushOutbox.state(key);
        }
        expect(state?.cursor).toBeGreaterThanOrEqual(newest);
        // At least once: what was in flight at the kill may have been sent twice, and counted twice.
        expect(state?.sentCount).toBeGreaterThanOrEqual(OBJECT_COUNT);
      } finally {
        await storage.close();
        second.child.kill('SIGTERM');
        await new Promise((resolve) => second.child.once('exit', resolve));
      }
    } finally {
      await proxy.close();
      await remoteLive.close();
      await remote.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(configDir, { recursive: true, force: true });
    }
  }, 180_000);
});
