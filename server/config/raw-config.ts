// Generated from schemas/config/*.schema.json by `npm run config-types`: edit the schemas, not this file.

/** `collections/alliance.yaml` as written, once it has passed schemas/config/alliance.schema.json. */
export interface RawAllianceFile {
  server: {
    title: string;
    description?: string;
    contact?: string;
    default_api_root?: string;
  };
  api_roots: Array<{
    path: string;
    title: string;
    description?: string;
    max_content_length?: number;
    strict_types?: boolean;
    created_by_check?: 'off' | 'warn' | 'reject';
    rate_limit_per_second?: number;
  }>;
}

/** `collections/<organisation-id>.yaml` as written, once it has passed schemas/config/organisation.schema.json. */
export interface RawOrganisationFile {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2; omit for international agencies. */
  country?: string;
  kind: 'national-unit' | 'agency' | 'private-sector';
  /** STIX identity ids that stand for this organisation in created_by_ref. */
  identities?: string[];
  collections?: RawCollection[];
}

export interface RawCollection {
  id: string;
  alias?: string;
  title: string;
  description?: string;
  api_root: string;
  max_tlp?: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
  unmarked?: 'allow' | 'reject';
  foreign_versions?: 'refuse' | 'allow';
  media_types?: string[];
  grants?: Array<{
    organisation: string;
    access: Array<'read' | 'write'>;
  }>;
  /** Remote TAXII 2.1 sources this collection mirrors (docs/federation.md). Credentials are named by reference, never written here. */
  feeds?: RawFeed[];
  /** Downstream push (docs/federation.md): every version this collection accepts is forwarded to each of these remote TAXII 2.1 collections. Secrets are named here, never written: an environment variable or a file. */
  push?: RawPushTarget[];
}

export interface RawFeed {
  /** Stable: the feed's state and its provenance name feed:<id> are keyed by it. */
  id: string;
  /** A collection URL (.../collections/<id>/), or a discovery or API root URL together with `collection`. */
  url: string;
  /** The remote collection's id, when `url` is a discovery or API root URL. */
  collection?: string;
  auth?: {
    type: 'basic';
    username?: string;
    username_env?: string;
    password_env: string;
  } | {
    type: 'basic';
    username?: string;
    username_env?: string;
    password_file: string;
  } | {
    type: 'bearer';
    token_env: string;
  } | {
    type: 'bearer';
    token_file: string;
  };
  /** Seconds between polls once caught up; default 300. */
  poll_interval?: number;
  /** Sent as match[type]. */
  types?: string[];
  /** Where the first poll starts; later polls resume from the stored cursor. */
  added_after?: string;
  /** The limit asked of the remote per page; default 1000. */
  page_size?: number;
}

export interface RawPushTarget {
  /** The remote collection: its API root URL followed by collections/<id>/ (TAXII 2.1 §5.2). */
  collection_url: string;
  /** HTTP Basic user at the remote; the password comes from password_env or password_file. */
  username?: string;
  password_env?: string;
  password_file?: string;
  token_env?: string;
  token_file?: string;
  /** How often to look for new versions to send (default 30). */
  interval_seconds?: number;
}
