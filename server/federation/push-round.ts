import type { AuditLog } from '../storage/audit-log';
import type { PushOutbox, PushRefusal, PushTargetKey } from '../storage/push-outbox';
import type { ObjectRepository, StoredVersion } from '../storage/repository';
import { EnvelopeSplitter } from '../taxii/envelope-splitter';
import { isSettled, type StatusResource } from '../taxii/status-reader';
import { ALL_VERSIONS } from '../taxii/versions';
import { RemoteError, type PushRemote } from './push-remote';

export interface PushRoundSettings {
  /** Versions read from the collection per page. */
  pageSize: number;
  /** Pages per round: a long backlog is sent over several rounds, so a stop never waits long. */
  pagesPerRound: number;
  /** At most this many objects in one envelope, whatever the remote's byte limit. */
  maxObjectsPerEnvelope: number;
  /** A pending status (TAXII 2.1 §4.3) is polled this long in all before the envelope counts as delivered. */
  statusWaitMs: number;
  statusFirstDelayMs: number;
}

export interface PushRoundContext {
  key: PushTargetKey;
  objects: ObjectRepository;
  outbox: PushOutbox;
  audit: AuditLog;
  remote: PushRemote;
  settings: PushRoundSettings;
  /** Below the remote's max_content_length after it answered 413 to a smaller envelope (a proxy's limit); kept by the scheduler. */
  byteCap: { bytes?: number };
  /** Renews the target's lease; false when another process holds it now, and this round must stop. */
  stillHolder: () => Promise<boolean>;
  stopped: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

export interface PushRoundOutcome {
  sent: number;
  refused: number;
  /** More versions wait after this round: the next one should start at once. */
  more: boolean;
}

/** The smallest envelope size a 413 can bring the cap down to. */
const MIN_ENVELOPE_BYTES = 1024;

interface Batch {
  body: string;
  bytes: number;
  versions: StoredVersion[];
}

const sizeRefusal = (version: StoredVersion, bytes: number, limit: number, at: Date): PushRefusal => ({
  id: version.id,
  version: version.version,
  dateAdded: version.dateAdded,
  reason: `${bytes} bytes: larger than the remote's max_content_length (${limit}) allows in one envelope`,
  at,
});

/**
 * The page's versions cut into envelopes under the limit. A version no envelope can carry becomes a
 * refusal and rides along with its neighbours' batch (not in its body), so the cursor passes it.
 */
function envelopesOf(records: StoredVersion[], maxBytes: number, maxObjects: number, refusals: Map<StoredVersion, PushRefusal>): Batch[] {
  const splitter = new EnvelopeSplitter({ maxBytes, maxObjects });
  const batches: Batch[] = [];
  let filling: StoredVersion[] = [];
  for (const record of records) {
    const json = record.stix ?? '';
    const bytes = Buffer.byteLength(json);
    if (bytes > splitter.maxObjectBytes) {
      refusals.set(record, sizeRefusal(record, bytes, maxBytes, new Date()));
      filling.push(record);
      continue;
    }
    const closed = splitter.add(record.id, json, bytes);
    if (closed) {
      batches.push({ body: closed.body, bytes: closed.bytes, versions: filling });
      filling = [];
    }
    filling.push(record);
  }
  const last = splitter.flush();
  if (last || filling.length > 0) batches.push({ body: last?.body ?? '', bytes: last?.bytes ?? 0, versions: filling });
  return batches;
}

async function settle(context: PushRoundContext, first: StatusResource): Promise<StatusResource> {
  let status = first;
  let delay = context.settings.statusFirstDelayMs;
  const deadline = Date.now() + context.settings.statusWaitMs;
  while (!isSettled(status) && Date.now() + delay <= deadline && !context.stopped()) {
    await context.sleep(delay);
    delay = Math.min(delay * 2, 5_000);
    status = await context.remote.status(first.id);
  }
  return status;
}

/** The remote's failures, matched to the versions sent: each becomes a refusal, never sent again. */
function refusalsFrom(status: StatusResource, versions: StoredVersion[], at: Date): PushRefusal[] {
  const refusals: PushRefusal[] = [];
  for (const failure of status.failures) {
    const version = versions.find((candidate) => candidate.id === failure.id && (failure.version === undefined || candidate.version === failure.version))
      ?? versions.find((candidate) => candidate.id === failure.id);
    if (!version) continue;
    refusals.push({ id: version.id, version: version.version, dateAdded: version.dateAdded, reason: `the remote refused it: ${failure.message ?? 'no reason given'}`, at });
  }
  return refusals;
}

/**
 * Sends the versions after the target's cursor, envelope by envelope, and moves the cursor past
 * each envelope only once the remote has answered it: a crash before that re-sends the envelope,
 * which TAXII 2.1 §5.5 answers as a success for a version already held (at least once, never lost).
 */
export async function pushRound(context: PushRoundContext, maxContentLength: number): Promise<PushRoundOutcome> {
  const { key, settings } = context;
  const outcome: PushRoundOutcome = { sent: 0, refused: 0, more: false };
  const maxBytes = Math.min(maxContentLength, context.byteCap.bytes ?? maxContentLength);
  for (let pageNumber = 0; pageNumber < settings.pagesPerRound; pageNumber += 1) {
    const cursor = (await context.outbox.state(key))?.cursor ?? 0;
    const page = await context.objects.page({
      collectionId: key.collectionId,
      filter: { versions: ALL_VERSIONS, ...(cursor > 0 && { addedAfter: cursor }) },
      limit: settings.pageSize,
      withContent: true,
    });
    if (page.records.length === 0) return outcome;
    const refusals = new Map<StoredVersion, PushRefusal>();
    for (const batch of envelopesOf(page.records, maxBytes, settings.maxObjectsPerEnvelope, refusals)) {
      if (context.stopped() || !(await context.stillHolder())) return { ...outcome, more: true };
      const at = new Date();
      const tooLarge = batch.versions.flatMap((version) => refusals.get(version) ?? []);
      const refused = [...tooLarge, ...(batch.body === '' ? [] : await deliver(context, batch, at))];
      const last = batch.versions[batch.versions.length - 1];
      const sentIds = batch.versions.filter((version) => !refused.some((refusal) => refusal.id === version.id && refusal.version === version.version));
      // Audited before the cursor moves: a crash in between audits a re-send twice, never a disclosure not at all.
      await context.audit.record({
        at,
        action: 'objects.push',
        collectionId: key.collectionId,
        objectIds: [...new Set(sentIds.map((version) => version.id))],
        details: { remote: key.remoteUrl, sent: sentIds.length, refused: refused.length },
      });
      await context.outbox.advance(key, { cursor: last?.dateAdded ?? cursor, sent: sentIds.length, refusals: refused, at });
      outcome.sent += sentIds.length;
      outcome.refused += refused.length;
    }
    if (!page.more) return outcome;
  }
  return { ...outcome, more: true };
}

/** Posts one envelope and returns the versions the remote refused. */
async function deliver(context: PushRoundContext, batch: Batch, at: Date): Promise<PushRefusal[]> {
  let status: StatusResource;
  try {
    status = await settle(context, await context.remote.post(batch.body));
  } catch (error) {
    if (error instanceof RemoteError && error.status === 413) {
      // Something between us and the remote allows less than its API root announced.
      if (batch.versions.length === 1) {
        const [only] = batch.versions;
        if (only) return [{ id: only.id, version: only.version, dateAdded: only.dateAdded, reason: `the remote answered 413 to it alone (${batch.bytes} bytes)`, at }];
      }
      // Never below what an envelope of one small object needs (the splitter refuses less).
      context.byteCap.bytes = Math.max(MIN_ENVELOPE_BYTES, Math.floor(batch.bytes / 2));
    }
    throw error;
  }
  return refusalsFrom(status, batch.versions, at);
}
