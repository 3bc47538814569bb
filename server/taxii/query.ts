import { InvalidParameter } from '../errors';
import { canonicalId } from '../stix/identifiers';
import { timestampToMicros } from './timestamps';
import { LATEST_ONLY, parseVersionSelector, type VersionSelector } from './versions';

/** Which endpoint a query string is for: each accepts its own parameters (TAXII 2.1 §3.4, checklist Q-15). */
export type QueryEndpoint = 'objects' | 'manifest' | 'object' | 'versions' | 'delete';

/** The filters a request states itself; absent means "not given" so a cursor's filters can fill in. */
export interface StatedFilters {
  addedAfter?: number;
  ids?: string[];
  types?: string[];
  versions?: VersionSelector;
  specVersions?: string[];
}

/** The complete filter a page is read with, defaults applied. `addedAfter` is in microseconds. */
export interface ObjectFilter {
  addedAfter?: number;
  ids?: string[];
  types?: string[];
  versions: VersionSelector;
  specVersions?: string[];
}

export interface ObjectQuery {
  stated: StatedFilters;
  limit?: number;
  next?: string;
}

const ACCEPTED: Record<QueryEndpoint, readonly string[]> = {
  objects: ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'],
  manifest: ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'],
  object: ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'],
  versions: ['added_after', 'limit', 'next', 'match[spec_version]'],
  delete: ['match[version]', 'match[spec_version]'],
};

// Exported for the OpenAPI document (server/http/openapi/taxii-parameters.ts), which states the same rules.
export const MAX_VALUES = 1000;
export const STIX_ID = /^[a-z0-9][a-z0-9-]{0,248}--[0-9a-zA-Z-]{1,64}$/;
export const STIX_TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
export const SPEC_VERSION = /^\d+\.\d+$/;
const POSITIVE_INTEGER = /^[1-9]\d{0,8}$/;
export const MAX_LIMIT_VALUE = 999_999_999;
export const MAX_NEXT_LENGTH = 4096;

function commaList(name: string, value: string, pattern?: RegExp): string[] {
  const items = value.split(',');
  if (items.length > MAX_VALUES) throw new InvalidParameter(`${name} lists more than ${MAX_VALUES} values`);
  for (const item of items) {
    if (item === '') throw new InvalidParameter(`${name} has an empty value`);
    if (pattern && !pattern.test(item)) throw new InvalidParameter(`${name} value '${item}' is malformed`);
  }
  return items;
}

/**
 * Parses the raw query string ourselves instead of Express's `qs` parser: `qs` turns
 * `match[type][$ne]=x` into nested objects (an operator-injection path) and silently merges
 * duplicates, which TAXII 2.1 §3.4 makes an error.
 */
export function parseObjectQuery(rawQuery: string, endpoint: QueryEndpoint): ObjectQuery {
  const params = new URLSearchParams(rawQuery);
  const accepted = ACCEPTED[endpoint];
  const seen = new Set<string>();
  const query: ObjectQuery = { stated: {} };
  for (const [name, value] of params) {
    if (!accepted.includes(name)) continue; // unknown parameters and other endpoints' filters are ignored (§3.4 MAY)
    if (seen.has(name)) throw new InvalidParameter(`${name} appears more than once`);
    seen.add(name);
    switch (name) {
      case 'added_after': {
        const micros = timestampToMicros(value);
        if (micros === undefined) throw new InvalidParameter(`added_after '${value}' is not an RFC 3339 UTC timestamp`);
        query.stated.addedAfter = micros;
        break;
      }
      case 'limit':
        if (!POSITIVE_INTEGER.test(value)) throw new InvalidParameter(`limit must be a positive integer, got '${value}'`);
        query.limit = Number(value);
        break;
      case 'next':
        if (value === '' || value.length > MAX_NEXT_LENGTH) throw new InvalidParameter('next is empty or too long');
        query.next = value;
        break;
      case 'match[id]':
        // Stored ids are canonical (RFC 4122 §3: case-insensitive on input; docs/security.md §2), so asked ids are too.
        query.stated.ids = commaList(name, value, STIX_ID).map(canonicalId);
        break;
      case 'match[type]':
        query.stated.types = commaList(name, value, STIX_TYPE);
        break;
      case 'match[version]':
        query.stated.versions = parseVersionSelector(commaList(name, value));
        break;
      case 'match[spec_version]':
        query.stated.specVersions = commaList(name, value, SPEC_VERSION);
        break;
    }
  }
  return query;
}

/** Stated filters over the cursor's, then the defaults (`match[version]=last`). */
export function resolveFilter(stated: StatedFilters, fromCursor: StatedFilters = {}): ObjectFilter {
  const merged = { ...fromCursor, ...definedOnly(stated) };
  return { ...merged, versions: merged.versions ?? LATEST_ONLY };
}

function definedOnly(stated: StatedFilters): StatedFilters {
  return Object.fromEntries(Object.entries(stated).filter(([, value]) => value !== undefined)) as StatedFilters;
}
