import { randomUUID } from 'node:crypto';
import { decide } from '../policy/access-policy';
import { createdByFinding } from '../policy/created-by-check';
import { envelopeMarkingClaims, tlpCeilingReasons, type MarkingClaims } from '../policy/tlp-ceiling';
import { canonicalId } from '../stix/identifiers';
import { depthReason } from '../stix/limits';
import type { InsertOutcome, NewVersion, StatusDetail, StatusRecord } from '../storage/repository';
import { detailId, detailVersion, failureMessage, listedFailures } from '../taxii/status-details';
import { instantKey, microsToTimestamp } from '../taxii/timestamps';
import { versionOf } from '../taxii/versions';
import { DEFAULT_SIZE_LIMITS, type CollectionRequest, type TaxiiContext } from './context';
import { envelopeObjects } from './envelope-objects';

interface Candidate {
  /** Canonical (issue 10.2): the key a version is stored and found under, so spelling makes no second object. */
  id: string;
  /** As the publisher spelt it: the status names objects the way they were sent. */
  sentId: string;
  type: string;
  specVersion: string;
  version?: string;
  stix: string;
  /** Accepted, but the publisher should hear about it (a created_by_ref finding in `warn` mode). */
  warning?: string;
}

type Screening = { accepted: Candidate } | { rejected: StatusDetail };

/** What holds for every object of one envelope. */
interface EnvelopeScope {
  requestTimestamp: string;
  maxObjectBytes: number;
  /** TLP levels claimed by the envelope's own marking definitions (issue 10.2). */
  claims: MarkingClaims;
}

/**
 * Limits checked before STIX validation (issue 10.3): nesting first, because JSON.stringify and the
 * validator recurse, then size, on the very text that would be stored. Returns the reason or the text.
 */
function limitCheck(object: Record<string, unknown>, maxObjectBytes: number): { reason: string } | { stix: string } {
  const tooDeep = depthReason(object);
  if (tooDeep !== undefined) return { reason: tooDeep };
  const stix = JSON.stringify(object);
  const bytes = Buffer.byteLength(stix);
  if (bytes > maxObjectBytes) return { reason: `/: the object is ${bytes} bytes of JSON; this server accepts at most ${maxObjectBytes} bytes per object` };
  return { stix };
}

function screen(
  context: TaxiiContext,
  { principal, root, collection }: CollectionRequest,
  item: unknown,
  index: number,
  scope: EnvelopeScope,
): Screening {
  const object = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
  const id = detailId(object?.id, index);
  const version = object ? versionOf(object) : undefined;
  const limited = object ? limitCheck(object, scope.maxObjectBytes) : undefined;
  const verdict = limited && 'reason' in limited
    ? { valid: false as const, reasons: [limited.reason] }
    : context.validator.validate(item, { strictTypes: root.strictTypes });
  const reasons = verdict.valid ? [] : [...verdict.reasons];
  // The ceiling is policy, not STIX validity: checked only once the object is known to be valid.
  if (object && reasons.length === 0) reasons.push(...tlpCeilingReasons(object, collection, scope.claims));
  const finding = object && reasons.length === 0 && root.createdByCheck && root.createdByCheck !== 'off'
    ? createdByFinding(object, principal.organisation, context.config)
    : undefined;
  if (finding && root.createdByCheck === 'reject') reasons.push(finding);
  if (!object || !limited || 'reason' in limited || reasons.length > 0) {
    // status-details need a version (§4.3.1); an object that has none gets the request's time.
    return { rejected: { id, version: detailVersion(version, scope.requestTimestamp), message: failureMessage(reasons) || 'not a JSON object' } };
  }
  const specVersion = typeof object.spec_version === 'string' ? object.spec_version : version ? '2.0' : '2.1';
  // A valid object has a string id; the validator said so.
  const sentId = String(object.id);
  const accepted: Candidate = { id: canonicalId(sentId), sentId, type: String(object.type), specVersion, version, stix: limited.stix };
  if (finding) accepted.warning = finding;
  return { accepted };
}

