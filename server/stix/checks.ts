import { canonicalId, parseIdentifier } from './identifiers';
import { has, isJsonObject, type JsonObject, stringAt } from './json-value';
import { ID_CONTRIBUTING_PROPERTIES } from './object-types';
import { quote } from './quote';
import { segment } from './reasons';
import { compareTimestamps } from '../taxii/timestamps';

/** Which common-property set an object was checked against: SDO/SRO/meta, or SCO. */
export type ObjectKind = 'sdo' | 'sco';

/** Part 2.9: the id's prefix is the object's own type; SCOs without ID contributing properties use UUIDv4. */
export function checkId(object: JsonObject): string[] {
  const id = stringAt(object, 'id');
  const type = stringAt(object, 'type');
  if (id === undefined || type === undefined) return [];
  const parsed = parseIdentifier(id);
  if (!parsed) return []; // the schema's format already says what is wrong
  const reasons: string[] = [];
  if (parsed.type !== type) reasons.push(`/id: must start with "${type}--", the object's type (got ${quote(id)})`);
  const contributing = ID_CONTRIBUTING_PROPERTIES.get(type);
  if (contributing && !contributing.some((key) => has(object, key)) && parsed.uuidVersion !== 4) {
    reasons.push(`/id: must use a UUIDv4 because the ${type} has no ID contributing properties (got version ${parsed.uuidVersion})`);
  }
  return reasons;
}

/**
 * Ordering rules between two timestamps of one object, compared as instants whatever their precision.
 * `strict` means later-than (the spec's "MUST be greater than"), otherwise later-than-or-equal.
 */
type OrderRule = readonly [later: string, earlier: string, strict: boolean];

/** Keyed by the publisher's `type`, so a Map (docs/security.md §3: no prototype member may answer). */
const TIMESTAMP_ORDER: ReadonlyMap<string, readonly OrderRule[]> = new Map<string, readonly OrderRule[]>([
  ['*', [['modified', 'created', false]]],
  ['campaign', [['last_seen', 'first_seen', false]]],
  ['indicator', [['valid_until', 'valid_from', true]]],
  ['infrastructure', [['last_seen', 'first_seen', false]]],
  ['intrusion-set', [['last_seen', 'first_seen', false]]],
  ['malware', [['last_seen', 'first_seen', false]]],
  ['observed-data', [['last_observed', 'first_observed', false]]],
  ['relationship', [['stop_time', 'start_time', true]]],
  ['sighting', [['last_seen', 'first_seen', false]]],
  ['threat-actor', [['last_seen', 'first_seen', false]]],
  ['network-traffic', [['end', 'start', false]]],
  ['malware-analysis', [['analysis_ended', 'analysis_started', false]]],
  ['x509-certificate', [['validity_not_after', 'validity_not_before', false]]],
]);

export function checkTimestampOrder(object: JsonObject, type: string): string[] {
  const reasons: string[] = [];
  for (const [later, earlier, strict] of [...(TIMESTAMP_ORDER.get('*') ?? []), ...(TIMESTAMP_ORDER.get(type) ?? [])]) {
    const a = stringAt(object, later);
    const b = stringAt(object, earlier);
    if (a === undefined || b === undefined) continue;
    const order = compareTimestamps(a, b);
    if (order === undefined) continue;
    // Both values are shown: the fault is in their relation, and either one may be the wrong one.
    const values = `(${later} ${quote(a)}, ${earlier} ${quote(b)})`;
    if (strict && order <= 0) reasons.push(`/${later}: must be later than ${earlier} ${values}`);
    if (!strict && order < 0) reasons.push(`/${later}: must not be earlier than ${earlier} ${values}`);
  }
  return reasons;
}

