import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalFingerprint, canonicalSubject, canonicalSubjectOf, identityOfPem } from '../../server/auth/certificate-identity';

const FINGERPRINT = '20:D7:F6:25:02:8B:87:90:A5:D0:02:DA:58:41:BB:9E:F7:D9:8C:9A:8C:03:C8:2F:F1:B2:A8:85:04:55:38:3D';

describe('canonicalFingerprint', () => {
  it.each([
    FINGERPRINT,
    FINGERPRINT.toLowerCase(),
    FINGERPRINT.replace(/:/g, ''),
    `sha256 Fingerprint=${FINGERPRINT}`,
    `SHA256:${FINGERPRINT.replace(/:/g, '').toLowerCase()}`,
  ])('reads %p as the upper-case, colon-separated fingerprint', (input) => {
    expect(canonicalFingerprint(input)).toBe(FINGERPRINT);
  });

  it.each(['', 'AB:CD', `${FINGERPRINT}:00`, FINGERPRINT.replace('20', 'ZZ'), 'sha1 Fingerprint=AB:CD'])('refuses %p', (input) => {
    expect(canonicalFingerprint(input)).toBeUndefined();
  });
});

describe('canonicalSubject', () => {
  const canonical = 'C=DE,CN=misp.bka.de,O=BKA\\, Wiesbaden,OU=a,OU=b';

  it.each([
    ['openssl -subj', '/C=DE/O=BKA, Wiesbaden/OU=a/OU=b/CN=misp.bka.de'],
    ['openssl x509 -subject', 'subject=C = DE, O = "BKA, Wiesbaden", OU = a, OU = b, CN = misp.bka.de'],
    ['RFC 4514', 'CN=misp.bka.de,OU=b,OU=a,O=BKA\\, Wiesbaden,C=DE'],
    ['lower-case types', 'cn=misp.bka.de, ou=b, ou=a, o=BKA\\, Wiesbaden, c=DE'],
  ])('reads the %s form to one canonical text', (_form, input) => {
    expect(canonicalSubject(input)).toBe(canonical);
  });

  it('gives a certificate\'s attributes, repeated ones included, the same canonical text', () => {
    expect(canonicalSubjectOf({ C: 'DE', O: 'BKA, Wiesbaden', OU: ['a', 'b'], CN: 'misp.bka.de' })).toBe(canonical);
    expect(canonicalSubjectOf({})).toBeUndefined();
  });

  it.each(['', 'misp.bka.de', 'CN=', 'CN="unterminated', '/CN=a/O', 'C N=x'])('refuses %p', (input) => {
    expect(canonicalSubject(input)).toBeUndefined();
  });

  it('keeps values apart from separators: a comma inside a value is not a new attribute', () => {
    expect(canonicalSubject('O=A\\,CN=B')).not.toBe(canonicalSubject('O=A,CN=B'));
  });
});

describe('identityOfPem', () => {
  it('reads the fingerprint and subject openssl reports for a generated certificate', () => {
    const directory = mkdtempSync(join(tmpdir(), 'taxii-identity-'));
    try {
      const cert = join(directory, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(directory, 'key.pem'), '-out', cert,
        '-days', '1', '-subj', '/C=NL/O=Politie/CN=opencti.politie.nl'], { stdio: 'ignore' });
      const printed = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
      expect(identityOfPem(readFileSync(cert, 'utf8'))).toEqual({ fingerprint: canonicalFingerprint(printed), subject: 'C=NL,CN=opencti.politie.nl,O=Politie' });
      expect(() => identityOfPem('not a certificate')).toThrow();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
