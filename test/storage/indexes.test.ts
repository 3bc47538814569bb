import { createRuntime } from '../../server/bootstrap';
import { testAlliance } from '../support/alliance';
import { openTestDatabase } from '../support/database';

describe('index creation at start-up', () => {
  it('runs again on a database that already has every index (a restart)', async () => {
    const database = await openTestDatabase('indexes');
    try {
      await createRuntime(database.db, testAlliance());
      await createRuntime(database.db, testAlliance());
      const names = (await database.db.collection('objects').indexes()).map((index) => index.name);
      expect(names).toEqual(expect.arrayContaining(['version_identity', 'latest_by_date_added', 'all_by_date_added']));
      await database.db.command({ ping: 1 });
    } finally {
      await database.drop();
    }
  });
});
