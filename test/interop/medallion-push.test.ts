import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMedallion, startMedallion, type MedallionServer } from '../../scripts/bench/medallion';
import { PROJECT_ROOT } from '../../server/config/settings';
import { DEFAULT_PUSH_TIMINGS } from '../../server/federation/push-scheduler';
import { COLLECTION_IDS, testAlliance } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

/** One GET of a TAXII resource, no keep-alive: nothing is left open when the test ends. */
function getJson(url: string, authorization: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers: { Accept: 'application/taxii+json;version=2.1', Authorization: authorization } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    }).on('error', reject);
  });
}

// medallion, the OASIS reference TAXII 2.1 server, as the remote of a push: what we send is what
// another implementation accepts, not only what our own server accepts.
describe('downstream push to medallion', () => {
  let medallion: MedallionServer;
  let origin: TestServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'taxii-push-medallion-'));
    medallion = await startMedallion(await ensureMedallion(join(PROJECT_ROOT, '.tools'), () => undefined), workDir, 1000);
    const [username, secret] = Buffer.from(medallion.target.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
    const passwordFile = join(workDir, 'password');
    writeFileSync(passwordFile, secret ?? '');
    const config = testAlliance();
    const collectionUrl = medallion.target.objectsUrl.replace(/objects\/$/, '');
    config.collections = config.collections.map((collection) => collection.id === COLLECTION_IDS.shared
      ? { ...collection, push: [{ collectionUrl, credentials: { kind: 'basic', username: username ?? '', password: { file: passwordFile } }, intervalSeconds: 0.1 }] }
      : collection);
    origin = await startTestServer('push-medallion', config, { pushTimings: { ...DEFAULT_PUSH_TIMINGS, tickMs: 20 } });
  }, 120_000);

  afterAll(async () => {
    await origin?.close();
    await medallion?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('delivers every published object, which medallion then serves', async () => {
    const objects = Array.from({ length: 25 }, () => indicator());
    const answer = await taxiiClient(origin, 'europol').post(`/alliance/collections/${COLLECTION_IDS.shared}/objects/`, { objects });
    expect(answer.status).toBe(202);
    const key = { collectionId: COLLECTION_IDS.shared, remoteUrl: medallion.target.objectsUrl.replace(/objects\/$/, '') };
    let state = await origin.runtime.storage.pushOutbox.state(key);
    for (let attempt = 0; attempt < 600 && (state?.sentCount ?? 0) < objects.length; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await origin.runtime.storage.pushOutbox.state(key);
    }
    expect(state).toMatchObject({ sentCount: objects.length, refusedCount: 0, consecutiveErrors: 0 });
    const served = await getJson(medallion.target.objectsUrl, medallion.target.authorization);
    expect(served.status).toBe(200);
    const ids = ((served.body.objects as { id: string }[] | undefined) ?? []).map((object) => object.id);
    expect(ids.sort()).toEqual(objects.map((object) => String(object.id)).sort());
  });
});
