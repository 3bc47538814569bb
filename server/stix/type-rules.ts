import { canonicalId } from './identifiers';
import { has, isJsonObject, type JsonObject, stringAt } from './json-value';
import { isDeepStrictEqual } from 'node:util';
import { TLP1_MARKING_DEFINITIONS } from './markings';
import { quote } from './quote';

type Rule = (object: JsonObject) => string[];

const atLeastOne = (object: JsonObject, keys: readonly string[], at = '/'): string[] =>
  keys.some((key) => has(object, key)) ? [] : [`${at}: must have at least one of ${keys.join(', ')}`];

const notBoth = (object: JsonObject, a: string, b: string, at = '/'): string[] =>
  has(object, a) && has(object, b) ? [`${at}: must not have both ${a} and ${b}`] : [];

/** A property beyond type, id and the common ones (Part 6 process and x509-certificate). */
function hasOwnProperty(object: JsonObject, own: readonly string[]): boolean {
  return own.some((key) => has(object, key));
}

const PROCESS_OWN = ['is_hidden', 'pid', 'created_time', 'cwd', 'command_line', 'environment_variables',
  'opened_connection_refs', 'creator_user_ref', 'image_ref', 'parent_ref', 'child_refs', 'extensions'];
const X509_OWN = ['is_self_signed', 'hashes', 'version', 'serial_number', 'signature_algorithm', 'issuer',
  'validity_not_before', 'validity_not_after', 'subject', 'subject_public_key_algorithm',
  'subject_public_key_modulus', 'subject_public_key_exponent', 'x509_v3_extensions'];

function externalIdForm(object: JsonObject): string[] {
  const refs = object.external_references;
  if (!Array.isArray(refs)) return [];
  const reasons: string[] = [];
  refs.forEach((ref: unknown, index) => {
    if (!isJsonObject(ref)) return;
    const source = stringAt(ref, 'source_name');
    const id = stringAt(ref, 'external_id');
    // Part 2.5: CVE and CAPEC references carry the registry's own identifier form.
    if (source === 'cve' && (id === undefined || !/^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/.test(id))) {
      reasons.push(`/external_references/${index}/external_id: must be a CVE id such as CVE-2016-0001 when source_name is cve (got ${quote(id)})`);
    }
    if (source === 'capec' && (id === undefined || !/^CAPEC-\d+$/.test(id))) {
      reasons.push(`/external_references/${index}/external_id: must be a CAPEC id such as CAPEC-163 when source_name is capec (got ${quote(id)})`);
    }
  });
  return reasons;
}

function emailBodies(object: JsonObject): string[] {
  const reasons: string[] = [];
  if (object.is_multipart === true && has(object, 'body')) reasons.push('/body: must not be present when is_multipart is true');
  if (object.is_multipart === false && has(object, 'body_multipart')) {
    reasons.push('/body_multipart: must not be present when is_multipart is false');
  }
  const parts = object.body_multipart;
  if (Array.isArray(parts)) {
    parts.forEach((part: unknown, index) => {
      if (!isJsonObject(part)) return;
      const at = `/body_multipart/${index}`;
      reasons.push(...atLeastOne(part, ['body', 'body_raw_ref'], at), ...notBoth(part, 'body', 'body_raw_ref', at));
    });
  }
  return reasons;
}

function markingDefinition(object: JsonObject): string[] {
  const reasons: string[] = [];
  if (!has(object, 'definition_type') && !has(object, 'extensions')) {
    reasons.push('/: must have definition_type and definition (TLP 1.0, statement) or extensions (TLP 2.0 and others)');
  }
  if (object.definition_type === 'tlp' && !TLP1_MARKING_DEFINITIONS.some((tlp) => isDeepStrictEqual(tlp, object))) {
    reasons.push('/: a TLP 1.0 marking definition must be one of the four of STIX 2.1 Part 7.2.1.4, unchanged (id, created, name, definition)');
  }
  const refs = object.object_marking_refs;
  if (Array.isArray(refs)) {
    refs.forEach((ref: unknown, index) => {
      if (typeof ref === 'string' && typeof object.id === 'string' && canonicalId(ref) === canonicalId(object.id)) {
        reasons.push(`/object_marking_refs/${index}: must not refer to this marking definition itself`);
      }
    });
  }
  return reasons;
}

/** Keyed by the publisher's `type`, so a Map: `RULES.constructor` would be Object itself (docs/security.md §3). */
const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>(Object.entries({
  location: (o) => {
    const reasons: string[] = [];
    if (!has(o, 'region') && !has(o, 'country') && !(has(o, 'latitude') && has(o, 'longitude'))) {
      reasons.push('/: must have region, country, or both latitude and longitude');
    }
    if (has(o, 'latitude') !== has(o, 'longitude')) reasons.push('/: latitude and longitude must be given together');
    if (has(o, 'precision') && !(has(o, 'latitude') && has(o, 'longitude'))) {
      reasons.push('/precision: must only be present with latitude and longitude');
    }
    return reasons;
  },
  malware: (o) => (o.is_family === true && !has(o, 'name') ? ['/name: is required when is_family is true'] : []),
  'malware-analysis': (o) => atLeastOne(o, ['result', 'analysis_sco_refs']),
  'observed-data': (o) => [...atLeastOne(o, ['objects', 'object_refs']), ...notBoth(o, 'objects', 'object_refs')],
  artifact: (o) => [
    ...notBoth(o, 'payload_bin', 'url'),
    ...(has(o, 'url') && !has(o, 'hashes') ? ['/hashes: is required when url is present'] : []),
    ...(has(o, 'decryption_key') && !has(o, 'encryption_algorithm')
      ? ['/decryption_key: must not be present without encryption_algorithm'] : []),
    ...(has(o, 'mime_type') && !/^(application|audio|font|image|message|model|multipart|text|video)\/[a-zA-Z0-9.+_-]+/.test(stringAt(o, 'mime_type') ?? '')
      ? [`/mime_type: must be an IANA media type of the form type/subtype (got ${quote(o.mime_type)})`] : []),
  ],
  'email-message': emailBodies,
  file: (o) => atLeastOne(o, ['hashes', 'name']),
  'network-traffic': (o) => [
    ...atLeastOne(o, ['src_ref', 'dst_ref']),
    ...(o.is_active === true && has(o, 'end') ? ['/end: must not be present when is_active is true'] : []),
  ],
  process: (o) => (hasOwnProperty(o, PROCESS_OWN) ? [] : ['/: must have at least one process property besides type and id']),
  'x509-certificate': (o) => (hasOwnProperty(o, X509_OWN) ? [] : ['/: must have at least one certificate property besides type and id']),
  'marking-definition': markingDefinition,
}));

/** Co-occurrence rules of one type that JSON schema could only say with unreadable errors. */
export function checkTypeRules(object: JsonObject, type: string): string[] {
  return [...externalIdForm(object), ...(RULES.get(type)?.(object) ?? [])];
}
