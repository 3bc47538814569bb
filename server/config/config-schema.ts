import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import allianceSchema from '../../schemas/config/alliance.schema.json';
import organisationSchema from '../../schemas/config/organisation.schema.json';
import type { CreatedByCheck, OrganisationKind, TlpLevel } from './types';

/** `collections/alliance.yaml` as written (snake_case), once it has passed the schema. */
export interface RawAllianceFile {
  server: { title: string; description?: string; contact?: string; default_api_root?: string };
  api_roots: Array<{ path: string; title: string; description?: string; max_content_length?: number; strict_types?: boolean; created_by_check?: CreatedByCheck }>;
}

export interface RawGrant {
  organisation: string;
  access: Array<'read' | 'write'>;
}

export interface RawCollection {
  id: string;
  alias?: string;
  title: string;
  description?: string;
  api_root: string;
  max_tlp?: TlpLevel;
  unmarked?: 'allow' | 'reject';
  foreign_versions?: 'refuse' | 'allow';
  media_types?: string[];
  grants?: RawGrant[];
  push?: RawPushTarget[];
}

export interface RawPushTarget {
  collection_url: string;
  username?: string;
  password_env?: string;
  password_file?: string;
  token_env?: string;
  token_file?: string;
  interval_seconds?: number;
}

/** `collections/<organisation-id>.yaml` as written, once it has passed the schema. */
export interface RawOrganisationFile {
  id: string;
  name: string;
  country?: string;
  kind: OrganisationKind;
  identities?: string[];
  collections?: RawCollection[];
}

/** One thing wrong with the configuration, located as precisely as we can. */
export interface ConfigProblem {
  file: string;
  /** JSON pointer into the file's document, `''` for the document itself. */
  path: string;
  message: string;
}

// verbose: the offending value goes into the message, so an operator sees what they wrote.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
addFormats(ajv, ['uuid']);

export const validateAllianceFile: ValidateFunction<RawAllianceFile> = ajv.compile<RawAllianceFile>(allianceSchema);
export const validateOrganisationFile: ValidateFunction<RawOrganisationFile> =
  ajv.compile<RawOrganisationFile>(organisationSchema);

export function showValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

function describeAjvError(error: ErrorObject): { path: string; message: string } {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${error.instancePath}/${String(params.additionalProperty)}`, message: 'is not a known setting' };
    case 'enum':
      return {
        path: error.instancePath,
        message: `${showValue(error.data)} must be one of ${(params.allowedValues as unknown[]).map(showValue).join(', ')}`,
      };
    case 'format':
      return { path: error.instancePath, message: `${showValue(error.data)} is not a valid ${String(params.format).toUpperCase()}` };
    case 'pattern':
      return { path: error.instancePath, message: `${showValue(error.data)} must match ${String(params.pattern)}` };
    default:
      return { path: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** Problems for one file; empty when `document` fits the schema. */
export function schemaProblems(file: string, validate: ValidateFunction, document: unknown): ConfigProblem[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => ({ file, ...describeAjvError(error) }));
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}: ${problem.path === '' ? '(document)' : problem.path}: ${problem.message}`;
}