/**
 * The status detail of one stored or already-held version. To a publisher that may not read the
 * collection, a version already held must look exactly like a fresh one (issue 10.1): no message,
 * and the version it sent, not the one held (whose spelling or, for an SCO, date_added would tell).
 * The same fields are computed on both paths, so neither is measurably faster.
 */
function storedDetail(candidate: Candidate | undefined, version: NewVersion, outcome: InsertOutcome | undefined, mayRead: boolean): StatusDetail {
  const id = candidate?.sentId ?? version.id;
  const warning = candidate?.warning;
  const fresh: StatusDetail = warning ? { id, version: version.version, message: `Accepted with a warning: ${warning}` } : { id, version: version.version };
  if (!outcome || outcome.inserted || !mayRead) return fresh;
  const message =
    outcome.existingStix === version.stix
      ? 'This version is already held; nothing changed.'
      : 'This version is already held with different content; the first copy is kept.';
  return { id, version: outcome.existingVersion, message };
}

/**
 * TAXII 2.1 §5.5: every object gets its own verdict; invalid ones become failures with reasons
 * and never sink the rest. Re-posting a version already held is a success that keeps the first copy.
 */
export async function addObjects(
  context: TaxiiContext,
  request: CollectionRequest,
  body: unknown,
): Promise<StatusRecord> {
  const { principal, root, collection } = request;
  const items = envelopeObjects(body);
  const requestTimestamp = microsToTimestamp(Date.now() * 1000);
  const scope: EnvelopeScope = {
    requestTimestamp,
    maxObjectBytes: (context.limits ?? DEFAULT_SIZE_LIMITS).maxObjectBytes,
    claims: envelopeMarkingClaims(items),
  };
  // Decided once, by the access policy: only a reader may hear what the collection already holds (issue 10.1).
  const mayRead = decide(principal, 'read', collection).allow;
  const failures: StatusDetail[] = [];
  const candidates: Candidate[] = [];
  items.forEach((item, index) => {
    const result = screen(context, request, item, index, scope);
    if ('accepted' in result) candidates.push(result.accepted);
    else failures.push(result.rejected);
  });

  const successes = await context.ingestLock.run(collection.id, async () => {
    const versions: NewVersion[] = candidates.map((candidate) => {
      const dateAdded = context.clock.next();
      return {
        collectionId: collection.id,
        id: candidate.id,
        type: candidate.type,
        specVersion: candidate.specVersion,
        // An SCO has no version of its own; its first copy's date_added stands in (checklist Y-01).
        version: candidate.version ?? microsToTimestamp(dateAdded),
        versionKey: candidate.version ? (instantKey(candidate.version) ?? candidate.version) : '',
        dateAdded,
        publishedBy: { organisation: principal.organisation, username: principal.username },
        stix: candidate.stix,
      };
    });
    const outcomes = await context.objects.insertVersions(versions);
    return versions.map((version, index): StatusDetail => storedDetail(candidates[index], version, outcomes[index], mayRead));
  });

  const status: StatusRecord = {
    id: randomUUID(),
    apiRoot: root.path,
    collectionId: collection.id,
    organisation: principal.organisation,
    status: 'complete',
    requestTimestamp,
    totalCount: items.length,
    successes,
    // Summarised past a bound, so the status can always be stored; failure_count stays exact (issue 10.3).
    failures: listedFailures(failures),
    pendings: [],
    expiresAt: new Date(Date.now() + context.statusRetentionHours * 3600 * 1000),
  };
  await context.statuses.save(status);
  await context.audit.record({
    at: new Date(),
    action: 'objects.add',
    username: principal.username,
    organisation: principal.organisation,
    apiRoot: root.path,
    collectionId: collection.id,
    objectIds: [...new Set(successes.map((success) => success.id))],
    requestId: request.requestId,
    details: { statusId: status.id, total: items.length, accepted: successes.length, rejected: failures.length },
  });
  return status;
}
