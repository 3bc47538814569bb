// The object types STIX 2.1 defines (Parts 4 to 7). Anything else is a custom type (Part 11).

export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator',
  'infrastructure', 'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data',
  'opinion', 'report', 'threat-actor', 'tool', 'vulnerability',
]);

export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);

export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file',
  'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url',
  'user-account', 'windows-registry-key', 'x509-certificate',
]);

export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'language-content', 'extension-definition']);

export function isSpecType(type: string): boolean {
  return SDO_TYPES.has(type) || SRO_TYPES.has(type) || SCO_TYPES.has(type) || META_TYPES.has(type);
}

// The tables below are keyed by the object's `type`, which the publisher chooses: they are Maps, so
// that a custom type named "constructor" or "tostring" finds nothing instead of Object.prototype's
// members (docs/security.md §3).

/** Predefined extension names per SCO type (Part 6); any other key must be an extension-definition id. */
export const PREDEFINED_EXTENSIONS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['file', ['ntfs-ext', 'pdf-ext', 'archive-ext', 'raster-image-ext', 'windows-pebinary-ext']],
  ['network-traffic', ['http-request-ext', 'icmp-ext', 'socket-ext', 'tcp-ext']],
  ['process', ['windows-process-ext', 'windows-service-ext']],
  ['user-account', ['unix-account-ext']],
]);

/**
 * ID contributing properties (Part 6, each SCO's "ID Contributing Properties"). When an SCO has none of
 * them its UUID cannot be derived deterministically, and Part 2.9 then requires a UUIDv4.
 */
export const ID_CONTRIBUTING_PROPERTIES: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['artifact', ['hashes', 'payload_bin']],
  ['autonomous-system', ['number']],
  ['directory', ['path']],
  ['domain-name', ['value']],
  ['email-addr', ['value']],
  ['email-message', ['from_ref', 'subject', 'body']],
  ['file', ['hashes', 'name', 'extensions', 'parent_directory_ref']],
  ['ipv4-addr', ['value']],
  ['ipv6-addr', ['value']],
  ['mac-addr', ['value']],
  ['mutex', ['name']],
  ['network-traffic', ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions']],
  ['process', []],
  ['software', ['name', 'cpe', 'swid', 'vendor', 'version']],
  ['url', ['value']],
  ['user-account', ['account_type', 'user_id', 'account_login']],
  ['windows-registry-key', ['key', 'values']],
  ['x509-certificate', ['hashes', 'serial_number']],
]);
