import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isBase64, isHex, isIpv4OrCidr, isIpv6OrCidr } from './formats';
import { isStixIdentifier } from './identifiers';
import { isAllowedRef } from './refs';
import { isStixTimestamp } from '../taxii/timestamps';
import { PROJECT_ROOT } from '../config/package-root';

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'schemas', 'stix');
const SCHEMA_BASE = 'https://taxii-alliance.invalid/schemas/stix/';

export interface SchemaRegistry {
  /** The compiled schema of a type the spec defines, or undefined for a custom type. */
  forType(type: string): ValidateFunction | undefined;
  /** Common properties only, for custom objects (Part 11.2): SDO/SRO-like or SCO-like. */
  readonly sdoCommon: ValidateFunction;
  readonly scoCommon: ValidateFunction;
  /** Property names the schema of a spec type (with its common properties) defines; custom ones are the rest. */
  definedProperties(type: string): ReadonlySet<string>;
}

type SchemaJson = { allOf?: { $ref?: string; properties?: Record<string, unknown> }[]; $defs?: Record<string, SchemaJson>; properties?: Record<string, unknown> };

function propertyNamesOf(schema: SchemaJson | undefined, commonDefs: Record<string, SchemaJson>): Set<string> {
  const names = new Set<string>();
  for (const part of schema?.allOf ?? []) {
    const common = part.$ref?.startsWith('common.json#/$defs/') ? commonDefs[part.$ref.slice('common.json#/$defs/'.length)] : undefined;
    for (const key of Object.keys(part.properties ?? common?.properties ?? {})) names.add(key);
  }
  return names;
}

function createAjv(allErrors: boolean): Ajv {
  // strict: a typo in our schemas (an unknown keyword, a required name without a property) fails at start-up.
  // allErrors: a publisher fixing an object should see every problem in one round trip (but see limits.ts).
  // verbose: reasons quote the offending value and the allowed values, which ajv then carries on each error.
  const ajv = new Ajv({ strict: true, allErrors, verbose: true });
  addFormats(ajv, ['uri']);
  ajv.addFormat('stix-timestamp', { type: 'string', validate: isStixTimestamp });
  ajv.addFormat('stix-identifier', { type: 'string', validate: isStixIdentifier });
  ajv.addFormat('stix-base64', { type: 'string', validate: isBase64 });
  ajv.addFormat('stix-hex', { type: 'string', validate: isHex });
  ajv.addFormat('stix-ipv4', { type: 'string', validate: isIpv4OrCidr });
  ajv.addFormat('stix-ipv6', { type: 'string', validate: isIpv6OrCidr });
  ajv.addKeyword({
    keyword: 'stixRefTypes',
    type: 'string',
    schemaType: 'array',
    errors: true,
    validate: (allowed: readonly string[], data: string) => isAllowedRef(data, allowed),
  });
  return ajv;
}

/**
 * Reads schemas/stix/*.json and compiles each once; called at start-up, never per request.
 * `allErrors: false` gives a registry that stops at the first error, for very large objects.
 */
export function createSchemaRegistry(options: { allErrors: boolean } = { allErrors: true }): SchemaRegistry {
  const ajv = createAjv(options.allErrors);
  const files = readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.json'));
  const raw = new Map<string, SchemaJson>();
  for (const file of files) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as SchemaJson;
    raw.set(file.slice(0, -'.json'.length), schema);
    ajv.addSchema(schema);
  }
  const commonDefs = raw.get('common')?.$defs ?? {};
  const definedByType = new Map<string, Set<string>>();
  for (const [type, schema] of raw) definedByType.set(type, propertyNamesOf(schema, commonDefs));
  const sdoDefined = new Set(Object.keys(commonDefs['sdo-common']?.properties ?? {}));
  const customDefined = new Set([...sdoDefined, ...Object.keys(commonDefs['sco-common']?.properties ?? {})]);
  const byType = new Map<string, ValidateFunction>();
  for (const file of files) {
    if (file === 'common.json') continue;
    const validate = ajv.getSchema(SCHEMA_BASE + file);
    if (!validate) throw new Error(`schemas/stix/${file} did not compile`);
    byType.set(file.slice(0, -'.json'.length), validate);
  }
  const common = (name: string): ValidateFunction => {
    const validate = ajv.getSchema(`${SCHEMA_BASE}common.json#/$defs/${name}`);
    if (!validate) throw new Error(`schemas/stix/common.json has no $defs/${name}`);
    return validate;
  };
  return {
    forType: (type) => byType.get(type),
    sdoCommon: common('sdo-common'),
    scoCommon: common('sco-common'),
    definedProperties: (type) => definedByType.get(type) ?? customDefined,
  };
}
