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

describe('the date_added clock at start-up', () => {
  it('continues after the newest date_added already stored, whatever the wall clock says', async () => {
    const database = await openTestDatabase('clock-restart');
    try {
      const config = testAlliance();
      const collectionId = config.collections[0]?.id ?? '';
      const future = (Date.now() + 3_600_000) * 1000; // stored by a host whose clock ran an hour ahead
      await database.db.collection('objects').insertOne({ collection_id: collectionId, object_id: 'indicator--x', version_key: 'k', date_added_us: future });
      const runtime = await createRuntime(database.db, config);
      expect(runtime.context.clock.next()).toBe(future + 1);
    } finally {
      await database.drop();
    }
  });
});
