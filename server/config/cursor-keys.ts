import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { CURSOR_KEY_ID_RE, CURSOR_SECRET_MIN_BYTES, type CursorKey, type CursorKeys } from '../taxii/cursor-seal';

/** Where the server keeps its own cursor key when CURSOR_KEYS is not set. */
export const CURSOR_KEY_FILE = 'cursor-key';

/**
 * `keyid:secret[,keyid:secret...]`, the form of CURSOR_KEYS and of the key file: the first key seals
 * new cursors and every key opens them, so a new key goes in front and the old one stays behind it
 * for as long as clients may hold cursors it sealed. `origin` names the source in error messages.
 */
export function parseCursorKeys(text: string, origin: string): CursorKeys {
  const keys: CursorKey[] = [];
  for (const entry of text.split(',').map((item) => item.trim())) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? entry : entry.slice(0, colon);
    const secret = colon < 0 ? '' : entry.slice(colon + 1);
    if (!CURSOR_KEY_ID_RE.test(id)) {
      throw new ConfigError(`${origin}: each key must be keyid:secret with a key id of 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' and '-'`);
    }
    if (Buffer.byteLength(secret) < CURSOR_SECRET_MIN_BYTES) {
      throw new ConfigError(`${origin}: the secret of key '${id}' must be at least ${CURSOR_SECRET_MIN_BYTES} bytes (for example 32 random bytes in base64url)`);
    }
    if (keys.some((key) => key.id === id)) throw new ConfigError(`${origin}: key id '${id}' appears twice`);
    keys.push({ id, secret: Buffer.from(secret) });
  }
  const [signing] = keys;
  if (!signing) throw new ConfigError(`${origin}: no key`);
  return { signing, verifying: keys };
}

/** A fresh random key in the keyid:secret form: for the key file, and for processes whose cursors need not outlive them. */
export function newCursorKeyLine(): string {
  return `k${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64url')}`;
}

export function ephemeralCursorKeys(): CursorKeys {
  return parseCursorKeys(newCursorKeyLine(), 'generated key');
}

/**
 * The keys the server seals cursors with: CURSOR_KEYS when set (what several processes sharing a
 * database must do), else the key in `<dataDir>/cursor-key`, created on first start with mode 0600.
 * Keeping it on disk is what lets a `next` issued before a restart work after it.
 */
export function loadCursorKeys(settings: { cursorKeys?: CursorKeys; dataDir: string }): CursorKeys {
  if (settings.cursorKeys) return settings.cursorKeys;
  const file = join(settings.dataDir, CURSOR_KEY_FILE);
  if (!existsSync(file)) createKeyFile(settings.dataDir, file);
  return parseCursorKeys(readFileSync(file, 'utf8').trim(), file);
}

/**
 * Written whole under a temporary name, then linked in place only if still absent: two processes
 * starting at once agree on one key, and neither can read a half-written file.
 */
function createKeyFile(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true });
  const draft = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(draft, `${newCursorKeyLine()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
}
