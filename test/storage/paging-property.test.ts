import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Principal } from '../../server/auth/principal';
import { createRuntime } from '../../server/bootstrap';
import type { CollectionConfig } from '../../server/config/types';
import { addObjects } from '../../server/services/add-objects';
import type { TaxiiContext } from '../../server/services/context';
import { readListing } from '../../server/services/read-objects';
import { testAlliance } from '../support/alliance';
import { openTestStorage } from '../support/storage';
import type { Storage } from '../../server/storage/storage';
import { indicator } from '../support/stix-samples';

let storage: Storage;
let context: TaxiiContext;
const publisher: Principal = { username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', authenticatedBy: { method: 'password' } };

beforeAll(async () => {
  storage = await openTestStorage('paging-property');
  context = (await createRuntime(storage, testAlliance())).context;
});
afterAll(() => storage.close());

function freshCollection(): CollectionConfig {
  return { id: randomUUID(), title: 'paging', owner: 'de-bka', apiRoot: 'alliance', mediaTypes: [], unmarked: 'allow', foreignVersions: 'refuse', grants: [] };
}

function rootOf() {
  const root = context.config.apiRoots[0];
  if (!root) throw new Error('test alliance has no API root');
  return root;
}

async function publish(collection: CollectionConfig, objects: Record<string, unknown>[]): Promise<void> {
  await addObjects(context, { principal: publisher, root: rootOf(), collection }, { objects }, { waitMs: Infinity });
}

/** Reads every page through `next`; between pages, `during(pageNumber)` may publish more. */
async function pollAll(collection: CollectionConfig, limit: number, during: (page: number) => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let next: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const query = `limit=${limit}&match[version]=all${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const response = JSON.parse((await readListing(context, { principal: publisher, root: rootOf(), collection }, 'objects', query)).body) as {
      more: boolean;
      next?: string;
      objects?: { id: string; modified: string }[];
    };
    const objects = response.objects ?? [];
    expect(objects.length).toBeLessThanOrEqual(limit);
    seen.push(...objects.map((object) => `${object.id}@${object.modified}`));
    if (!response.more) return seen;
    expect(response.next).toBeDefined();
    next = response.next;
    await during(page);
  }
  throw new Error('paging did not end');
}

describe('keyset pagination (property)', () => {
  it('returns every version exactly once for any limit, while partners keep publishing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 6 }),
        async (initialCount, limit, insertsPerPage) => {
          const collection = freshCollection();
          const initial = Array.from({ length: initialCount }, () => indicator());
          // Some objects get a second version, so ids repeat across versions.
          const revisions: Record<string, unknown>[] = initial
            .filter((_, index) => index % 4 === 0)
            .map((object) => ({ ...object, modified: '2024-06-01T00:00:00.000Z' }));
          await publish(collection, [...initial, ...revisions]);
          const expected = [...initial, ...revisions].map((object) => `${String(object.id)}@${String(object.modified)}`);
          const published: string[] = [];
          const seen = await pollAll(collection, limit, async (page) => {
            const count = insertsPerPage[page] ?? 0;
            if (count === 0) return;
            const more = Array.from({ length: count }, () => indicator());
            await publish(collection, more);
            published.push(...more.map((object) => `${String(object.id)}@${String(object.modified)}`));
          });
          expect(new Set(seen).size).toBe(seen.length);
          expect([...seen].sort()).toEqual([...expected, ...published].sort());
        },
      ),
      { numRuns: 25 },
    );
  });
});
