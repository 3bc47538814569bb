import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** One secret the server seals cursors with; `id` is written in each cursor so the right key opens it. */
export interface CursorKey {
  readonly id: string;
  readonly secret: Buffer;
}

/**
 * The keys of the `next` cursor: the first seals, every one opens. Rotation is adding a new key in
 * front and dropping the old one once no client can still hold a cursor it sealed.
 */
export interface CursorKeys {
  readonly signing: CursorKey;
  readonly verifying: readonly CursorKey[];
}

export const CURSOR_KEY_ID_RE = /^[A-Za-z0-9._-]{1,32}$/;
/** Secrets shorter than this are refused: HMAC-SHA256 wants at least its output size (RFC 2104 §3). */
export const CURSOR_SECRET_MIN_BYTES = 32;

// Layout: version (1) | key id length (1) | key id | iv (16) | AES-256-CTR ciphertext | HMAC-SHA256 tag (32).
const FORMAT = 1;
const IV_BYTES = 16;
const TAG_BYTES = 32;
const TOKEN_RE = /^[A-Za-z0-9_-]+$/;

interface DerivedKeys {
  encryption: Buffer;
  iv: Buffer;
  mac: Buffer;
}

// One secret, three independent subkeys (RFC 5869 HKDF), so no key serves two primitives.
function derive(secret: Buffer): DerivedKeys {
  const part = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `taxii-cursor ${info}`, 32));
  return { encryption: part('encryption'), iv: part('iv'), mac: part('mac') };
}

const derived = new WeakMap<CursorKey, DerivedKeys>();
function keysOf(key: CursorKey): DerivedKeys {
  let keys = derived.get(key);
  if (!keys) {
    keys = derive(key.secret);
    derived.set(key, keys);
  }
  return keys;
}

function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Encrypts, then signs: TAXII 2.1 §3.5 leaves `next` opaque, and a client must neither read what it
 * holds nor hand back a position or filter of its own making. The IV is an HMAC of the plaintext
 * (a synthetic IV), so sealing is a pure function of its inputs; it only reveals that two cursors
 * are equal, which their holders could see anyway.
 */
export function sealCursor(plaintext: Buffer, keys: CursorKeys): string {
  const { id } = keys.signing;
  if (!CURSOR_KEY_ID_RE.test(id)) throw new Error(`cursor key id ${JSON.stringify(id)} must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' and '-'`);
  const { encryption, iv: ivKey, mac } = keysOf(keys.signing);
  const iv = hmac(ivKey, plaintext).subarray(0, IV_BYTES);
  const cipher = createCipheriv('aes-256-ctr', encryption, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const header = Buffer.concat([Buffer.from([FORMAT, id.length]), Buffer.from(id, 'ascii')]);
  const tag = hmac(mac, header, iv, ciphertext);
  return Buffer.concat([header, iv, ciphertext, tag]).toString('base64url');
}

/** The plaintext of a cursor one of `keys` sealed, or undefined for anything else: forged, cut, altered, unknown key. */
export function openCursor(token: string, keys: CursorKeys): Buffer | undefined {
  if (!TOKEN_RE.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) return undefined;
  if (bytes.length < 2 || bytes[0] !== FORMAT) return undefined;
  const idLength = bytes[1] ?? 0;
  const bodyStart = 2 + idLength;
  if (bytes.length < bodyStart + IV_BYTES + TAG_BYTES) return undefined;
  const id = bytes.subarray(2, bodyStart).toString('ascii');
  const key = keys.verifying.find((candidate) => candidate.id === id);
  if (!key) return undefined;
  const { encryption, mac } = keysOf(key);
  const signed = bytes.subarray(0, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  if (!timingSafeEqual(hmac(mac, signed), tag)) return undefined;
  const iv = bytes.subarray(bodyStart, bodyStart + IV_BYTES);
  const decipher = createDecipheriv('aes-256-ctr', encryption, iv);
  return Buffer.concat([decipher.update(bytes.subarray(bodyStart + IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}
