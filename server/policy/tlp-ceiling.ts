import type { CollectionConfig } from '../config/types';
import { canonicalId } from '../stix/identifiers';
import { claimedTlpLevel, moreRestrictive, TLP_ORDER, tlpLevelOfMarkingRef, type TlpLevel } from '../stix/markings';

/** What the marking definitions of one envelope claim, by canonical id (docs/security.md §2). */
export type MarkingClaims = ReadonlyMap<string, TlpLevel>;

const NO_CLAIMS: MarkingClaims = new Map();

function label(level: TlpLevel): string {
  return `TLP:${level.toUpperCase()}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every marking an object carries: object-level and granular (a TLP:RED paragraph makes the object TLP:RED to share). */
function markingRefs(object: Record<string, unknown>): string[] {
  const refs: string[] = [];
  if (Array.isArray(object.object_marking_refs)) refs.push(...object.object_marking_refs.filter((ref): ref is string => typeof ref === 'string'));
  if (Array.isArray(object.granular_markings)) {
    for (const marking of object.granular_markings) {
      const ref = isRecord(marking) ? marking.marking_ref : undefined;
      if (typeof ref === 'string') refs.push(ref);
    }
  }
  return refs;
}

/**
 * The TLP level each marking definition of an envelope claims, valid or not: an object that refers
 * to a definition claiming TLP:RED is TLP:RED, whether or not the definition itself is accepted.
 */
export function envelopeMarkingClaims(items: readonly unknown[]): MarkingClaims {
  const claims = new Map<string, TlpLevel>();
  for (const item of items) {
    if (!isRecord(item) || item.type !== 'marking-definition' || typeof item.id !== 'string') continue;
    const level = claimedTlpLevel(item);
    const id = canonicalId(item.id);
    const combined = moreRestrictive(claims.get(id), level);
    if (combined !== undefined) claims.set(id, combined);
  }
  return claims;
}

/** One of the nine published TLP definitions, claiming exactly its own level: it carries nothing but the standard text. */
function isPublishedTlpDefinition(object: Record<string, unknown>, claimed: TlpLevel): boolean {
  return typeof object.id === 'string' && tlpLevelOfMarkingRef(object.id) === claimed;
}

function aboveCeiling(level: TlpLevel, collection: CollectionConfig): boolean {
  return collection.maxTlp !== undefined && TLP_ORDER.indexOf(level) > TLP_ORDER.indexOf(collection.maxTlp);
}

/**
 * Why an object may not enter a collection under its TLP ceiling (docs/access-model.md, TAXII access), as status-failure
 * reasons; empty when it may. The most restrictive TLP marking counts, whether a reference names
 * one of the nine TLP ids in any spelling or a definition in the same envelope that claims a level
 * (docs/security.md §2). A marking definition that claims a level is itself held to the ceiling, unless it
 * is one of the published TLP definitions. Marking definitions carry no intelligence of their own,
 * so the `unmarked: reject` rule leaves them alone.
 */
export function tlpCeilingReasons(object: Record<string, unknown>, collection: CollectionConfig, claims: MarkingClaims = NO_CLAIMS): string[] {
  const reasons: string[] = [];
  if (object.type === 'marking-definition') {
    const claimed = claimedTlpLevel(object);
    if (claimed !== undefined && !isPublishedTlpDefinition(object, claimed) && aboveCeiling(claimed, collection)) {
      reasons.push(`/: ${label(claimed)} is above this collection's ceiling ${label(collection.maxTlp ?? claimed)} (the level this marking definition claims)`);
    }
  }
  const levels = markingRefs(object)
    .map((ref) => moreRestrictive(tlpLevelOfMarkingRef(ref), claims.get(canonicalId(ref))))
    .filter((level): level is TlpLevel => level !== undefined);
  if (levels.length === 0) {
    if (collection.unmarked === 'reject' && object.type !== 'marking-definition') {
      reasons.push('/object_marking_refs: this collection accepts only objects with a TLP marking');
    }
    return reasons;
  }
  const highest = levels.reduce((a, b) => moreRestrictive(a, b) ?? a);
  if (aboveCeiling(highest, collection)) {
    reasons.push(`/object_marking_refs: ${label(highest)} is above this collection's ceiling ${label(collection.maxTlp ?? highest)}`);
  }
  return reasons;
}
