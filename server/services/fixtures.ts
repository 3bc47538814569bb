import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Principal } from '../auth/principal';
import { addObjects } from './add-objects';
import type { TaxiiContext } from './context';

export interface FixtureReport {
  file: string;
  collection: string;
  accepted: number;
  rejected: number;
}

/**
 * `fixtures/real/` holds the published STIX corpus the tests and benchmarks read (about 5,000
 * objects, ATT&CK included). It is reference data, not a partner's demo data: loading it would
 * fail (no organisation `real`), and it does not belong in the demo collections anyway.
 */
export const REFERENCE_DATA_FOLDER = 'real';

/**
 * Loads `fixtures/<organisation>/<collection-alias>/*.json` (STIX bundles or plain arrays of
 * objects) through the same ingest path as a POST, published by that organisation, so demo data
 * is validated and counted like any partner's. Re-loading is harmless: held versions are kept.
 * Any other folder that names no organisation's collection is still an error, so a misspelt
 * partner folder is reported rather than skipped.
 */
export async function loadFixtures(context: TaxiiContext, fixturesDir: string): Promise<FixtureReport[]> {
  const reports: FixtureReport[] = [];
  const organisations = (await subdirectories(fixturesDir)).filter((name) => name !== REFERENCE_DATA_FOLDER);
  for (const organisation of organisations) {
    const principal: Principal = { username: 'fixture-loader', organisation, role: 'member', authenticatedBy: { method: 'password' } };
    for (const alias of await subdirectories(join(fixturesDir, organisation))) {
      const collection = context.config.collections.find((candidate) => candidate.alias === alias && candidate.owner === organisation);
      if (!collection) throw new Error(`fixtures/${organisation}/${alias}: ${organisation} owns no collection with alias '${alias}'`);
      const root = context.config.apiRoots.find((candidate) => candidate.path === collection.apiRoot);
      if (!root) throw new Error(`fixtures/${organisation}/${alias}: API root '${collection.apiRoot}' is not declared`);
      const files = (await readdir(join(fixturesDir, organisation, alias))).filter((name) => name.endsWith('.json')).sort();
      for (const file of files) {
        const path = join(fixturesDir, organisation, alias, file);
        const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
        const body = Array.isArray(parsed) ? { objects: parsed } : parsed;
        const status = await addObjects(context, { principal, root, collection, requestId: 'fixtures' }, body, { waitMs: Infinity });
        reports.push({ file: `${organisation}/${alias}/${file}`, collection: collection.id, accepted: status.successes.length, rejected: status.failures.length });
      }
    }
  }
  return reports;
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}
