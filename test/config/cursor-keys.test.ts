import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CURSOR_KEY_FILE, loadCursorKeys, parseCursorKeys } from '../../server/config/cursor-keys';
import { readSettings } from '../../server/config/settings';
import { ConfigError } from '../../server/errors';

const SECRET_A = 'a'.repeat(32);
const SECRET_B = 'b'.repeat(40);

describe('parseCursorKeys', () => {
  it('makes the first key the signing key and every key a verifying key', () => {
    const keys = parseCursorKeys(`k2025:${SECRET_B}, k2024:${SECRET_A}`, 'CURSOR_KEYS');
    expect(keys.signing).toEqual({ id: 'k2025', secret: Buffer.from(SECRET_B) });
    expect(keys.verifying.map((key) => key.id)).toEqual(['k2025', 'k2024']);
  });

  it('keeps colons inside the secret', () => {
    expect(parseCursorKeys(`k1:${SECRET_A}:x`, 'CURSOR_KEYS').signing.secret.toString()).toBe(`${SECRET_A}:x`);
  });

  it.each([
    ['a key without a secret', 'k1', /key id of 1 to 32|at least 32 bytes/],
    ['a short secret', 'k1:short', /secret of key 'k1' must be at least 32 bytes/],
    ['a key id with a space', `my key:${SECRET_A}`, /key id of 1 to 32 characters/],
    ['an empty key id', `:${SECRET_A}`, /key id of 1 to 32 characters/],
    ['a repeated key id', `k1:${SECRET_A},k1:${SECRET_B}`, /key id 'k1' appears twice/],
    ['an empty entry', `k1:${SECRET_A},`, /key id of 1 to 32 characters/],
  ])('refuses %s, naming the source', (_label, text, message) => {
    expect(() => parseCursorKeys(text, 'CURSOR_KEYS')).toThrow(ConfigError);
    expect(() => parseCursorKeys(text, 'CURSOR_KEYS')).toThrow(/^CURSOR_KEYS: /);
    expect(() => parseCursorKeys(text, 'CURSOR_KEYS')).toThrow(message);
  });

  it('is what readSettings reads from CURSOR_KEYS, and unset leaves it to the key file', () => {
    expect(readSettings({ CURSOR_KEYS: `k1:${SECRET_A}` }).cursorKeys?.signing.id).toBe('k1');
    expect(readSettings({}).cursorKeys).toBeUndefined();
    expect(() => readSettings({ CURSOR_KEYS: 'k1:short' })).toThrow(/CURSOR_KEYS/);
  });
});

describe('loadCursorKeys', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'cursor-keys-')), 'data');
  });
  afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('creates <dataDir>/cursor-key with mode 0600 on first start, and reads the same key after a restart', () => {
    const first = loadCursorKeys({ dataDir });
    const file = join(dataDir, CURSOR_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^k[0-9a-f]{8}:[A-Za-z0-9_-]{43}\n$/);
    const second = loadCursorKeys({ dataDir });
    expect(second.signing.id).toBe(first.signing.id);
    expect(second.signing.secret.equals(first.signing.secret)).toBe(true);
  });

  it('draws a different key for another data directory', () => {
    const other = join(dataDir, '..', 'other');
    expect(loadCursorKeys({ dataDir }).signing.secret.equals(loadCursorKeys({ dataDir: other }).signing.secret)).toBe(false);
  });

  it('reads a rotated list an operator wrote into the file', () => {
    loadCursorKeys({ dataDir });
    writeFileSync(join(dataDir, CURSOR_KEY_FILE), `new:${SECRET_B},old:${SECRET_A}\n`);
    expect(loadCursorKeys({ dataDir }).verifying.map((key) => key.id)).toEqual(['new', 'old']);
  });

  it('uses CURSOR_KEYS when set and writes no file', () => {
    const configured = parseCursorKeys(`k1:${SECRET_A}`, 'CURSOR_KEYS');
    expect(loadCursorKeys({ dataDir, cursorKeys: configured })).toBe(configured);
    expect(() => statSync(join(dataDir, CURSOR_KEY_FILE))).toThrow();
  });

  it('refuses a damaged key file with a message naming it', () => {
    loadCursorKeys({ dataDir });
    writeFileSync(join(dataDir, CURSOR_KEY_FILE), 'garbage');
    expect(() => loadCursorKeys({ dataDir })).toThrow(new RegExp(`${CURSOR_KEY_FILE}: `));
  });
});
