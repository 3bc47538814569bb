import { DURABLE_WRITE } from '../../server/storage/mongo/connect';
import { openTestDatabase } from '../support/database';
import { mongoAvailable } from '../support/storage';

(mongoAvailable() ? describe : describe.skip)('the MongoDB test server', () => {
  it('accepts a durable (majority, journaled) write and reads it back', async () => {
    const database = await openTestDatabase('connect');
    try {
      const things = database.db.collection<{ name: string; n: number }>('things');
      await things.insertOne({ name: 'probe', n: 1700000000123456 }, { writeConcern: DURABLE_WRITE });
      const found = await things.findOne({ name: 'probe' });
      expect(found?.n).toBe(1700000000123456);
    } finally {
      await database.drop();
    }
  });
});
