import { InvalidParameter } from '../../server/errors';
import { sealCursor, type CursorKey, type CursorKeys } from '../../server/taxii/cursor-seal';
import { decodeCursor, encodeCursor, type PageCursor } from '../../server/taxii/pagination';
import { LATEST_ONLY } from '../../server/taxii/versions';

const key = (id: string, fill: string): CursorKey => ({ id, secret: Buffer.from(fill.repeat(32)) });
const OLD = key('old', 'o');
const NEW = key('new', 'n');
const only = (k: CursorKey): CursorKeys => ({ signing: k, verifying: [k] });

const SCOPE = '2e1d4d5f-3b8c-4e6a-8b4f-6c8a1d3e2b02/objects/';
const CURSOR: PageCursor = {
  scope: SCOPE,
  after: { dateAdded: 1_700_000_000_123_456, id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', versionKey: '2016-04-06T20:03:48.000Z' },
  filter: { versions: LATEST_ONLY, types: ['indicator', 'malware'], addedAfter: 1_600_000_000_000_000 },
};

function refusal(run: () => unknown): InvalidParameter | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidParameter) return error;
    throw error;
  }
  return undefined;
}

/** Flips one bit of the decoded token at `index` (negative: from the end). */
function flip(token: string, index: number): string {
  const bytes = Buffer.from(token, 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

describe('the next cursor (TAXII 2.1 §3.5) is sealed', () => {
  it('decodes what it encodes', () => {
    const token = encodeCursor(CURSOR, only(NEW));
    expect(decodeCursor(token, SCOPE, only(NEW))).toEqual(CURSOR);
  });

  it('is opaque: neither the collection, the position nor the filter can be read from it', () => {
    const token = encodeCursor(CURSOR, only(NEW));
    const bytes = Buffer.from(token, 'base64url').toString('latin1');
    for (const visible of ['2e1d4d5f', 'indicator', 'malware', '1700000000123456', '"s":', '"versions"']) expect(bytes).not.toContain(visible);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('is the same for the same page and keys, so a client can compare cursors', () => {
    expect(encodeCursor(CURSOR, only(NEW))).toBe(encodeCursor(CURSOR, only(NEW)));
    expect(encodeCursor(CURSOR, only(NEW))).not.toBe(encodeCursor(CURSOR, only(OLD)));
  });

  it('refuses the unsigned base64 JSON cursors of earlier versions', () => {
    const unsigned = Buffer.from(JSON.stringify({ v: 1, s: SCOPE, a: [1, 'x', 'y'], f: { versions: LATEST_ONLY } })).toString('base64url');
    expect(refusal(() => decodeCursor(unsigned, SCOPE, only(NEW)))?.errorCode).toBe('invalid-parameter');
  });

  it.each([
    ['truncated by one character', (token: string) => token.slice(0, -1)],
    ['truncated to half', (token: string) => token.slice(0, token.length / 2)],
    ['with a bit of the key id changed', (token: string) => flip(token, 2)],
    ['with a bit of the ciphertext changed', (token: string) => flip(token, 30)],
    ['with a bit of the signature changed', (token: string) => flip(token, -1)],
    ['with a character outside base64url', (token: string) => `${token.slice(0, -1)}=`],
    ['empty', () => ''],
    ['plain text', () => 'next-page-please'],
  ])('refuses a cursor %s', (_label, change) => {
    const token = change(encodeCursor(CURSOR, only(NEW)));
    expect(refusal(() => decodeCursor(token, SCOPE, only(NEW)))?.errorCode).toBe('invalid-parameter');
  });

  it('refuses a cursor sealed with a key the server does not hold, even under a key id it knows', () => {
    const stranger = key('new', 's');
    expect(refusal(() => decodeCursor(encodeCursor(CURSOR, only(stranger)), SCOPE, only(NEW)))).toBeDefined();
    expect(refusal(() => decodeCursor(encodeCursor(CURSOR, only(key('other', 'n'))), SCOPE, only(NEW)))).toBeDefined();
  });

  it('refuses a well-sealed cursor for another collection or endpoint', () => {
    const token = encodeCursor(CURSOR, only(NEW));
    expect(refusal(() => decodeCursor(token, '2e1d4d5f-3b8c-4e6a-8b4f-6c8a1d3e2b02/manifest/', only(NEW)))).toBeDefined();
  });

  it('still checks the shape of a well-sealed cursor: an operator where a number belongs is refused', () => {
    const sealed = sealCursor(Buffer.from(JSON.stringify({ v: 1, s: SCOPE, a: [{ $gt: 0 }, 'x', 'y'], f: { versions: LATEST_ONLY } })), only(NEW));
    expect(refusal(() => decodeCursor(sealed, SCOPE, only(NEW)))).toBeDefined();
  });
});

describe('cursor keys rotate without breaking cursors in flight', () => {
  const rotated: CursorKeys = { signing: NEW, verifying: [NEW, OLD] };

  it('opens a cursor sealed with the previous key while the new one seals', () => {
    const inFlight = encodeCursor(CURSOR, only(OLD));
    expect(decodeCursor(inFlight, SCOPE, rotated)).toEqual(CURSOR);
    const fresh = encodeCursor(CURSOR, rotated);
    expect(decodeCursor(fresh, SCOPE, only(NEW))).toEqual(CURSOR);
    expect(refusal(() => decodeCursor(fresh, SCOPE, only(OLD)))).toBeDefined();
  });

  it('refuses cursors of a key once it is dropped from the list', () => {
    const inFlight = encodeCursor(CURSOR, only(OLD));
    expect(refusal(() => decodeCursor(inFlight, SCOPE, only(NEW)))).toBeDefined();
  });
});
