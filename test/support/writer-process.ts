/**
 * A server process's ingest path on its own: publishes ROUNDS envelopes of PER_ROUND indicators into
 * one collection of the MongoDB store named by the environment, through the same addObjects as a
 * POST. Several of these run at once in test/storage/multi-writer.test.ts.
 */
import type { Principal } from '../../server/auth/principal';
import { createRuntime } from '../../server/bootstrap';
import { addObjects } from '../../server/services/add-objects';
import { connectDatabase } from '../../server/storage/mongo/connect';
import { mongoStorageOn } from '../../server/storage/mongo/mongo-storage';
import { testAlliance, COLLECTION_IDS } from './alliance';
import { indicator } from './stix-samples';

async function main(): Promise<void> {
  const { MONGODB_URI: uri = '', MONGODB_DATABASE: databaseName = '', WRITER: writer = 'w', ROUNDS: rounds = '10', PER_ROUND: perRound = '5' } = process.env;
  const handle = await connectDatabase(uri, databaseName);
  const storage = mongoStorageOn(handle, { leaseMs: 3_000, renewMs: 500, retryMs: 5 });
  const config = testAlliance();
  const runtime = await createRuntime(storage, config);
  const { context } = runtime;
  const collection = config.collections.find((candidate) => candidate.id === COLLECTION_IDS.shared);
  const root = config.apiRoots[0];
  if (!collection || !root) throw new Error('test alliance lacks the shared collection');
  const principal: Principal = { username: `analyst@${writer}`, organisation: 'europol', role: 'member', authenticatedBy: { method: 'password' } };
  let accepted = 0;
  for (let round = 0; round < Number(rounds); round += 1) {
    const objects = Array.from({ length: Number(perRound) }, () => indicator({ name: `${writer} round ${round}` }));
    const status = await addObjects(context, { principal, root, collection }, { objects }, { waitMs: Infinity });
    accepted += status.successes.length;
  }
  await runtime.stop();
  await storage.close();
  process.stdout.write(`${accepted}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
