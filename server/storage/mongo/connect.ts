import { MongoClient, type Db, type WriteConcernSettings } from 'mongodb';

/**
 * Every write that acknowledges data to a client waits for the journal on a majority, so an
 * accepted object survives a crash of this process and of the database process.
 */
export const DURABLE_WRITE: WriteConcernSettings = { w: 'majority', journal: true };

export interface DatabaseHandle {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, databaseName: string): Promise<DatabaseHandle> {
  // ignoreUndefined: an absent optional field stays absent instead of coming back as null, as on SQLite.
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, retryWrites: false, ignoreUndefined: true });
  await client.connect();
  const db = client.db(databaseName);
  return { client, db, close: () => client.close() };
}
