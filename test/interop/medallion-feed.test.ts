import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureMedallion, startMedallion, type MedallionServer } from '../../scripts/bench/medallion';
import { PROJECT_ROOT } from '../../server/config/settings';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { allianceWithFeeds, feed, openMirror, secretsFrom, type Mirror } from '../support/feed-mirror';
import { REAL_DATA_DIR } from '../support/real-data';

// Federation against the OASIS reference server (docs/federation.md): medallion 3.0.0 (from PyPI into
// .tools/medallion-venv, memory backend) serves a collection of published STIX examples in pages of 5,
// and this server mirrors it. The first run installs medallion (pip).
jest.setTimeout(300_000);

const PAGE_SIZE = 5;
const EXAMPLES = path.join(REAL_DATA_DIR, 'oasis', 'cti-documentation-examples');

type Json = Record<string, unknown>;

/** The OASIS documentation examples, one copy of each (id, modified). */
async function realObjects(): Promise<Json[]> {
  const seen = new Set<string>();
  const objects: Json[] = [];
  for (const file of (await readdir(EXAMPLES)).filter((name) => name.endsWith('.json')).sort()) {
    const bundle = JSON.parse(await readFile(path.join(EXAMPLES, file), 'utf8')) as { objects: Json[] };
    for (const object of bundle.objects) {
      const key = `${String(object.id)} ${String(object.modified ?? '')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      objects.push(object);
    }
  }
  return objects;
}

describe('mirroring a medallion collection', () => {
  let medallion: MedallionServer;
  let workDir: string;
  let mirror: Mirror;
  let objects: Json[];

  async function postToMedallion(batch: Json[]): Promise<void> {
    const answer = await fetch(medallion.target.objectsUrl, {
      method: 'POST',
      headers: { Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE, Authorization: medallion.target.authorization },
      body: JSON.stringify({ objects: batch }),
    });
    expect(answer.status).toBe(202);
    expect(((await answer.json()) as Json).success_count).toBe(batch.length);
  }

  /** medallion's own X-TAXII-Date-Added-Last for its whole collection: that of the last page. */
  async function medallionLastDateAdded(): Promise<string | null> {
    let next: string | undefined;
    for (;;) {
      // medallion 3.0.0 answers 500 to a next without a limit (its get_next deletes the key unchecked).
      const query = `?match[version]=all&limit=${PAGE_SIZE}${next === undefined ? '' : `&next=${next}`}`;
      const answer = await fetch(`${medallion.target.objectsUrl}${query}`, { headers: { Accept: TAXII_MEDIA_TYPE, Authorization: medallion.target.authorization } });
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { more?: boolean; next?: string };
      if (!body.more || body.next === undefined) return answer.headers.get('x-taxii-date-added-last');
      next = body.next;
    }
  }

  beforeAll(async () => {
    const executable = await ensureMedallion(path.join(PROJECT_ROOT, '.tools'), () => undefined);
    workDir = await mkdtemp(path.join(tmpdir(), 'taxii-medallion-feed-'));
    medallion = await startMedallion(executable, workDir, PAGE_SIZE);
    objects = await realObjects();
    // Three envelopes, so medallion holds three distinct date_added values.
    const third = Math.ceil(objects.length / 3);
    for (let start = 0; start < objects.length; start += third) await postToMedallion(objects.slice(start, start + third));
    const [user = '', password = ''] = Buffer.from(medallion.target.authorization.replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
    const feeds = [feed('oasis-medallion', medallion.target.objectsUrl.replace(/objects\/$/, ''), { auth: { type: 'basic', username: user, passwordEnv: 'MEDALLION_PASSWORD' }, pageSize: PAGE_SIZE })];
    mirror = await openMirror('medallion-feed', allianceWithFeeds(feeds), secretsFrom({ MEDALLION_PASSWORD: password }));
  });
  afterAll(async () => {
    await mirror?.close();
    await medallion?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('mirrors the whole collection over several pages and keeps medallion\'s X-TAXII-Date-Added-Last as its cursor', async () => {
    const outcome = await mirror.poller.pollNow('oasis-medallion');

    expect(outcome).toMatchObject({ kind: 'polled', stored: objects.length, duplicates: 0, rejected: 0 });
    expect(outcome.kind === 'polled' && outcome.pages).toBeGreaterThanOrEqual(Math.ceil(objects.length / PAGE_SIZE));
    const held = await mirror.versions();
    expect(held.map((version) => version.id).sort()).toEqual(objects.map((object) => String(object.id)).sort());
    for (const version of held) expect(version.publishedBy).toEqual({ organisation: 'gb-nca', username: 'feed:oasis-medallion' });
    const state = await mirror.storage.feedStates.find('oasis-medallion');
    expect(state?.cursor).toBe(await medallionLastDateAdded());
    expect(state).toMatchObject({ objectsMirrored: objects.length, objectsRejected: 0, consecutiveFailures: 0 });
  });

  it('fetches nothing again once caught up, then mirrors an object updated upstream as its new version', async () => {
    expect(await mirror.poller.pollNow('oasis-medallion')).toMatchObject({ kind: 'polled', stored: 0, duplicates: 0 });

    const updated = objects.find((object) => object.type === 'indicator');
    if (!updated) throw new Error('the examples hold no indicator');
    const newer = { ...updated, modified: '2026-11-30T12:00:00.000Z', description: 'Updated upstream after the first mirror.' };
    await postToMedallion([newer]);

    expect(await mirror.poller.pollNow('oasis-medallion')).toMatchObject({ kind: 'polled', pages: 1, stored: 1, duplicates: 0 });
    const versions = (await mirror.versions()).filter((version) => version.id === updated.id);
    expect(versions.map((version) => version.version)).toEqual([String(updated.modified), '2026-11-30T12:00:00.000Z']);
    expect(JSON.parse(versions[1]?.stix ?? '{}')).toEqual(newer);
    expect((await mirror.storage.feedStates.find('oasis-medallion'))?.cursor).toBe(await medallionLastDateAdded());
  });
});
