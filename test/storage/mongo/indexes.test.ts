import { randomBytes } from 'node:crypto';
import { connectDatabase, type DatabaseHandle } from '../../../server/storage/mongo/connect';
import { ensureIndexes } from '../../../server/storage/mongo/indexes';
import { mongoAvailable } from '../../support/storage';

const describeOnMongo = mongoAvailable() ? describe : describe.skip;

describeOnMongo('ensureIndexes (MongoDB engine)', () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await connectDatabase(process.env.TEST_MONGODB_URI ?? '', `t_indexes_${randomBytes(4).toString('hex')}`);
  });
  afterAll(async () => {
    await handle.db.dropDatabase();
    await handle.close();
  });

  async function indexNames(collection: string): Promise<string[]> {
    return (await handle.db.collection(collection).indexes()).map((index) => index.name ?? '').filter((name) => name !== '_id_').sort();
  }

  it('creates every collection\'s indexes, drops the retired one, and runs again as at every restart', async () => {
    await handle.db.collection('objects').createIndex({ collection_id: 1, type: 1 }, { name: 'type_latest_by_date_added' });
    await ensureIndexes(handle.db);
    await ensureIndexes(handle.db);
    expect(await indexNames('objects')).toEqual(['all_by_date_added', 'latest_by_date_added', 'published_by_org', 'type_latest_by_date_added_v2', 'version_identity']);
    expect(await indexNames('statuses')).toEqual(['status_expiry']);
    expect(await indexNames('users')).toEqual(['organisation_username', 'username_unique']);
    expect(await indexNames('api_tokens')).toEqual(['token_id_unique', 'username_created']);
    expect(await indexNames('audit_log')).toEqual(['by_collection', 'by_organisation', 'by_time']);
  });
});
