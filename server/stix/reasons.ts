import type { ErrorObject } from 'ajv';
import { identifierFault, parseIdentifier } from './identifiers';
import { quote } from './quote';
import { describeRefTypes } from './refs';
import { timestampFault } from '../taxii/timestamps';

const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  'stix-timestamp': 'must be a timestamp in RFC 3339 UTC form YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date',
  'stix-identifier': 'must be an identifier of the form <object-type>--<RFC 4122 UUID>',
  'stix-base64': 'must be a base64-encoded string (RFC 4648, padded)',
  'stix-hex': 'must be an even number of hexadecimal digits',
  'stix-ipv4': 'must be an IPv4 address, optionally in CIDR notation',
  'stix-ipv6': 'must be an IPv6 address, optionally in CIDR notation',
  uri: 'must be a URI',
};

/** JSON pointer for a reason; the whole object is "/". */
export function pointer(instancePath: string): string {
  return instancePath === '' ? '/' : instancePath;
}

/** Escapes one property name as a JSON pointer segment (RFC 6901). */
export function segment(name: string | number): string {
  return `/${String(name).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The exact fault, for the formats whose check can tell it; the rule alone otherwise. */
function formatFault(format: string, value: string): string | undefined {
  if (format === 'stix-identifier') return identifierFault(value);
  if (format === 'stix-timestamp') return timestampFault(value);
  if (format === 'uri') return whiteSpaceFault(value);
  return undefined;
}

/** RFC 3986 §2 allows no white space or control character anywhere in a URI: a common paste accident. */
function whiteSpaceFault(value: string): string | undefined {
  if (/^\s/.test(value)) return 'it starts with white space';
  if (/\s$/.test(value)) return 'it ends with white space';
  const inner = /[\s\p{Cc}]/u.exec(value);
  if (!inner) return undefined;
  return `it has ${inner[0] === ' ' ? 'a space' : quote(inner[0])} after ${Array.from(value.slice(0, inner.index)).length} characters`;
}

/** A reference that is not an identifier at all says why; one of the wrong type says which type it has. */
function refFault(value: unknown): string {
  if (typeof value !== 'string') return '';
  const parsed = parseIdentifier(value);
  if (!parsed) return `: ${identifierFault(value) ?? 'it is not an identifier'}`;
  return `, not of ${parsed.type}`;
}

function message(error: ErrorObject): string | undefined {
  const { params } = error;
  switch (error.keyword) {
    case 'type':
      return `must be ${params.type === 'integer' || params.type === 'array' || params.type === 'object' ? 'an' : 'a'} ${String(params.type)} (got ${quote(error.data)})`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map(quote).join(', ')} (got ${quote(error.data)})`;
    case 'const':
      return `must be ${quote(params.allowedValue)} (got ${quote(error.data)})`;
    case 'format': {
      const fault = typeof error.data === 'string' ? formatFault(String(params.format), error.data) : undefined;
      const rule = FORMAT_MESSAGES[String(params.format)] ?? `must be a ${String(params.format)}`;
      return `${rule}${fault ? `: ${fault}` : ''} (got ${quote(error.data)})`;
    }
    case 'pattern':
      return `must match ${String(params.pattern)} (got ${quote(error.data)})`;
    case 'minimum':
    case 'maximum':
      return `must be ${String(params.comparison)} ${String(params.limit)} (got ${quote(error.data)})`;
    case 'minItems':
      return params.limit === 1 ? 'must not be an empty list' : `must have at least ${String(params.limit)} items`;
    case 'minProperties':
      return params.limit === 1 ? 'must not be an empty dictionary' : `must have at least ${String(params.limit)} entries`;
    case 'stixRefTypes':
      return `must be an identifier of ${describeRefTypes(error.schema as string[])}${refFault(error.data)} (got ${quote(error.data)})`;
    // if/then, allOf and propertyNames only announce that a nested keyword failed; that one is reported.
    case 'if':
    case 'propertyNames':
      return undefined;
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

/**
 * Turns ajv's errors into sentences that start with the JSON pointer of the offending value; at most
 * `max` of them (docs/security.md §3), the caller saying how many more there were.
 */
export function reasonsFromAjv(errors: readonly ErrorObject[] | null | undefined, max = Number.POSITIVE_INFINITY): string[] {
  const reasons: string[] = [];
  for (const error of errors ?? []) {
    if (reasons.length >= max) break;
    if (error.keyword === 'required') {
      reasons.push(`${error.instancePath}${segment(String(error.params.missingProperty))}: is required`);
      continue;
    }
    if (error.propertyName !== undefined) {
      // propertyNames reports the object; the name itself is what must change.
      reasons.push(`${error.instancePath}${segment(error.propertyName)}: is not an allowed property name here (${message(error) ?? 'invalid'})`);
      continue;
    }
    const text = message(error);
    if (text !== undefined) reasons.push(`${pointer(error.instancePath)}: ${text}`);
  }
  return reasons;
}
