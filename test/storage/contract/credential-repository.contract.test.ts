import { DuplicateClientCertificate, DuplicateToken, DuplicateUser, type ClientCertificateRecord, type TokenRecord, type UserRecord } from '../../../server/storage/credential-repository';
import type { Storage } from '../../../server/storage/storage';
import { describeEachEngine } from '../../support/storage';

function user(username: string, organisation: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return { username, organisation, role: 'member', passwordHash: 'scrypt$hash', disabled: false, createdAt: new Date('2026-01-02T03:04:05.678Z'), ...overrides };
}

function token(tokenId: string, username: string, createdAt: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return { tokenId, username, secretHash: `hash-${tokenId}`, createdAt: new Date(createdAt), ...overrides };
}

const FINGERPRINT_A = `AA:${'00:'.repeat(30)}01`;
const FINGERPRINT_B = `BB:${'00:'.repeat(30)}02`;

function certificate(match: ClientCertificateRecord['match'], value: string, username: string): ClientCertificateRecord {
  return { match, value, username, createdAt: new Date('2026-05-01T00:00:00.123Z') };
}

describeEachEngine('CredentialRepository contract', (open) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await open('credential-contract');
    await storage.prepare();
    await storage.prepare(); // idempotent: every start calls it
  });
  afterAll(() => storage.close());

  it('stores a user and reads back exactly the record', async () => {
    const record = user('analyst@de-bka', 'de-bka', { role: 'org-admin' });
    const copy = structuredClone(record);
    await storage.credentials.addUser(record);
    expect(record).toStrictEqual(copy);
    expect(await storage.credentials.findUser('analyst@de-bka')).toStrictEqual(record);
    expect(await storage.credentials.findUser('nobody')).toBeUndefined();
  });

  it('refuses a second user with the same name and keeps the first', async () => {
    await storage.credentials.addUser(user('dup@gb-nca', 'gb-nca'));
    await expect(storage.credentials.addUser(user('dup@gb-nca', 'europol'))).rejects.toBeInstanceOf(DuplicateUser);
    expect((await storage.credentials.findUser('dup@gb-nca'))?.organisation).toBe('gb-nca');
  });

  it('lists users sorted by name, optionally of one organisation', async () => {
    await storage.credentials.addUser(user('b@nl-police', 'nl-police', { disabled: true }));
    await storage.credentials.addUser(user('a@nl-police', 'nl-police', { role: 'alliance-admin' }));
    expect(await storage.credentials.listUsers('nl-police')).toStrictEqual([
      user('a@nl-police', 'nl-police', { role: 'alliance-admin' }),
      user('b@nl-police', 'nl-police', { disabled: true }),
    ]);
    const all = (await storage.credentials.listUsers()).map((u) => u.username);
    expect(all).toEqual(['a@nl-police', 'analyst@de-bka', 'b@nl-police', 'dup@gb-nca']);
    expect(await storage.credentials.listUsers('no-such-organisation')).toEqual([]);
  });

  it('treats a username as a value, never as a query operator', async () => {
    const operator = { $ne: 'x' } as unknown as string;
    // Refusing the value outright is as good as finding nothing; finding some other user is not.
    const found = await storage.credentials.findUser(operator).catch(() => undefined);
    expect(found).toBeUndefined();
  });

  it('disables, enables and changes passwords; false for unknown users', async () => {
    await storage.credentials.addUser(user('toggle@europol', 'europol'));
    expect(await storage.credentials.setDisabled('toggle@europol', true)).toBe(true);
    expect((await storage.credentials.findUser('toggle@europol'))?.disabled).toBe(true);
    expect(await storage.credentials.setDisabled('toggle@europol', false)).toBe(true);
    expect((await storage.credentials.findUser('toggle@europol'))?.disabled).toBe(false);
    expect(await storage.credentials.setPassword('toggle@europol', 'scrypt$new')).toBe(true);
    expect(await storage.credentials.findUser('toggle@europol')).toStrictEqual(user('toggle@europol', 'europol', { passwordHash: 'scrypt$new' }));
    expect(await storage.credentials.setDisabled('ghost', true)).toBe(false);
    expect(await storage.credentials.setPassword('ghost', 'x')).toBe(false);
  });

  it('replaces a password hash only while the stored hash is the one expected', async () => {
    await storage.credentials.addUser(user('rehash@europol', 'europol', { passwordHash: 'scrypt$old' }));
    expect(await storage.credentials.updatePasswordHash('rehash@europol', 'scrypt$stale', 'scrypt$lost')).toBe(false);
    expect((await storage.credentials.findUser('rehash@europol'))?.passwordHash).toBe('scrypt$old');
    expect(await storage.credentials.updatePasswordHash('rehash@europol', 'scrypt$old', 'scrypt$stronger')).toBe(true);
    expect(await storage.credentials.findUser('rehash@europol')).toStrictEqual(user('rehash@europol', 'europol', { passwordHash: 'scrypt$stronger' }));
    expect(await storage.credentials.updatePasswordHash('ghost', 'scrypt$old', 'x')).toBe(false);
    const operator = { $ne: 'x' } as unknown as string;
    expect(await storage.credentials.updatePasswordHash('rehash@europol', operator, 'scrypt$injected').catch(() => false)).toBe(false);
    expect((await storage.credentials.findUser('rehash@europol'))?.passwordHash).toBe('scrypt$stronger');
  });

  it('stores tokens, with and without optional fields, and refuses a duplicate id', async () => {
    const plain = token('00000000000000a1', 'analyst@de-bka', '2026-01-01T00:00:00Z');
    const full = token('00000000000000a2', 'analyst@de-bka', '2026-01-02T00:00:00Z', {
      expiresAt: new Date('2026-02-01T00:00:00.001Z'), revokedAt: new Date('2026-01-03T00:00:00Z'), label: 'poller',
    });
    await storage.credentials.addToken(plain);
    await storage.credentials.addToken(full);
    expect(await storage.credentials.findToken('00000000000000a1')).toStrictEqual(plain);
    expect(await storage.credentials.findToken('00000000000000a2')).toStrictEqual(full);
    expect(await storage.credentials.findToken('ffffffffffffffff')).toBeUndefined();
    await expect(storage.credentials.addToken({ ...plain, secretHash: 'other' })).rejects.toBeInstanceOf(DuplicateToken);
    expect(await storage.credentials.findToken('00000000000000a1')).toStrictEqual(plain);
  });

  it('lists tokens in creation order, then by id, optionally of one user', async () => {
    await storage.credentials.addToken(token('00000000000000b3', 'b@nl-police', '2026-03-02T00:00:00Z'));
    await storage.credentials.addToken(token('00000000000000b2', 'b@nl-police', '2026-03-01T00:00:00Z'));
    await storage.credentials.addToken(token('00000000000000b1', 'b@nl-police', '2026-03-02T00:00:00Z'));
    expect((await storage.credentials.listTokens('b@nl-police')).map((t) => t.tokenId)).toEqual(['00000000000000b2', '00000000000000b1', '00000000000000b3']);
    expect((await storage.credentials.listTokens()).map((t) => t.tokenId)).toEqual([
      '00000000000000a1', '00000000000000a2', '00000000000000b2', '00000000000000b1', '00000000000000b3',
    ]);
    expect(await storage.credentials.listTokens('nobody')).toEqual([]);
  });

  it('revokes a token once and keeps the first revocation time', async () => {
    const record = token('00000000000000c1', 'a@nl-police', '2026-04-01T00:00:00Z');
    await storage.credentials.addToken(record);
    const first = new Date('2026-04-02T00:00:00Z');
    expect(await storage.credentials.revokeToken('00000000000000c1', first)).toBe(true);
    expect(await storage.credentials.revokeToken('00000000000000c1', new Date('2026-04-03T00:00:00Z'))).toBe(true);
    expect(await storage.credentials.findToken('00000000000000c1')).toStrictEqual({ ...record, revokedAt: first });
    expect(await storage.credentials.revokeToken('ffffffffffffffff', first)).toBe(false);
  });

  it('maps a client certificate to one user, by fingerprint or by subject, and refuses a second mapping of it', async () => {
    const byFingerprint = certificate('fingerprint', FINGERPRINT_A, 'a@nl-police');
    const bySubject = certificate('subject', 'C=NL,CN=opencti.politie.nl,O=Politie', 'a@nl-police');
    const copy = structuredClone(byFingerprint);
    await storage.credentials.addClientCertificate(byFingerprint);
    await storage.credentials.addClientCertificate(bySubject);
    expect(byFingerprint).toStrictEqual(copy);
    expect(await storage.credentials.findClientCertificate('fingerprint', FINGERPRINT_A)).toStrictEqual(byFingerprint);
    expect(await storage.credentials.findClientCertificate('subject', bySubject.value)).toStrictEqual(bySubject);
    // The kind is part of the key: a subject that happens to equal a fingerprint is another mapping.
    expect(await storage.credentials.findClientCertificate('subject', FINGERPRINT_A)).toBeUndefined();
    await expect(storage.credentials.addClientCertificate(certificate('fingerprint', FINGERPRINT_A, 'b@nl-police'))).rejects.toBeInstanceOf(DuplicateClientCertificate);
    expect((await storage.credentials.findClientCertificate('fingerprint', FINGERPRINT_A))?.username).toBe('a@nl-police');
  });

  it('lists certificates by user, then kind and value, and removes one mapping only', async () => {
    await storage.credentials.addClientCertificate(certificate('fingerprint', FINGERPRINT_B, 'b@nl-police'));
    expect((await storage.credentials.listClientCertificates()).map((c) => [c.username, c.match, c.value])).toEqual([
      ['a@nl-police', 'fingerprint', FINGERPRINT_A],
      ['a@nl-police', 'subject', 'C=NL,CN=opencti.politie.nl,O=Politie'],
      ['b@nl-police', 'fingerprint', FINGERPRINT_B],
    ]);
    expect(await storage.credentials.listClientCertificates('b@nl-police')).toStrictEqual([certificate('fingerprint', FINGERPRINT_B, 'b@nl-police')]);
    expect(await storage.credentials.listClientCertificates('nobody')).toEqual([]);
    expect(await storage.credentials.removeClientCertificate('fingerprint', FINGERPRINT_B)).toBe(true);
    expect(await storage.credentials.removeClientCertificate('fingerprint', FINGERPRINT_B)).toBe(false);
    expect(await storage.credentials.findClientCertificate('fingerprint', FINGERPRINT_B)).toBeUndefined();
    expect(await storage.credentials.listClientCertificates('a@nl-police')).toHaveLength(2);
  });

  it('treats a certificate value as a value, never as a query operator', async () => {
    const operator = { $ne: 'x' } as unknown as string;
    expect(await storage.credentials.findClientCertificate('fingerprint', operator).catch(() => undefined)).toBeUndefined();
    expect(await storage.credentials.removeClientCertificate('fingerprint', operator).catch(() => false)).toBe(false);
    expect(await storage.credentials.listClientCertificates()).toHaveLength(2);
  });
});
