import type { Role } from '../auth/principal';

export interface UserRecord {
  /** Unique across the alliance; the HTTP Basic user-id, so it never contains ':'. */
  username: string;
  organisation: string;
  role: Role;
  /** `scrypt$...` from auth/credentials.ts; never the password. */
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
}

export interface TokenRecord {
  tokenId: string;
  username: string;
  /** SHA-256 of the token's secret part; the secret itself is shown once and never stored. */
  secretHash: string;
  createdAt: Date;
  expiresAt?: Date;
  revokedAt?: Date;
  label?: string;
}

export class DuplicateUser extends Error {
  constructor(readonly username: string) {
    super(`user '${username}' already exists`);
    this.name = 'DuplicateUser';
  }
}

export class DuplicateToken extends Error {
  constructor(readonly tokenId: string) {
    super(`token '${tokenId}' already exists`);
    this.name = 'DuplicateToken';
  }
}

/** Users and API tokens. Methods that change one record return false when it does not exist. */
export interface CredentialRepository {
  /** Throws DuplicateUser when the username is taken. */
  addUser(user: UserRecord): Promise<void>;
  findUser(username: string): Promise<UserRecord | undefined>;
  /** Sorted by username. Users number in the hundreds at most, so this returns a list, not a cursor. */
  listUsers(organisation?: string): Promise<UserRecord[]>;
  setDisabled(username: string, disabled: boolean): Promise<boolean>;
  setPassword(username: string, passwordHash: string): Promise<boolean>;
  /**
   * Replaces the hash only while the stored one is still `currentHash`: a login that re-hashes a
   * password at stronger parameters must not undo a password change made in the meantime. False
   * when the user is gone or the hash changed.
   */
  updatePasswordHash(username: string, currentHash: string, newHash: string): Promise<boolean>;
  /** Throws DuplicateToken when the id is taken. */
  addToken(token: TokenRecord): Promise<void>;
  findToken(tokenId: string): Promise<TokenRecord | undefined>;
  /** Sorted by creation time. */
  listTokens(username?: string): Promise<TokenRecord[]>;
  /** Sets revokedAt unless already revoked; false when no such token exists. */
  revokeToken(tokenId: string, at: Date): Promise<boolean>;
}
