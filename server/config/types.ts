/** The alliance as declared in `collections/*.yaml`, after validation. camelCase, internal only. */

export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export interface ServerInfo {
  title: string;
  description?: string;
  contact?: string;
  /** Path of the API root announced as `default` in discovery. */
  defaultApiRoot?: string;
}

export interface ApiRootConfig {
  /** URL path segment(s) without slashes at either end, e.g. `alliance` or `de-bka/internal`. */
  path: string;
  title: string;
  description?: string;
  maxContentLength: number;
  /** Reject STIX object types the specification does not define (custom types are accepted otherwise). */
  strictTypes: boolean;
  /** What to do when an object's created_by_ref is not one of the publisher's identities; absent means off. */
  createdByCheck?: CreatedByCheck;
  /** Requests per second per credential under this root; absent: RATE_LIMIT_PER_SECOND (docs/security.md 6). */
  rateLimitPerSecond?: number;
}

export type CreatedByCheck = 'off' | 'warn' | 'reject';

export type OrganisationKind = 'national-unit' | 'agency' | 'private-sector';

export interface Organisation {
  /** Short stable id such as `de-bka`, `gb-nca`, `europol`. */
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2, absent for international agencies. */
  country?: string;
  kind: OrganisationKind;
  /** STIX identity ids that stand for this organisation in `created_by_ref`. */
  identities?: string[];
}

/** `all-members` grants to every organisation of the alliance. */
export const ALL_MEMBERS = 'all-members';

export interface Grant {
  organisation: string;
  read: boolean;
  write: boolean;
}

export interface CollectionConfig {
  /** RFC 4122 v4 UUID (TAXII 2.1 §2 identifier). */
  id: string;
  alias?: string;
  title: string;
  description?: string;
  owner: string;
  apiRoot: string;
  mediaTypes: string[];
  maxTlp?: TlpLevel;
  unmarked: 'allow' | 'reject';
  /**
   * A new version of an object first published here by another organisation: refused (the default;
   * STIX 2.1 §3.6: only the object creator makes new versions) or allowed.
   */
  foreignVersions: 'refuse' | 'allow';
  grants: Grant[];
  /** Remote TAXII 2.1 sources mirrored into this collection (docs/federation.md); absent when none. */
  feeds?: FeedConfig[];
  /** Remote collections every accepted version is forwarded to (docs/federation.md, push). */
  push?: PushTarget[];
}

/**
 * How to authenticate to a feed's remote. Secrets are named, never held: an environment variable
 * or a file, read when the poller starts (config/feed-credentials.ts).
 */
export type FeedAuth =
  | { type: 'basic'; username?: string; usernameEnv?: string; passwordEnv?: string; passwordFile?: string }
  | { type: 'bearer'; tokenEnv?: string; tokenFile?: string };

/** One upstream feed: a remote collection polled with `added_after` and mirrored here. */
export interface FeedConfig {
  /** Stable id: the feed's state and its provenance name (`feed:<id>`) are keyed by it. */
  id: string;
  /** A collection URL, or a discovery or API root URL together with `remoteCollection`. */
  url: string;
  remoteCollection?: string;
  auth?: FeedAuth;
  pollIntervalSeconds: number;
  /** Sent as `match[type]`. */
  types?: string[];
  /** Where the first poll starts; later polls resume from the stored cursor. */
  addedAfter?: string;
  pageSize: number;
}

/** Where a secret is read at the moment it is needed: never written in the YAML. */
export type SecretReference = { env: string } | { file: string };

export type PushCredentials =
  | { kind: 'basic'; username: string; password: SecretReference }
  | { kind: 'bearer'; token: SecretReference }
  | { kind: 'none' };

export interface PushTarget {
  /** The remote collection's URL: its API root's URL + `collections/<id>/` (TAXII 2.1 §5.2), ending in `/`. */
  collectionUrl: string;
  credentials: PushCredentials;
  intervalSeconds: number;
}

export interface AllianceConfig {
  server: ServerInfo;
  apiRoots: ApiRootConfig[];
  organisations: Organisation[];
  collections: CollectionConfig[];
}
