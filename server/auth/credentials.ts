import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { UserRecord } from '../storage/credential-repository';
import type { Role } from './principal';

/**
 * scrypt cost parameters. N = 2^15, r = 8 costs 32 MiB and tens of milliseconds per check. TAXII
 * clients using Basic send the password on every request, so this is a deliberate middle ground
 * between OWASP's 2^17 and what a busy poller costs; partners' machines should use API tokens.
 * The parameters are stored in every hash, so raising them later only affects new hashes, and
 * `passwordHashNeedsUpgrade` tells which stored hashes are below the current cost.
 */
export interface ScryptParameters {
  cost: number;
  blockSize: number;
  parallelization: number;
}

export const PASSWORD_HASH_PARAMETERS: ScryptParameters = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SCHEME = 'scrypt';

function deriveKey(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    // Node refuses scrypt above 32 MiB unless told; 128 * N * r is what scrypt needs, doubled for headroom.
    maxmem: 256 * parameters.cost * parameters.blockSize,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$<N>$<r>$<p>$<salt base64url>$<key base64url>` */
export async function hashPassword(password: string, parameters: ScryptParameters = PASSWORD_HASH_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, parameters);
  const { cost, blockSize, parallelization } = parameters;
  return [SCHEME, cost, blockSize, parallelization, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

function parsePasswordHash(stored: string): ParsedHash | undefined {
  const [scheme, cost, blockSize, parallelization, salt, key, ...rest] = stored.split('$');
  if (scheme !== SCHEME || rest.length > 0 || salt === undefined || key === undefined) return undefined;
  const parameters = { cost: Number(cost), blockSize: Number(blockSize), parallelization: Number(parallelization) };
  if (!Object.values(parameters).every((value) => Number.isSafeInteger(value) && value > 0)) return undefined;
  return { parameters, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** False for a wrong password and for a stored value that is not one of our hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed || parsed.key.length !== KEY_BYTES) return false;
  const key = await deriveKey(password, parsed.salt, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
}

export function passwordHashNeedsUpgrade(stored: string, current: ScryptParameters = PASSWORD_HASH_PARAMETERS): boolean {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return true;
  const { cost, blockSize, parallelization } = parsed.parameters;
  return cost < current.cost || blockSize < current.blockSize || parallelization < current.parallelization;
}

/**
 * A real hash of a password nobody knows, so that a login for an unknown user spends the same
 * scrypt time as one for a known user and response times do not reveal which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}

export const TOKEN_PREFIX = 'tas_';
const TOKEN_ID_BYTES = 8;
const TOKEN_SECRET_BYTES = 32;
const TOKEN_ID = /^[0-9a-f]{16}$/;
const TOKEN_SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  /** Shown to the user once: `tas_<tokenId>_<secret>`. */
  token: string;
  /** Public handle used for lookup, listing and revocation. */
  tokenId: string;
  /** The only thing stored about the secret. */
  secretHash: string;
}

/**
 * A token secret is 256 random bits, so unlike a password it cannot be guessed or brute-forced
 * offline; a single fast SHA-256 is enough to make a stolen database useless for authentication,
 * and it keeps token checks cheap for clients that poll often.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function issueToken(): IssuedToken {
  // Hex for the id: the token's separator `_` can then never appear inside it.
  const tokenId = randomBytes(TOKEN_ID_BYTES).toString('hex');
  const secret = randomBytes(TOKEN_SECRET_BYTES).toString('base64url');
  return { token: `${TOKEN_PREFIX}${tokenId}_${secret}`, tokenId, secretHash: hashTokenSecret(secret) };
}

/** Splits a presented token into its id and secret; undefined when it is not shaped like ours. */
export function parseToken(token: string): { tokenId: string; secret: string } | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const body = token.slice(TOKEN_PREFIX.length);
  const separator = body.indexOf('_');
  if (separator < 0) return undefined;
  const tokenId = body.slice(0, separator);
  const secret = body.slice(separator + 1);
  return TOKEN_ID.test(tokenId) && TOKEN_SECRET.test(secret) ? { tokenId, secret } : undefined;
}

export function verifyTokenSecret(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashTokenSecret(secret), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** A new, enabled user record with its password hashed: the one way accounts are made. */
export async function newUserRecord(user: { username: string; organisation: string; role: Role; password: string }): Promise<UserRecord> {
  return {
    username: user.username,
    organisation: user.organisation,
    role: user.role,
    passwordHash: await hashPassword(user.password),
    disabled: false,
    createdAt: new Date(),
  };
}
