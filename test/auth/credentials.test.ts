import {
  dummyPasswordHash,
  hashPassword,
  hashTokenSecret,
  issueToken,
  parseToken,
  passwordHashNeedsUpgrade,
  verifyPassword,
  verifyTokenSecret,
} from '../../server/auth/credentials';

// Cheap parameters keep the suite fast; the format and the checks are the same.
const FAST = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

describe('password hashing', () => {
  it('stores scrypt parameters, salt and key, never the password', async () => {
    const hash = await hashPassword('correct horse battery', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('correct horse battery');
  });

  it('uses the default (memory-hard) parameters when none are given', async () => {
    expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('salts every hash, so equal passwords give different hashes', async () => {
    expect(await hashPassword('same password!', FAST)).not.toBe(await hashPassword('same password!', FAST));
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery', FAST);
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('verifies with the parameters stored in the hash, so they can be raised later', async () => {
    const old = await hashPassword('an older password', FAST);
    await expect(verifyPassword('an older password', old)).resolves.toBe(true);
    expect(passwordHashNeedsUpgrade(old)).toBe(true);
    expect(passwordHashNeedsUpgrade(await hashPassword('a current password'))).toBe(false);
  });

  it('treats unicode passwords in composed and decomposed form alike', async () => {
    const hash = await hashPassword('Kennwort-\u00e4\u00f6\u00fc', FAST);
    await expect(verifyPassword('Kennwort-a\u0308o\u0308u\u0308', hash)).resolves.toBe(true);
  });

  it.each(['', 'plain', 'scrypt$1024$8$1$salt', 'bcrypt$1024$8$1$c2FsdA$a2V5', 'scrypt$x$8$1$c2FsdA$a2V5'])(
    'rejects a stored value that is not one of its hashes: %p',
    async (stored) => {
      await expect(verifyPassword('anything at all', stored)).resolves.toBe(false);
    },
  );

  it('provides a dummy hash that no password matches', async () => {
    const dummy = await dummyPasswordHash();
    expect(dummy).toMatch(/^scrypt\$/);
    expect(await dummyPasswordHash()).toBe(dummy);
    await expect(verifyPassword('', dummy)).resolves.toBe(false);
  });
});

describe('API tokens', () => {
  it('issues tas_<id>_<secret> with a 256-bit secret and stores only its SHA-256', () => {
    const issued = issueToken();
    expect(issued.token).toMatch(/^tas_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseToken(issued.token);
    expect(parsed?.tokenId).toBe(issued.tokenId);
    expect(issued.secretHash).toBe(hashTokenSecret(parsed?.secret ?? ''));
    expect(issued.token).not.toContain(issued.secretHash);
  });

  it('issues a different token every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => issueToken().token));
    expect(tokens.size).toBe(50);
  });

  it('verifies the secret against the stored hash', () => {
    const issued = issueToken();
    const secret = parseToken(issued.token)?.secret ?? '';
    expect(verifyTokenSecret(secret, issued.secretHash)).toBe(true);
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(verifyTokenSecret(tampered, issued.secretHash)).toBe(false);
    expect(verifyTokenSecret(secret, 'short')).toBe(false);
  });

  it('keeps underscores in the secret part (base64url) intact when parsing', () => {
    const secret = `${'a_'.repeat(21)}b`;
    expect(parseToken(`tas_0123456789abcdef_${secret}`)).toEqual({ tokenId: '0123456789abcdef', secret });
  });

  it.each(['', 'tas_', 'abc', 'tas_0123456789abcdef', 'tas_XYZ3456789abcdef_' + 'a'.repeat(43), 'tok_0123456789abcdef_' + 'a'.repeat(43), 'tas_0123456789abcdef_short'])(
    'refuses a malformed token: %p',
    (token) => {
      expect(parseToken(token)).toBeUndefined();
    },
  );
});
