import { DuplicateToken, DuplicateUser, type TokenRecord, type UserRecord } from '../../server/storage/credential-repository';
import { MongoCredentialRepository } from '../../server/storage/mongo/credential-repository';
import { openTestDatabase } from '../support/database';

type TestDatabase = Awaited<ReturnType<typeof openTestDatabase>>;

function user(username: string, organisation: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return { username, organisation, role: 'member', passwordHash: 'scrypt$hash', disabled: false, createdAt: new Date('2026-01-02T03:04:05.678Z'), ...overrides };
}

function token(tokenId: string, username: string, createdAt: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return { tokenId, username, secretHash: `hash-${tokenId}`, createdAt: new Date(createdAt), ...overrides };
}

describe('MongoCredentialRepository', () => {
  let database: TestDatabase;
  let repository: MongoCredentialRepository;

  beforeAll(async () => {
    database = await openTestDatabase('credentials');
    repository = new MongoCredentialRepository(database.db);
    await repository.ensureIndexes();
    await repository.ensureIndexes(); // idempotent: every start calls it
  });
  afterAll(() => database.drop());

  it('stores a user and reads back exactly the record', async () => {
    const record = user('analyst@de-bka', 'de-bka', { role: 'org-admin' });
    await repository.addUser(record);
    expect(record).not.toHaveProperty('_id');
    expect(await repository.findUser('analyst@de-bka')).toEqual(record);
    expect(await repository.findUser('nobody')).toBeUndefined();
  });

  it('refuses a second user with the same name', async () => {
    await repository.addUser(user('dup@gb-nca', 'gb-nca'));
    await expect(repository.addUser(user('dup@gb-nca', 'europol'))).rejects.toBeInstanceOf(DuplicateUser);
    expect((await repository.findUser('dup@gb-nca'))?.organisation).toBe('gb-nca');
  });

  it('lists users sorted by name, optionally of one organisation', async () => {
    await repository.addUser(user('b@nl-police', 'nl-police'));
    await repository.addUser(user('a@nl-police', 'nl-police'));
    expect((await repository.listUsers('nl-police')).map((u) => u.username)).toEqual(['a@nl-police', 'b@nl-police']);
    const all = (await repository.listUsers()).map((u) => u.username);
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['analyst@de-bka', 'dup@gb-nca', 'a@nl-police']));
  });

  it('treats a username as a value, never as a query operator', async () => {
    const operator = { $ne: 'x' } as unknown as string;
    expect(await repository.findUser(operator)).toBeUndefined();
  });

  it('disables, enables and changes passwords; false for unknown users', async () => {
    await repository.addUser(user('toggle@europol', 'europol'));
    expect(await repository.setDisabled('toggle@europol', true)).toBe(true);
    expect((await repository.findUser('toggle@europol'))?.disabled).toBe(true);
    expect(await repository.setDisabled('toggle@europol', false)).toBe(true);
    expect((await repository.findUser('toggle@europol'))?.disabled).toBe(false);
    expect(await repository.setPassword('toggle@europol', 'scrypt$new')).toBe(true);
    expect((await repository.findUser('toggle@europol'))?.passwordHash).toBe('scrypt$new');
    expect(await repository.setDisabled('ghost', true)).toBe(false);
    expect(await repository.setPassword('ghost', 'x')).toBe(false);
  });

  it('stores tokens, with and without optional fields, and refuses a duplicate id', async () => {
    const plain = token('00000000000000a1', 'analyst@de-bka', '2026-01-01T00:00:00Z');
    const full = token('00000000000000a2', 'analyst@de-bka', '2026-01-02T00:00:00Z', { expiresAt: new Date('2026-02-01T00:00:00Z'), label: 'poller' });
    await repository.addToken(plain);
    await repository.addToken(full);
    expect(await repository.findToken('00000000000000a1')).toEqual(plain);
    expect(await repository.findToken('00000000000000a2')).toEqual(full);
    expect(await repository.findToken('ffffffffffffffff')).toBeUndefined();
    await expect(repository.addToken(plain)).rejects.toBeInstanceOf(DuplicateToken);
  });

  it('lists tokens in creation order, optionally of one user', async () => {
    await repository.addToken(token('00000000000000b2', 'b@nl-police', '2026-03-02T00:00:00Z'));
    await repository.addToken(token('00000000000000b1', 'b@nl-police', '2026-03-01T00:00:00Z'));
    expect((await repository.listTokens('b@nl-police')).map((t) => t.tokenId)).toEqual(['00000000000000b1', '00000000000000b2']);
    expect((await repository.listTokens()).length).toBeGreaterThanOrEqual(4);
  });

  it('revokes a token once and keeps the first revocation time', async () => {
    await repository.addToken(token('00000000000000c1', 'a@nl-police', '2026-04-01T00:00:00Z'));
    const first = new Date('2026-04-02T00:00:00Z');
    expect(await repository.revokeToken('00000000000000c1', first)).toBe(true);
    expect(await repository.revokeToken('00000000000000c1', new Date('2026-04-03T00:00:00Z'))).toBe(true);
    expect((await repository.findToken('00000000000000c1'))?.revokedAt).toEqual(first);
    expect(await repository.revokeToken('ffffffffffffffff', first)).toBe(false);
  });
});
