import type { AllianceConfig, ApiRootConfig, CollectionConfig, CreatedByCheck } from '../config/types';
import { canonicalId } from '../stix/identifiers';

/**
 * Whether an object's `created_by_ref` names the publishing organisation (docs/access-model.md). An identity
 * another partner declared is always a finding: publishing in a partner's name. An identity nobody
 * declared is one only when the publisher declared identities of its own, since partners re-share
 * third parties' intelligence (MITRE's, a vendor's) all the time. Returns the finding, or undefined.
 */
export function createdByFinding(object: Record<string, unknown>, publisher: string, config: AllianceConfig): string | undefined {
  const ref = object.created_by_ref;
  if (typeof ref !== 'string') return undefined;
  // Identities in collections/*.yaml are lower case (the config schema says so); compare the ref in that form (docs/security.md §2).
  const canonical = canonicalId(ref);
  const owner = config.organisations.find((organisation) => organisation.identities?.includes(canonical));
  if (owner?.id === publisher) return undefined;
  if (owner) return `/created_by_ref: ${ref} is an identity of ${owner.id}, not of the publisher ${publisher}`;
  const own = config.organisations.find((organisation) => organisation.id === publisher)?.identities ?? [];
  if (own.length === 0) return undefined;
  return `/created_by_ref: ${ref} is not one of ${publisher}'s identities (${own.join(', ')})`;
}

/** Whether the object's `created_by_ref` names an identity another partner declared: publishing in its name. */
export function namesAnotherPartner(object: Record<string, unknown>, publisher: string, config: AllianceConfig): boolean {
  const ref = object.created_by_ref;
  if (typeof ref !== 'string') return false;
  const owner = config.organisations.find((organisation) => organisation.identities?.includes(canonicalId(ref)));
  return owner !== undefined && owner.id !== publisher;
}

/**
 * How an API root's created_by_ref rule applies to one collection. A root that states its rule
 * applies it everywhere. A root that does not checks nothing in a collection only its owner writes,
 * and in a shared pool (a collection other organisations may write to) refuses an object that names
 * another partner's identity as its creator, while only warning about an identity nobody declared:
 * partners re-share third parties' intelligence (FIRST's TLP definitions, MITRE's ATT&CK) all the time.
 */
export function createdByMode(root: ApiRootConfig, collection: CollectionConfig): CreatedByCheck | 'shared-pool' {
  if (root.createdByCheck !== undefined) return root.createdByCheck;
  const sharedPool = collection.grants.some((grant) => grant.write && grant.organisation !== collection.owner);
  return sharedPool ? 'shared-pool' : 'off';
}
