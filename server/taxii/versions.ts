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

/** What the first/last rule needs of a version: the object and the version's sortable key. */
export interface VersionIdentity {
  id: string;
  versionKey: string;
  version: string;
}

/**
 * TAXII 2.1 §3.4.1: `last` (and `first`) select "the latest version for each object matching the
 * remainder of the request". Without other version-narrowing filters that is simply the object's
 * highest (lowest) version, which storage keeps flagged; `added_after` and `match[spec_version]`
 * narrow the versions an object has in the request, so then the choice is made among those.
 */
export function selectsAmongMatching(selector: VersionSelector, narrowing: { addedAfter?: number; specVersions?: string[] }): boolean {
  return !selector.all && (selector.first || selector.last) && (narrowing.addedAfter !== undefined || narrowing.specVersions !== undefined);
}

/**
 * Keeps the candidates the selector picks, judged among `matching`: every version of the same
 * objects that matches the rest of the request (candidates included).
 */
export function pickAmongMatching<T extends VersionIdentity>(candidates: T[], matching: VersionIdentity[], selector: VersionSelector): T[] {
  const spans = new Map<string, { min: string; max: string }>();
  for (const version of matching) {
    const span = spans.get(version.id);
    if (!span) spans.set(version.id, { min: version.versionKey, max: version.versionKey });
    else spans.set(version.id, { min: version.versionKey < span.min ? version.versionKey : span.min, max: version.versionKey > span.max ? version.versionKey : span.max });
  }
  return candidates.filter((candidate) => {
    const span = spans.get(candidate.id);
    if (selector.last && span?.max === candidate.versionKey) return true;
    if (selector.first && span?.min === candidate.versionKey) return true;
    return selector.instants.includes(instantKey(candidate.version) ?? candidate.versionKey);
  });
}
