import { UnprocessableEntity } from '../errors';

/**
 * The objects of a POST body: a TAXII envelope (§3.7), or a STIX bundle as python-stix2's
 * TAXIICollectionSink sends, whose `type` and `id` are ignored (checklist A-03).
 */
export function envelopeObjects(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UnprocessableEntity('The body must be a TAXII envelope: a JSON object with an "objects" list.');
  }
  const objects = (body as { objects?: unknown }).objects;
  if (!Array.isArray(objects)) throw new UnprocessableEntity('The envelope has no "objects" list.');
  // An empty list would give a status with total_count 0, which §4.3.1 reserves for "not started".
  if (objects.length === 0) throw new UnprocessableEntity('The envelope\'s "objects" list is empty.');
  return objects;
}
