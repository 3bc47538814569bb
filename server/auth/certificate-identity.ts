import { X509Certificate } from 'node:crypto';

/**
 * The two ways a client certificate is named in a mapping (docs/security.md, Client certificates):
 * its SHA-256 fingerprint, which names one certificate exactly, and its subject distinguished name,
 * which survives a renewal by the same CA. Both are reduced to one canonical text here, so what an
 * operator types, what a PEM file holds and what a TLS peer presents compare as plain strings.
 */

/** The attributes of a subject as Node gives them (`getPeerCertificate().subject`): a repeated one is a list. */
export type SubjectAttributes = Readonly<Record<string, string | readonly string[] | undefined>>;

const FINGERPRINT_BYTES = 32;

/**
 * `AB:CD:…` in upper case, the form of Node's `fingerprint256` and of `openssl x509 -fingerprint
 * -sha256`. Accepts that output whole (`sha256 Fingerprint=…`), a `sha256:` prefix, and hex with or
 * without colons in either case; undefined for anything that is not 32 bytes of hex.
 */
export function canonicalFingerprint(input: string): string | undefined {
  const hex = input.trim().replace(/^sha-?256( fingerprint)?\s*[:=]\s*/i, '').replace(/:/g, '');
  if (!new RegExp(`^[0-9a-fA-F]{${FINGERPRINT_BYTES * 2}}$`).test(hex)) return undefined;
  return hex.toUpperCase().match(/../g)?.join(':');
}

// Attribute types in the case X.509 tools print them, so `cn=x` and `CN=x` name the same subject.
const ATTRIBUTE_TYPES = ['C', 'CN', 'DC', 'L', 'O', 'OU', 'ST', 'STREET', 'UID', 'emailAddress', 'serialNumber', 'title', 'GN', 'SN'];
const CANONICAL_TYPE = new Map(ATTRIBUTE_TYPES.map((type) => [type.toLowerCase(), type]));

function canonicalType(type: string): string {
  return CANONICAL_TYPE.get(type.toLowerCase()) ?? type;
}

/** RFC 4514 §2.4 escaping, so a value holding ',' or '=' cannot be read as two attributes. */
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (character) => `\\${character}`)
    .replace(/^[ #]/, (character) => `\\${character}`)
    .replace(/ $/, '\\ ');
}

/**
 * Attributes sorted by type, then value, as `TYPE=value` joined by ','. Sorted, because tools print
 * a DN in opposite orders (openssl's default most significant first, RFC 4514 least significant
 * first) and an operator should not have to know which one a mapping wants.
 */
function canonicalOf(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .map(([type, value]) => `${canonicalType(type)}=${escapeValue(value)}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join(',');
}

/** The canonical subject of a certificate from its attributes; undefined when it has none. */
export function canonicalSubjectOf(attributes: SubjectAttributes | undefined): string | undefined {
  if (!attributes) return undefined;
  const pairs = Object.entries(attributes).flatMap(([type, value]): (readonly [string, string])[] =>
    value === undefined ? [] : (typeof value === 'string' ? [value] : value).map((one) => [type, one] as const));
  return pairs.length === 0 ? undefined : canonicalOf(pairs);
}

/**
 * Splits `text` at each unquoted, unescaped separator, keeping escapes for `unescape`. Quotes are
 * what openssl's default output puts around a value holding a comma.
 */
function splitUnescaped(text: string, separators: string): string[] | undefined {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charAt(index);
    if (character === '\\') {
      if (index + 1 >= text.length) return undefined;
      current += character + text.charAt(index + 1);
      index += 1;
    } else if (character === '"') {
      quoted = !quoted;
      current += character;
    } else if (!quoted && separators.includes(character)) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  if (quoted) return undefined;
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  const trimmed = value.trim();
  const unquoted = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  return unquoted.replace(/\\(.)/g, '$1');
}

/**
 * The canonical subject of a DN as an operator writes it: `/C=DE/O=BKA/CN=misp` (openssl's `-subj`),
 * `C = DE, O = BKA, CN = misp` (what `openssl x509 -noout -subject` prints, `subject=` included) or
 * `CN=misp,O=BKA,C=DE` (RFC 4514). Undefined when it is none of these.
 */
export function canonicalSubject(input: string): string | undefined {
  const text = input.trim().replace(/^subject\s*=\s*/i, '');
  const parts = text.startsWith('/') ? splitUnescaped(text.slice(1), '/') : splitUnescaped(text, ',;+');
  if (!parts || parts.length === 0) return undefined;
  const pairs: (readonly [string, string])[] = [];
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals < 0) return undefined;
    const type = part.slice(0, equals).trim();
    const value = unescape(part.slice(equals + 1));
    if (!/^[A-Za-z][A-Za-z0-9-]*$|^\d+(\.\d+)+$/.test(type) || value === '') return undefined;
    pairs.push([type, value]);
  }
  return canonicalOf(pairs);
}

/** Node's subject objects are typed without an index; this checks the shape they have at run time. */
export function asSubjectAttributes(value: unknown): SubjectAttributes | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  const valid = entries.every(([, one]) => one === undefined || typeof one === 'string' || (Array.isArray(one) && one.every((item) => typeof item === 'string')));
  return valid ? (value as SubjectAttributes) : undefined;
}

export interface CertificateIdentity {
  fingerprint: string;
  subject?: string;
}

/** The fingerprint and subject of the first certificate in a PEM text; throws when it holds none. */
export function identityOfPem(pem: string): CertificateIdentity {
  const certificate = new X509Certificate(pem);
  const fingerprint = canonicalFingerprint(certificate.fingerprint256);
  if (!fingerprint) throw new Error('the certificate has no SHA-256 fingerprint');
  const subject = canonicalSubjectOf(asSubjectAttributes(certificate.toLegacyObject().subject));
  return { fingerprint, ...(subject !== undefined && { subject }) };
}
