import type { ValidateFunction } from 'ajv';
import {
  checkEmptyLists, checkGranularMarkings, checkId, checkLanguages, checkTimestampOrder, type ObjectKind,
} from './checks';
import { checkExtensions, declaredExtensionTypes } from './extension-rules';
import { isValidTypeName } from './identifiers';
import { isJsonObject, type JsonObject } from './json-value';
import { MAX_REASONS, MAX_VALUES_FOR_ALL_ERRORS, measureJson } from './limits';
import { SCO_TYPES } from './object-types';
import { checkStixPattern } from './pattern/check-pattern';
import { quote } from './quote';
import { reasonsFromAjv } from './reasons';
import { createSchemaRegistry, type SchemaRegistry } from './schema-registry';
import { checkTypeRules } from './type-rules';

export type StixVerdict = { valid: true } | { valid: false; reasons: string[] };

export interface StixValidatorOptions {
  /** Reject object types the STIX 2.1 specification does not define (custom objects, extension-defined types). */
  strictTypes: boolean;
}

export interface StixValidator {
  validate(object: unknown, options: StixValidatorOptions): StixVerdict;
}

const VALID: StixVerdict = { valid: true };

function verdict(reasons: readonly string[], more = 0): StixVerdict {
  if (reasons.length === 0 && more === 0) return VALID;
  // One sentence per problem, in a stable order, so clients and tests can compare verdicts. Past
  // MAX_REASONS the first ones found are kept, and one more sentence counts the rest (docs/security.md §3).
  const unique = [...new Set(reasons.slice(0, MAX_REASONS))].sort();
  const left = more + Math.max(0, reasons.length - MAX_REASONS);
  return { valid: false, reasons: left > 0 ? [...unique, `(and up to ${left} more problems)`] : unique };
}

/**
 * Part 11.2 custom objects and Part 7.3 extension-defined types carry the common properties of the kind
 * they declare. Without a declaration, an object with neither created nor modified is taken for an SCO
 * (as the OASIS validator does); otherwise it must have the SDO/SRO common properties.
 */
function customKind(object: JsonObject): ObjectKind {
  const declared = declaredExtensionTypes(object);
  if (declared.has('new-sco')) return 'sco';
  if (declared.has('new-sdo') || declared.has('new-sro')) return 'sdo';
  return object.created === undefined && object.modified === undefined ? 'sco' : 'sdo';
}

function schemaFor(registry: SchemaRegistry, type: string, object: JsonObject): ValidateFunction | undefined {
  const known = registry.forType(type);
  if (known) return known;
  return customKind(object) === 'sco' ? registry.scoCommon : registry.sdoCommon;
}

/** The compiled schemas twice over: reporting every error, and stopping at the first. */
interface Registries {
  readonly allErrors: SchemaRegistry;
  readonly firstErrorOnly: SchemaRegistry;
}

function validateObject(registries: Registries, object: unknown, options: StixValidatorOptions): StixVerdict {
  if (!isJsonObject(object)) return verdict([`/: must be a JSON object (got ${Array.isArray(object) ? 'an array' : quote(object)})`]);
  // Before anything walks the object: ajv, our checks and JSON.stringify all recurse (docs/security.md §3).
  const measure = measureJson(object);
  if (measure.tooDeep !== undefined) return verdict([measure.tooDeep]);
  const registry = measure.values > MAX_VALUES_FOR_ALL_ERRORS ? registries.firstErrorOnly : registries.allErrors;
  const type = object.type;
  if (type === undefined) return verdict(['/type: is required']);
  if (typeof type !== 'string') return verdict([`/type: must be a string (got ${quote(type)})`]);
  if (type === 'bundle') return verdict(['/type: a bundle is an envelope, not a STIX object; send the objects it contains']);
  if (!isValidTypeName(type)) {
    return verdict([`/type: must be 3 to 250 characters of a-z, 0-9 and single hyphens (got ${quote(type)})`]);
  }
  const known = registry.forType(type) !== undefined;
  if (!known && options.strictTypes) {
    return verdict([`/type: ${quote(type)} is not an object type of STIX 2.1 (custom types are rejected by strictTypes)`]);
  }
  const validateSchema = schemaFor(registry, type, object);
  if (validateSchema === undefined) return verdict([`/type: no schema for ${quote(type)}`]);
  validateSchema(object);
  const schemaErrors = validateSchema.errors?.length ?? 0;
  const reasons = [
    ...reasonsFromAjv(validateSchema.errors, MAX_REASONS),
    ...checkId(object),
    ...checkTimestampOrder(object, type),
    ...checkEmptyLists(object, registry.definedProperties(type)),
    ...checkGranularMarkings(object),
    ...checkLanguages(object),
    ...checkExtensions(object, type),
    ...checkTypeRules(object, type),
  ];
  if (type === 'indicator' && object.pattern_type === 'stix' && typeof object.pattern === 'string') {
    reasons.push(...checkStixPattern(object.pattern));
  }
  if (type === 'observed-data' && isJsonObject(object.objects)) {
    reasons.push(...embeddedObservables(registry, object.objects, options));
  }
  if (schemaErrors > 0 && registry !== registries.allErrors) {
    reasons.push(`(the object holds more than ${MAX_VALUES_FOR_ALL_ERRORS} JSON values, so only its first schema problem is listed)`);
  }
  return verdict(reasons, Math.max(0, schemaErrors - MAX_REASONS));
}

/** Deprecated observed-data "objects": each embedded SCO is checked as an SCO would be, under its key. */
function embeddedObservables(registry: SchemaRegistry, objects: JsonObject, options: StixValidatorOptions): string[] {
  const reasons: string[] = [];
  for (const [key, embedded] of Object.entries(objects)) {
    if (!isJsonObject(embedded) || typeof embedded.type !== 'string') continue;
    if (!SCO_TYPES.has(embedded.type) && options.strictTypes) {
      reasons.push(`/objects/${key}/type: ${quote(embedded.type)} is not an SCO type of STIX 2.1`);
    }
  }
  return reasons;
}

/**
 * Compiles every schema once (twice over, see Registries), at start-up rather than on the first large
 * object; validate() then costs one compiled-schema run and a few plain checks.
 */
export function createStixValidator(): StixValidator {
  const registries: Registries = { allErrors: createSchemaRegistry(), firstErrorOnly: createSchemaRegistry({ allErrors: false }) };
  return { validate: (object, options) => validateObject(registries, object, options) };
}