function emptyListsDeep(value: unknown, path: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${path}: must not be an empty list (omit the property instead)`];
    return value.flatMap((item, index) => emptyListsDeep(item, `${path}${segment(index)}`));
  }
  if (isJsonObject(value)) {
    return Object.entries(value).flatMap(([key, item]) => emptyListsDeep(item, `${path}${segment(key)}`));
  }
  return [];
}

function emptyListShallow(value: unknown, path: string): string[] {
  return Array.isArray(value) && value.length === 0 ? [`${path}: must not be an empty list (omit the property instead)`] : [];
}

/**
 * Part 2 "list": empty lists are prohibited; omit the property instead. Inside what the spec defines we look
 * at every level. A custom property, or an extension's own property, is checked at its top level only:
 * what lies inside it is the producer's structure, which the spec does not describe (ATT&CK's
 * x_mitre_related_assets holds objects with empty lists).
 */
export function checkEmptyLists(object: JsonObject, defined: ReadonlySet<string>): string[] {
  const reasons: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    const at = segment(key);
    if (key === 'extensions' && isJsonObject(value)) {
      for (const [name, extension] of Object.entries(value)) {
        if (!isJsonObject(extension)) continue;
        for (const [property, item] of Object.entries(extension)) {
          reasons.push(...emptyListShallow(item, `${at}${segment(name)}${segment(property)}`));
        }
      }
    } else if (defined.has(key)) {
      reasons.push(...emptyListsDeep(value, at));
    } else {
      reasons.push(...emptyListShallow(value, at));
    }
  }
  return reasons;
}

/** Part 7.2.3: a selector is a path into this object (dots, [n] list indexes) that must exist. */
function selectorResolves(object: JsonObject, selector: string): boolean {
  let current: unknown = object;
  for (const step of selector.split('.')) {
    const m = /^([a-z0-9_]+|\[(\d+)\])$/i.exec(step);
    if (!m) return false;
    if (m[2] !== undefined) {
      if (!Array.isArray(current)) return false;
      current = current[Number(m[2])];
    } else {
      // The selector is the publisher's: "constructor" must not find Object.prototype's (docs/security.md §3).
      if (!isJsonObject(current) || !Object.hasOwn(current, step)) return false;
      current = current[step];
    }
    if (current === undefined) return false;
  }
  return true;
}

export function checkGranularMarkings(object: JsonObject): string[] {
  const markings = object.granular_markings;
  if (!Array.isArray(markings)) return [];
  const reasons: string[] = [];
  markings.forEach((marking: unknown, index) => {
    if (!isJsonObject(marking)) return;
    const at = `/granular_markings/${index}`;
    if (has(marking, 'lang') === has(marking, 'marking_ref')) {
      reasons.push(`${at}: must have exactly one of lang and marking_ref`);
    }
    if (typeof marking.marking_ref === 'string' && typeof object.id === 'string' && canonicalId(marking.marking_ref) === canonicalId(object.id)) {
      reasons.push(`${at}/marking_ref: must not refer to this marking definition itself`);
    }
    const selectors = marking.selectors;
    if (!Array.isArray(selectors)) return;
    selectors.forEach((selector: unknown, s) => {
      if (typeof selector === 'string' && !selectorResolves(object, selector)) {
        reasons.push(`${at}/selectors/${s}: must select a property present in this object (got ${quote(selector)})`);
      }
    });
  });
  return reasons;
}

// RFC 5646 language tag, syntax only (language, script, region, variants, extensions, private use).
const LANGUAGE_TAG_RE =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+)$/i;

export function isLanguageTag(value: string): boolean {
  return LANGUAGE_TAG_RE.test(value);
}

export function checkLanguages(object: JsonObject): string[] {
  const reasons: string[] = [];
  const lang = stringAt(object, 'lang');
  if (lang !== undefined && !isLanguageTag(lang)) reasons.push(`/lang: must be an RFC 5646 language tag (got ${quote(lang)})`);
  const markings = object.granular_markings;
  if (Array.isArray(markings)) {
    markings.forEach((marking: unknown, index) => {
      const tag = isJsonObject(marking) ? stringAt(marking, 'lang') : undefined;
      if (tag !== undefined && !isLanguageTag(tag)) {
        reasons.push(`/granular_markings/${index}/lang: must be an RFC 5646 language tag (got ${quote(tag)})`);
      }
    });
  }
  return reasons;
}
