import { randomBytes } from 'node:crypto';
import { connectDatabase, type DatabaseHandle } from '../../server/storage/mongo/connect';

/**
 * A database of its own for one test file, on the FerretDB the global set-up started, so files
 * can run in parallel. Call `drop()` in afterAll.
 */
export async function openTestDatabase(label: string): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest so the global set-up starts FerretDB');
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const handle = await connectDatabase(uri, name);
  return {
    ...handle,
    async drop() {
      await handle.db.dropDatabase();
      await handle.close();
    },
  };
}
