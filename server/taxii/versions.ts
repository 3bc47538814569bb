import { InvalidParameter } from '../errors';
import { instantKey } from './timestamps';

/** The meaning of `match[version]` (TAXII 2.1 §3.4.1); defaults to `last`. */
export interface VersionSelector {
  all: boolean;
  first: boolean;
  last: boolean;
  /** Instant keys (see timestamps.ts) of specific versions. */
  instants: string[];
}

export const LATEST_ONLY: VersionSelector = { all: false, first: false, last: true, instants: [] };
export const ALL_VERSIONS: VersionSelector = { all: true, first: false, last: false, instants: [] };

export function parseVersionSelector(values: string[]): VersionSelector {
  const selector: VersionSelector = { all: false, first: false, last: false, instants: [] };
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new InvalidParameter(`match[version] lists '${value}' twice`);
    seen.add(value);
    if (value === 'all' || value === 'first' || value === 'last') {
      selector[value] = true;
      continue;
    }
    const key = instantKey(value);
    if (!key) {
      throw new InvalidParameter(`match[version] value '${value}' is neither first, last, all nor an RFC 3339 UTC timestamp`);
    }
    selector.instants.push(key);
  }
  if (selector.all && values.length > 1) throw new InvalidParameter('match[version]=all must appear alone');
  return selector;
}

/** The version string of a STIX object: `modified`, else `created`; undefined for an unversioned object (an SCO). */
export function versionOf(object: { modified?: unknown; created?: unknown }): string | undefined {
  if (typeof object.modified === 'string') return object.modified;
  if (typeof object.created === 'string') return object.created;
  return undefined;
}
