import type { ErrorObject } from 'ajv';
import { describeRefTypes } from './refs';

const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  'stix-timestamp': 'must be a timestamp in RFC 3339 UTC form YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date',
  'stix-identifier': 'must be an identifier of the form <object-type>--<RFC 4122 UUID>',
  'stix-base64': 'must be a base64-encoded string (RFC 4648, padded)',
  'stix-hex': 'must be an even number of hexadecimal digits',
  'stix-ipv4': 'must be an IPv4 address, optionally in CIDR notation',
  'stix-ipv6': 'must be an IPv6 address, optionally in CIDR notation',
  uri: 'must be a URI',
};

/** A short, quoted rendering of the offending value, so that a reason points at what to fix. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** JSON pointer for a reason; the whole object is "/". */
export function pointer(instancePath: string): string {
  return instancePath === '' ? '/' : instancePath;
}

/** Escapes one property name as a JSON pointer segment (RFC 6901). */
export function segment(name: string | number): string {
  return `/${String(name).replace(/~/g, '~0').replace(/\//g, '~1')}`;
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
    case 'format':
      return `${FORMAT_MESSAGES[String(params.format)] ?? `must be a ${String(params.format)}`} (got ${quote(error.data)})`;
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
      return `must be an identifier of ${describeRefTypes(error.schema as string[])} (got ${quote(error.data)})`;
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
 * `max` of them (issue 10.3), the caller saying how many more there were.
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
