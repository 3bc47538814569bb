import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import type { PagePosition } from '../../server/taxii/pagination';
import { ALL_VERSIONS } from '../../server/taxii/versions';
import { COLLECTION_IDS } from '../support/alliance';
import { mongoAvailable, openTestStorage, type TestStorage } from '../support/storage';

const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const WRITER = join(PROJECT_ROOT, 'test', 'support', 'writer-process.ts');

function runWriter(store: TestStorage, name: string, rounds: number, perRound: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [WRITER], { env: { ...process.env, ...store.childEnv, WRITER: name, ROUNDS: String(rounds), PER_ROUND: String(perRound) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Number(stdout.trim())) : reject(new Error(`writer ${name} exited ${code}: ${stderr}`))));
  });
}

// TAXII 2.1 §3.4.1: a poller that resumes after the last date_added it saw must see every version
// exactly once, even while several server processes publish into the same collection.
(mongoAvailable() ? describe : describe.skip)('three server processes writing one collection on MongoDB', () => {
  let store: TestStorage;
  beforeAll(async () => {
    store = await openTestStorage('multi_writer', 'mongodb');
    await store.prepare();
  });
  afterAll(() => store.close());

  it('lets a concurrent poller see every version exactly once: none skipped, none twice', async () => {
    const rounds = 8;
    const perRound = 5;
    let writing = true;
    const writers = Promise.all(['a', 'b', 'c'].map((name) => runWriter(store, name, rounds, perRound))).finally(() => {
      writing = false;
    });
    const seen: string[] = [];
    let after: PagePosition | undefined;
    for (;;) {
      const finished = !writing;
      const page = await store.objects.page({ collectionId: COLLECTION_IDS.shared, filter: { versions: ALL_VERSIONS }, after, limit: 7, withContent: false });
      seen.push(...page.records.map((record) => record.id));
      const last = page.records.at(-1);
      if (last) after = { dateAdded: last.dateAdded, id: last.id, versionKey: last.versionKey };
      if (finished && !page.more && page.records.length === 0) break;
      if (page.records.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const accepted = await writers;
    expect(accepted).toEqual([rounds * perRound, rounds * perRound, rounds * perRound]);
    const stored = await store.objects.page({ collectionId: COLLECTION_IDS.shared, filter: { versions: ALL_VERSIONS }, limit: 10_000, withContent: false });
    expect(stored.records).toHaveLength(3 * rounds * perRound);
    expect(new Set(seen).size).toBe(seen.length); // none twice
    expect([...seen].sort()).toEqual(stored.records.map((record) => record.id).sort()); // none skipped
  }, 240_000);
});
