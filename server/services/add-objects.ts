import { randomUUID } from 'node:crypto';
import { createdByFinding } from '../policy/created-by-check';
import { tlpCeilingReasons } from '../policy/tlp-ceiling';
import type { StatusDetail, StatusRecord } from '../storage/repository';
import { microsToTimestamp } from '../taxii/timestamps';
import { versionOf } from '../taxii/versions';
import type { CollectionRequest, TaxiiContext } from './context';
import { envelopeObjects } from './envelope-objects';

export interface Candidate {
  id: string;
  type: string;
  specVersion: string;
  version?: string;
  stix: string;
  /** Accepted, but the publisher should hear about it (a created_by_ref finding in `warn` mode). */
  warning?: string;
}

export type Screening = { accepted: Candidate } | { rejected: StatusDetail };

export function screen(
  context: TaxiiContext,
  { principal, root, collection }: CollectionRequest,
  item: unknown,
  index: number,
  requestTimestamp: string,
): Screening {
  const object = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
  const id = typeof object?.id === 'string' ? object.id : `objects[${index}]`;
  const version = object ? versionOf(object) : undefined;
  const verdict = context.validator.validate(item, { strictTypes: root.strictTypes });
  const reasons = verdict.valid ? [] : [...verdict.reasons];
  // The ceiling is policy, not STIX validity: checked only once the object is known to be valid.
  if (object && reasons.length === 0) reasons.push(...tlpCeilingReasons(object, collection));
  const finding = object && reasons.length === 0 && root.createdByCheck && root.createdByCheck !== 'off'
    ? createdByFinding(object, principal.organisation, context.config)
    : undefined;
  if (finding && root.createdByCheck === 'reject') reasons.push(finding);
  if (!object || reasons.length > 0) {
    // status-details need a version (§4.3.1); an object that has none gets the request's time.
    return { rejected: { id, version: version ?? requestTimestamp, message: reasons.join('; ') || 'not a JSON object' } };
  }
  const specVersion = typeof object.spec_version === 'string' ? object.spec_version : version ? '2.0' : '2.1';
  const accepted: Candidate = { id, type: String(object.type), specVersion, version, stix: JSON.stringify(object) };
  if (finding) accepted.warning = finding;
  return { accepted };
}

/** Objects per stored batch: one write turn, one status save and one audit record each. */
export const INGEST_BATCH_SIZE = 1000;

function pendingOf(item: unknown, index: number, requestTimestamp: string): StatusDetail {
  const object = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
  const id = typeof object?.id === 'string' ? object.id : `objects[${index}]`;
  return { id, version: (object && versionOf(object)) ?? requestTimestamp };
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
    pendings: items.map((item, index) => pendingOf(item, index, requestTimestamp)),
    expiresAt: new Date(receivedAt.getTime() + context.statusRetentionHours * 3600 * 1000),
  };
  const batches: string[] = [];
  for (let start = 0; start < items.length; start += INGEST_BATCH_SIZE) batches.push(JSON.stringify(items.slice(start, start + INGEST_BATCH_SIZE)));
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
