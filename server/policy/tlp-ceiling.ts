import type { CollectionConfig } from '../config/types';
import { TLP_ORDER, tlpLevelOfMarkingRef, type TlpLevel } from '../stix/markings';

function label(level: TlpLevel): string {
  return `TLP:${level.toUpperCase()}`;
}

/** Every marking an object carries: object-level and granular (a TLP:RED paragraph makes the object TLP:RED to share). */
function markingRefs(object: Record<string, unknown>): string[] {
  const refs: string[] = [];
  if (Array.isArray(object.object_marking_refs)) refs.push(...object.object_marking_refs.filter((ref): ref is string => typeof ref === 'string'));
  if (Array.isArray(object.granular_markings)) {
    for (const marking of object.granular_markings) {
      const ref = typeof marking === 'object' && marking !== null ? (marking as { marking_ref?: unknown }).marking_ref : undefined;
      if (typeof ref === 'string') refs.push(ref);
    }
  }
  return refs;
}

/**
 * Why an object may not enter a collection under its TLP ceiling (docs/access-model.md), as status-failure
 * reasons; empty when it may. The most restrictive TLP marking counts. Marking definitions
 * themselves carry no intelligence, so the `unmarked: reject` rule leaves them alone.
 */
export function tlpCeilingReasons(object: Record<string, unknown>, collection: CollectionConfig): string[] {
  const levels = markingRefs(object)
    .map(tlpLevelOfMarkingRef)
    .filter((level): level is TlpLevel => level !== undefined);
  if (levels.length === 0) {
    if (collection.unmarked === 'reject' && object.type !== 'marking-definition') {
      return ['/object_marking_refs: this collection accepts only objects with a TLP marking'];
    }
    return [];
  }
  if (!collection.maxTlp) return [];
  const highest = levels.reduce((a, b) => (TLP_ORDER.indexOf(a) >= TLP_ORDER.indexOf(b) ? a : b));
  if (TLP_ORDER.indexOf(highest) <= TLP_ORDER.indexOf(collection.maxTlp)) return [];
  return [`/object_marking_refs: ${label(highest)} is above this collection's ceiling ${label(collection.maxTlp)}`];
}
