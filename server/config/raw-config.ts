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
}
