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

/** How a client certificate is recognised (docs/security.md, Client certificates). */
export type CertificateMatch = 'fingerprint' | 'subject';

export const CERTIFICATE_MATCHES: readonly CertificateMatch[] = ['fingerprint', 'subject'];

/** One client certificate, or one certificate subject, that logs in as a user. */
export interface ClientCertificateRecord {
  match: CertificateMatch;
  /**
   * For `fingerprint`, the SHA-256 fingerprint as `AB:CD:…` (upper case, as Node's `fingerprint256`
   * and `openssl x509 -fingerprint -sha256` print it); for `subject`, the canonical distinguished
   * name of auth/certificate-identity.ts. Unique per match, so a certificate names one user only.
   */
  value: string;
  username: string;
  createdAt: Date;
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

export class DuplicateClientCertificate extends Error {
  constructor(readonly match: CertificateMatch, readonly value: string) {
    super(`a client certificate with ${match} '${value}' is already mapped`);
    this.name = 'DuplicateClientCertificate';
  }
}

/** Users, API tokens and client certificates. Methods that change one record return false when it does not exist. */
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
  /** Throws DuplicateClientCertificate when the fingerprint or subject is mapped already, to anyone. */
  addClientCertificate(certificate: ClientCertificateRecord): Promise<void>;
  findClientCertificate(match: CertificateMatch, value: string): Promise<ClientCertificateRecord | undefined>;
  /** Sorted by username, then match, then value. */
  listClientCertificates(username?: string): Promise<ClientCertificateRecord[]>;
  /** False when no such mapping exists. */
  removeClientCertificate(match: CertificateMatch, value: string): Promise<boolean>;
}
