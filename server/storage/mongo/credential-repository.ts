import { MongoServerError, type Collection, type Db } from 'mongodb';
import {
  DuplicateClientCertificate,
  DuplicateToken,
  DuplicateUser,
  type CertificateMatch,
  type ClientCertificateRecord,
  type CredentialRepository,
  type TokenRecord,
  type UserRecord,
} from '../credential-repository';
import { DURABLE_WRITE } from './connect';

export const USERS_COLLECTION = 'users';
export const TOKENS_COLLECTION = 'api_tokens';
export const CERTIFICATES_COLLECTION = 'client_certificates';

const DUPLICATE_KEY = 11000;
// Documents are stored exactly as the records; only the driver's _id is dropped on the way out.
const WITHOUT_ID = { projection: { _id: 0 } } as const;

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/** Optional fields come back only when present, so a record read equals the record written. */
function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

export class MongoCredentialRepository implements CredentialRepository {
  private readonly users: Collection<UserRecord>;
  private readonly tokens: Collection<TokenRecord>;
  private readonly certificates: Collection<ClientCertificateRecord>;

  constructor(db: Db) {
    this.users = db.collection<UserRecord>(USERS_COLLECTION);
    this.tokens = db.collection<TokenRecord>(TOKENS_COLLECTION);
    this.certificates = db.collection<ClientCertificateRecord>(CERTIFICATES_COLLECTION);
  }

  async addUser(user: UserRecord): Promise<void> {
    try {
      // insertOne adds _id to the object it is given; copy so the caller's record stays clean.
      await this.users.insertOne(withoutUndefined({ ...user }), { writeConcern: DURABLE_WRITE });
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateUser(user.username);
      throw error;
    }
  }

  async findUser(username: string): Promise<UserRecord | undefined> {
    return (await this.users.findOne({ username: { $eq: username } }, WITHOUT_ID)) ?? undefined;
  }

  async listUsers(organisation?: string): Promise<UserRecord[]> {
    const filter = organisation === undefined ? {} : { organisation: { $eq: organisation } };
    return this.users.find(filter, WITHOUT_ID).sort({ username: 1 }).toArray();
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const result = await this.users.updateOne({ username: { $eq: username } }, { $set: { disabled } }, { writeConcern: DURABLE_WRITE });
    return result.matchedCount === 1;
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const result = await this.users.updateOne({ username: { $eq: username } }, { $set: { passwordHash } }, { writeConcern: DURABLE_WRITE });
    return result.matchedCount === 1;
  }

  async updatePasswordHash(username: string, currentHash: string, newHash: string): Promise<boolean> {
    const filter = { username: { $eq: username }, passwordHash: { $eq: currentHash } };
    const result = await this.users.updateOne(filter, { $set: { passwordHash: newHash } }, { writeConcern: DURABLE_WRITE });
    return result.matchedCount === 1;
  }

  async addToken(token: TokenRecord): Promise<void> {
    try {
      await this.tokens.insertOne(withoutUndefined({ ...token }), { writeConcern: DURABLE_WRITE });
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateToken(token.tokenId);
      throw error;
    }
  }

  async findToken(tokenId: string): Promise<TokenRecord | undefined> {
    return (await this.tokens.findOne({ tokenId: { $eq: tokenId } }, WITHOUT_ID)) ?? undefined;
  }

  async listTokens(username?: string): Promise<TokenRecord[]> {
    const filter = username === undefined ? {} : { username: { $eq: username } };
    return this.tokens.find(filter, WITHOUT_ID).sort({ createdAt: 1, tokenId: 1 }).toArray();
  }

  async revokeToken(tokenId: string, at: Date): Promise<boolean> {
    // Only the first revocation counts: the audit trail should keep when the token stopped working.
    const result = await this.tokens.updateOne(
      { tokenId: { $eq: tokenId }, revokedAt: { $exists: false } },
      { $set: { revokedAt: at } },
      { writeConcern: DURABLE_WRITE },
    );
    if (result.matchedCount === 1) return true;
    return (await this.tokens.countDocuments({ tokenId: { $eq: tokenId } }, { limit: 1 })) === 1;
  }

  async addClientCertificate(certificate: ClientCertificateRecord): Promise<void> {
    try {
      // The unique index match_value (indexes.ts) refuses a second mapping of one certificate.
      await this.certificates.insertOne({ ...certificate }, { writeConcern: DURABLE_WRITE });
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateClientCertificate(certificate.match, certificate.value);
      throw error;
    }
  }

  async findClientCertificate(match: CertificateMatch, value: string): Promise<ClientCertificateRecord | undefined> {
    return (await this.certificates.findOne({ match: { $eq: match }, value: { $eq: value } }, WITHOUT_ID)) ?? undefined;
  }

  async listClientCertificates(username?: string): Promise<ClientCertificateRecord[]> {
    const filter = username === undefined ? {} : { username: { $eq: username } };
    return this.certificates.find(filter, WITHOUT_ID).sort({ username: 1, match: 1, value: 1 }).toArray();
  }

  async removeClientCertificate(match: CertificateMatch, value: string): Promise<boolean> {
    const result = await this.certificates.deleteOne({ match: { $eq: match }, value: { $eq: value } }, { writeConcern: DURABLE_WRITE });
    return result.deletedCount === 1;
  }
}
