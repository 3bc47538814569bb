import type { Principal } from '../auth/principal';
import { ALL_MEMBERS, type CollectionConfig } from '../config/types';

/** What a route needs from a collection. `see`: the collection resource itself; `delete` needs read and write (checklist X-01). */
export type CollectionAction = 'see' | 'read' | 'write' | 'delete';

export interface CollectionRights {
  canRead: boolean;
  canWrite: boolean;
}

export type Decision =
  | { allow: true }
  /** `hide`: answer exactly as for a collection that does not exist (TAXII 2.1 §1.6.9). */
  | { allow: false; hide: boolean; reason: string };

/** The owner's members read and write; everyone else has what the owner's grants give them, and nothing more. */
export function rightsOn(principal: Principal, collection: CollectionConfig): CollectionRights {
  if (collection.owner === principal.organisation) return { canRead: true, canWrite: true };
  const rights = { canRead: false, canWrite: false };
  for (const grant of collection.grants) {
    if (grant.organisation !== principal.organisation && grant.organisation !== ALL_MEMBERS) continue;
    rights.canRead ||= grant.read;
    rights.canWrite ||= grant.write;
  }
  return rights;
}

export function canSee(rights: CollectionRights): boolean {
  return rights.canRead || rights.canWrite;
}

export function decide(principal: Principal, action: CollectionAction, collection: CollectionConfig): Decision {
  const rights = rightsOn(principal, collection);
  if (!canSee(rights)) return { allow: false, hide: true, reason: 'no grant on this collection' };
  const needsRead = action === 'read' || action === 'delete';
  const needsWrite = action === 'write' || action === 'delete';
  if (needsRead && !rights.canRead) {
    return { allow: false, hide: false, reason: `${principal.organisation} may not read this collection` };
  }
  if (needsWrite && !rights.canWrite) {
    return { allow: false, hide: false, reason: `${principal.organisation} may not write to this collection` };
  }
  return { allow: true };
}
