import { randomUUID } from 'node:crypto';
import { createdByFinding, createdByMode, namesAnotherPartner } from '../policy/created-by-check';
import { tlpCeilingReasons, type MarkingClaims } from '../policy/tlp-ceiling';
import { canonicalId } from '../stix/identifiers';
import { depthReason } from '../stix/limits';
import type { InsertOutcome, NewVersion, StatusDetail, StatusRecord } from '../storage/repository';
import { detailId, detailVersion, failureMessage, MAX_LISTED_PENDINGS } from '../taxii/status-details';
import { microsToTimestamp } from '../taxii/timestamps';
import { versionOf } from '../taxii/versions';
import type { CollectionRequest, TaxiiContext } from './context';
import { envelopeObjects } from './envelope-objects';
import { encodeBatch } from './ingest-batch';

export interface Candidate {
  /** Canonical (docs/security.md §2): the key a version is stored and found under, so spelling makes no second object. */
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

export type Screening = { accepted: Candidate } | { rejected: StatusDetail };

/** What holds for every object of one envelope. */
export interface EnvelopeScope {
  requestTimestamp: string;
  maxObjectBytes: number;
  /** TLP levels claimed by the envelope's own marking definitions (docs/security.md §2). */
  claims: MarkingClaims;
}

/**
 * Limits checked before STIX validation (docs/security.md §3): nesting first, because JSON.stringify and the
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

/**
 * Decides whether one posted item may be stored: size and depth limits, STIX validity, the TLP
 * ceiling and the created_by_ref rule, in that order. A rejection carries the status detail to send.
 */
export function admitPostedObject(
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
  const createdBy = createdByMode(root, collection);
  const finding = object && reasons.length === 0 && createdBy !== 'off'
    ? createdByFinding(object, principal.organisation, context.config)
    : undefined;
  if (finding && (createdBy === 'reject' || (createdBy === 'shared-pool' && object && namesAnotherPartner(object, principal.organisation, context.config)))) reasons.push(finding);
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
 * collection, a version already held must look exactly like a fresh one (docs/security.md §1): no message,
 * and the version it sent, not the one held (whose spelling or, for an SCO, date_added would tell).
 * The same fields are computed on both paths, so neither is measurably faster.
 */
export function storedDetail(candidate: Candidate | undefined, version: NewVersion, outcome: InsertOutcome | undefined, mayRead: boolean): StatusDetail {
  const id = candidate?.sentId ?? version.id;
  const warning = candidate?.warning;
  const fresh: StatusDetail = warning ? { id, version: version.version, message: `Accepted with a warning: ${warning}` } : { id, version: version.version };
  if (!outcome || outcome.inserted || !mayRead) return fresh;
  const message =
    outcome.existingStix === version.stix
      ? `${ALREADY_HELD}; nothing changed.`
      : `${ALREADY_HELD} with different content; the first copy is kept.`;
  return { id, version: outcome.existingVersion, message };
}

const ALREADY_HELD = 'This version is already held';

/** Whether a success detail, as told to a publisher that may read the collection, is a duplicate (TAXII 2.1 §5.5). */
export function wasAlreadyHeld(detail: StatusDetail): boolean {
  return detail.message?.startsWith(ALREADY_HELD) === true;
}

/** Objects per stored batch: one write turn, one status save and one audit record each. */
export const INGEST_BATCH_SIZE = 1000;

/** How a status lists objects not yet processed: the id as sent (or its place) and the version it claims. */
export function pendingDetails(items: readonly unknown[], offset: number, requestTimestamp: string): StatusDetail[] {
  return items.slice(0, MAX_LISTED_PENDINGS).map((item, index) => {
    const object = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    return { id: detailId(object?.id, offset + index), version: detailVersion(object ? versionOf(object) : undefined, requestTimestamp) };
  });
}

/**
 * TAXII 2.1 §5.5: the envelope is stored durably with a `pending` status, and the ingest worker
 * (ingest-worker.ts) validates and stores it batch by batch; every object gets its own verdict,
 * and invalid ones become failures with reasons without sinking the rest. The answer waits for
 * the worker at most `waitMs` (the API's setting by default), so a small envelope is answered
 * `complete` and a large one `pending` in about the same time, whatever its size.
 */
export async function addObjects(
  context: TaxiiContext,
  request: CollectionRequest,
  body: unknown,
  options: { waitMs?: number } = {},
): Promise<StatusRecord> {
  const { principal, root, collection } = request;
  const items = envelopeObjects(body);
  const receivedAt = new Date();
  const requestTimestamp = microsToTimestamp(receivedAt.getTime() * 1000);
  const status: StatusRecord = {
    id: randomUUID(),
    apiRoot: root.path,
    collectionId: collection.id,
    organisation: principal.organisation,
    status: 'pending',
    requestTimestamp,
    totalCount: items.length,
    successes: [],
    failures: [],
    pendingCount: items.length,
    pendings: pendingDetails(items, 0, requestTimestamp),
    expiresAt: new Date(receivedAt.getTime() + context.statusRetentionHours * 3600 * 1000),
  };
  const batches: string[] = [];
  for (let start = 0; start < items.length; start += INGEST_BATCH_SIZE) batches.push(encodeBatch(items.slice(start, start + INGEST_BATCH_SIZE), start, requestTimestamp));
  // The status first: a worker of another process may pick the envelope up the moment it is queued.
  await context.statuses.save(status);
  await context.ingestQueue.enqueue(
    {
      id: status.id,
      apiRoot: root.path,
      collectionId: collection.id,
      organisation: principal.organisation,
      username: principal.username,
      requestId: request.requestId,
      receivedAt,
      objectCount: items.length,
      batchCount: batches.length,
    },
    batches,
  );
  context.ingest.accept(status.id, request);
  await context.ingest.waitFor(status.id, options.waitMs ?? context.ingestAnswerWaitMs);
  return (await context.statuses.find(root.path, status.id)) ?? status;
}
