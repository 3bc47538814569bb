import { decide } from '../policy/access-policy';
import { canonicalId } from '../stix/identifiers';
import type { NewVersion, StatusDetail } from '../storage/repository';
import { instantKey, microsToTimestamp } from '../taxii/timestamps';
import { admitPostedObject, storedDetail, type Candidate, type EnvelopeScope } from './add-objects';
import { collectionActionRecord } from './audit-records';
import type { CollectionRequest, TaxiiContext } from './context';
import type { IngestBatch } from './ingest-batch';

export interface BatchPosition {
  statusId: string;
  batch: number;
  /** Index in the envelope of the batch's first object. */
  offset: number;
  /** Objects in the whole envelope. */
  total: number;
  /** The first batch of a resumed envelope: its audit record may exist already. */
  resumed: boolean;
}

export const FOREIGN_VERSION_REASON =
  'refused: another organisation first published this object in this collection, and only an object\'s creator may publish new versions of it (STIX 2.1 §3.6)';

/**
 * STIX 2.1 §3.6: only the creator of an object makes new versions of it. In a collection that
 * refuses foreign versions (the default), the organisation that first published an id there owns
 * it; a version from anyone else becomes a failure instead of superseding the owner's object.
 */
async function ownedByThisPublisher(context: TaxiiContext, request: CollectionRequest, candidates: Candidate[], failures: StatusDetail[], requestTimestamp: string): Promise<Candidate[]> {
  if (request.collection.foreignVersions === 'allow' || candidates.length === 0) return candidates;
  const held = await context.objects.ownership(request.collection.id, candidates.map((candidate) => candidate.id));
  return candidates.filter((candidate) => {
    const object = held.get(candidate.id);
    if (object === undefined || object.firstPublisher === request.principal.organisation) return true;
    // A version already held is a duplicate, answered like a fresh one to a write-only publisher
    // (docs/security.md, class 1); only a new version would supersede the owner's object.
    if (object.versionKeys.has(candidateVersionKey(candidate))) return true;
    failures.push({ id: candidate.sentId, version: candidate.version ?? requestTimestamp, message: FOREIGN_VERSION_REASON });
    return false;
  });
}

function candidateVersionKey(candidate: Candidate): string {
  return candidate.version ? (instantKey(candidate.version) ?? candidate.version) : '';
}

/** Whether a batch's audit record was written before the process that wrote it died. */
async function alreadyAudited(context: TaxiiContext, request: CollectionRequest, position: BatchPosition): Promise<boolean> {
  const records = await context.audit.query({ collectionIds: [request.collection.id], actions: ['objects.add'], limit: 10_000 });
  return records.some((record) => record.details?.statusId === position.statusId && record.details.batch === position.batch);
}

/**
 * One batch of an envelope: each object screened (size and depth limits, validity, TLP ceiling,
 * creator), the accepted ones stored in one write turn, and one audit record naming them.
 * Re-posting a version already held is a success that keeps the first copy; only a publisher that
 * may read the collection is told it was held (docs/security.md).
 */
export async function storeBatch(
  context: TaxiiContext,
  request: CollectionRequest,
  batch: IngestBatch,
  scope: EnvelopeScope,
  position: BatchPosition,
): Promise<{ successes: StatusDetail[]; failures: StatusDetail[] }> {
  const { principal, collection } = request;
  const mayRead = decide(principal, 'read', collection).allow;
  const failures: StatusDetail[] = [];
  const candidates: Candidate[] = [];
  batch.items.forEach((item, index) => {
    const refused = batch.refused.get(index);
    if (refused) {
      failures.push(refused);
      return;
    }
    const result = admitPostedObject(context, request, item, position.offset + index, scope);
    if ('accepted' in result) candidates.push(result.accepted);
    else failures.push(result.rejected);
  });

  const successes = await context.writeTurns.run(collection.id, async (clock) => {
    // Inside the turn, so two organisations cannot both be first with the same new id.
    const owned = await ownedByThisPublisher(context, request, candidates, failures, scope.requestTimestamp);
    const versions: NewVersion[] = owned.map((candidate) => {
      const dateAdded = clock.next();
      return {
        collectionId: collection.id,
        id: candidate.id,
        type: candidate.type,
        specVersion: candidate.specVersion,
        // An SCO has no version of its own; its first copy's date_added stands in (checklist Y-01).
        version: candidate.version ?? microsToTimestamp(dateAdded),
        versionKey: candidateVersionKey(candidate),
        dateAdded,
        publishedBy: { organisation: principal.organisation, username: principal.username },
        stix: candidate.stix,
      };
    });
    const outcomes = await context.objects.insertVersions(versions);
    return versions.map((version, index): StatusDetail => storedDetail(owned[index], version, outcomes[index], mayRead));
  });

  if (!(position.resumed && (await alreadyAudited(context, request, position)))) {
    await context.audit.record(collectionActionRecord(request, 'objects.add', {
      objectIds: [...new Set(successes.map((success) => canonicalId(success.id)))],
      details: { statusId: position.statusId, batch: position.batch, total: position.total, accepted: successes.length, rejected: failures.length },
    }));
  }
  return { successes, failures };
}
