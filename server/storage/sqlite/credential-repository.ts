import type { Statement } from 'better-sqlite3';
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
import type { SqliteDatabase } from './connection';
import { CERTIFICATE_COLUMNS, TOKEN_COLUMNS, USER_COLUMNS, certificateFromRow, tokenFromRow, userFromRow, type CertificateRow, type TokenRow, type UserRow } from './rows';

/**
 * The username, the token id and a certificate's (match, value) are the primary keys, so a taken one fails with exactly this code.
 * Recognised by name, not `instanceof Database.SqliteError`: the native addon keeps the SqliteError
 * class of the first module instance that loaded it, so under a second module registry or realm
 * (jest runs each test file in its own) its errors belong to another class, and another Error.
 */
function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export class SqliteCredentialRepository implements CredentialRepository {
  private readonly insertUser: Statement<[string, string, string, string, number, number]>;
  private readonly userByName: Statement<[string], UserRow>;
  private readonly allUsers: Statement<[], UserRow>;
  private readonly usersOf: Statement<[string], UserRow>;
  private readonly updateDisabled: Statement<[number, string]>;
  private readonly updatePassword: Statement<[string, string]>;
  private readonly replacePasswordHash: Statement<[string, string, string]>;
  private readonly insertToken: Statement<[string, string, string, number, number | null, number | null, string | null]>;
  private readonly tokenById: Statement<[string], TokenRow>;
  private readonly allTokens: Statement<[], TokenRow>;
  private readonly tokensOf: Statement<[string], TokenRow>;
  private readonly revokeOnce: Statement<[number, string]>;
  private readonly tokenExists: Statement<[string], { found: number }>;
  private readonly insertCertificate: Statement<[string, string, string, number]>;
  private readonly certificateByValue: Statement<[string, string], CertificateRow>;
  private readonly allCertificates: Statement<[], CertificateRow>;
  private readonly certificatesOf: Statement<[string], CertificateRow>;
  private readonly deleteCertificate: Statement<[string, string]>;

  constructor(private readonly db: SqliteDatabase) {
    this.insertUser = db.prepare(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.userByName = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`);
    this.allUsers = db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`);
    this.usersOf = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE organisation = ? ORDER BY username`);
    this.updateDisabled = db.prepare('UPDATE users SET disabled = ? WHERE username = ?');
    this.updatePassword = db.prepare('UPDATE users SET password_hash = ? WHERE username = ?');
    this.replacePasswordHash = db.prepare('UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?');
    this.insertToken = db.prepare(`INSERT INTO api_tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.tokenById = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE token_id = ?`);
    // token_id breaks ties between tokens created in the same millisecond, as in the Mongo sort.
    this.allTokens = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at_ms, token_id`);
    this.tokensOf = db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE username = ? ORDER BY created_at_ms, token_id`);
    // Only the first revocation counts: the audit trail should keep when the token stopped working.
    this.revokeOnce = db.prepare('UPDATE api_tokens SET revoked_at_ms = ? WHERE token_id = ? AND revoked_at_ms IS NULL');
    this.tokenExists = db.prepare('SELECT 1 AS found FROM api_tokens WHERE token_id = ?');
    this.insertCertificate = db.prepare(`INSERT INTO client_certificates (${CERTIFICATE_COLUMNS}) VALUES (?, ?, ?, ?)`);
    this.certificateByValue = db.prepare(`SELECT ${CERTIFICATE_COLUMNS} FROM client_certificates WHERE match = ? AND value = ?`);
    this.allCertificates = db.prepare(`SELECT ${CERTIFICATE_COLUMNS} FROM client_certificates ORDER BY username, match, value`);
    this.certificatesOf = db.prepare(`SELECT ${CERTIFICATE_COLUMNS} FROM client_certificates WHERE username = ? ORDER BY match, value`);
    this.deleteCertificate = db.prepare('DELETE FROM client_certificates WHERE match = ? AND value = ?');
  }

  async addUser(user: UserRecord): Promise<void> {
    try {
      this.insertUser.run(user.username, user.organisation, user.role, user.passwordHash, user.disabled ? 1 : 0, user.createdAt.getTime());
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateUser(user.username);
      throw error;
    }
  }

  async findUser(username: string): Promise<UserRecord | undefined> {
    const row = this.userByName.get(username);
    return row && userFromRow(row);
  }

  async listUsers(organisation?: string): Promise<UserRecord[]> {
    const rows = organisation === undefined ? this.allUsers.all() : this.usersOf.all(organisation);
    return rows.map(userFromRow);
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    return this.updateDisabled.run(disabled ? 1 : 0, username).changes === 1;
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    return this.updatePassword.run(passwordHash, username).changes === 1;
  }

  async updatePasswordHash(username: string, currentHash: string, newHash: string): Promise<boolean> {
    return this.replacePasswordHash.run(newHash, username, currentHash).changes === 1;
  }

  async addToken(token: TokenRecord): Promise<void> {
    try {
      this.insertToken.run(
        token.tokenId, token.username, token.secretHash, token.createdAt.getTime(),
        token.expiresAt?.getTime() ?? null, token.revokedAt?.getTime() ?? null, token.label ?? null,
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateToken(token.tokenId);
      throw error;
    }
  }

  async findToken(tokenId: string): Promise<TokenRecord | undefined> {
    const row = this.tokenById.get(tokenId);
    return row && tokenFromRow(row);
  }

  async listTokens(username?: string): Promise<TokenRecord[]> {
    const rows = username === undefined ? this.allTokens.all() : this.tokensOf.all(username);
    return rows.map(tokenFromRow);
  }

  async revokeToken(tokenId: string, at: Date): Promise<boolean> {
    if (this.revokeOnce.run(at.getTime(), tokenId).changes === 1) return true;
    // Already revoked (true, first time kept) or unknown (false); tokens are never deleted, so no race.
    return this.tokenExists.get(tokenId) !== undefined;
  }

  async addClientCertificate(certificate: ClientCertificateRecord): Promise<void> {
    try {
      this.insertCertificate.run(certificate.match, certificate.value, certificate.username, certificate.createdAt.getTime());
    } catch (error) {
      if (isDuplicateKey(error)) throw new DuplicateClientCertificate(certificate.match, certificate.value);
      throw error;
    }
  }

  async findClientCertificate(match: CertificateMatch, value: string): Promise<ClientCertificateRecord | undefined> {
    const row = this.certificateByValue.get(match, value);
    return row && certificateFromRow(row);
  }

  async listClientCertificates(username?: string): Promise<ClientCertificateRecord[]> {
    const rows = username === undefined ? this.allCertificates.all() : this.certificatesOf.all(username);
    return rows.map(certificateFromRow);
  }

  async removeClientCertificate(match: CertificateMatch, value: string): Promise<boolean> {
    return this.deleteCertificate.run(match, value).changes === 1;
  }
}
