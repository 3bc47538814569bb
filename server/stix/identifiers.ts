// STIX 2.1 "identifier" (Part 2.9): <object-type>--<RFC 4122 UUID>. Variant bits 10xx, versions 1 to 5.
// Hex digits in either case: RFC 4122 §3 has UUIDs "case insensitive on input", and the OASIS
// schemas and stix2-validator accept upper case (one OASIS example and one of our fixtures use it).
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-([1-5])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Type names (Part 3.1 and 11): a-z, 0-9 and hyphen, 3 to 250 characters, no double hyphen
 * (so that "--" in an identifier always separates the type from the UUID).
 */
const TYPE_NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface ParsedIdentifier {
  readonly type: string;
  readonly uuid: string;
  readonly uuidVersion: number;
}

export function isValidTypeName(type: string): boolean {
  return type.length >= 3 && type.length <= 250 && TYPE_NAME_RE.test(type);
}

export function parseIdentifier(value: string): ParsedIdentifier | undefined {
  const at = value.lastIndexOf('--');
  if (at < 0) return undefined;
  const type = value.slice(0, at);
  const uuid = value.slice(at + 2);
  const m = UUID_RE.exec(uuid);
  if (!m || !isValidTypeName(type)) return undefined;
  return { type, uuid, uuidVersion: Number(m[1]) };
}

export function isStixIdentifier(value: string): boolean {
  return parseIdentifier(value) !== undefined;
}

const UUID_SHAPE_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What exactly is wrong with an identifier that parseIdentifier refuses, in words a producer can
 * act on: a UUID that looks right but carries another variant or version is the usual fault of
 * a hand-made or truncated-and-padded id, and "must be an identifier" alone does not show it.
 * RFC 4122 §4.1.1: the variant is the first hex digit of the fourth group, 8 to b for RFC 4122
 * UUIDs; §4.1.3: the version is the first hex digit of the third group, 1 to 5.
 */
export function identifierFault(value: string): string | undefined {
  const at = value.lastIndexOf('--');
  if (at < 0) return 'there is no "--" between the object type and the UUID';
  const type = value.slice(0, at);
  const uuid = value.slice(at + 2);
  const faults: string[] = [];
  if (!isValidTypeName(type)) faults.push(`the type ${JSON.stringify(type)} must be 3 to 250 characters of a-z, 0-9 and single hyphens`);
  if (!UUID_SHAPE_RE.test(uuid)) {
    faults.push(`the UUID ${JSON.stringify(uuid)} must be 32 hexadecimal digits grouped 8-4-4-4-12`);
  } else {
    const version = uuid.charAt(14);
    const variant = uuid.charAt(19);
    if (!/[1-5]/.test(version)) faults.push(`the UUID's version digit (first of its third group) is ${version}, where RFC 4122 has 1 to 5`);
    if (!/[89ab]/i.test(variant)) faults.push(`the UUID's variant digit (first of its fourth group) is ${variant}, where RFC 4122 has 8, 9, a or b`);
  }
  return faults.length > 0 ? faults.join('; ') : undefined;
}

/**
 * The one form in which identifiers are compared (docs/security.md §2). RFC 4122 §3 makes a UUID's hex digits
 * case-insensitive on input and lower case on output, and STIX type names are lower case by
 * definition (Part 2.9), so `indicator--ABC...` and `indicator--abc...` name the same object.
 * Every decision that depends on an identifier (TLP markings, duplicates, lookups, refs) goes
 * through this; the stored JSON keeps the publisher's spelling.
 */
export function canonicalId(value: string): string {
  return value.toLowerCase();
}
