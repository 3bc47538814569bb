import type { AllianceConfig } from '../config/types';
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
  // Identities in collections/*.yaml are lower case (the config schema says so); compare the ref in that form (issue 10.2).
  const canonical = canonicalId(ref);
  const owner = config.organisations.find((organisation) => organisation.identities?.includes(canonical));
  if (owner?.id === publisher) return undefined;
  if (owner) return `/created_by_ref: ${ref} is an identity of ${owner.id}, not of the publisher ${publisher}`;
  const own = config.organisations.find((organisation) => organisation.id === publisher)?.identities ?? [];
  if (own.length === 0) return undefined;
  return `/created_by_ref: ${ref} is not one of ${publisher}'s identities (${own.join(', ')})`;
}
