import type { Principal } from '../auth/principal';
import type { CollectionConfig, FeedConfig } from '../config/types';
import { envelopeMarkingClaims } from '../policy/tlp-ceiling';
import { INGEST_BATCH_SIZE, wasAlreadyHeld, type EnvelopeScope } from '../services/add-objects';
import { DEFAULT_SIZE_LIMITS, type CollectionRequest, type TaxiiContext } from '../services/context';
import { storeBatch } from '../services/store-batch';
import type { StatusDetail } from '../storage/repository';
import { microsToTimestamp } from '../taxii/timestamps';

export interface MirroredPage {
  /** New versions stored. */
  stored: number;
  /** Versions already held: the remote sent them again (a repeated page, a restart, a reordering). */
  duplicates: number;
  rejected: StatusDetail[];
}

/** The provenance name of a feed: every version it stores is published by the owner as `feed:<id>`. */
export function feedPublisher(feed: FeedConfig): string {
  return `feed:${feed.id}`;
}

/**
 * The request a feed's objects are stored under: the collection's owner publishes, as the feed.
 * So mirrored objects take exactly the path of a POST (services/store-batch.ts): validation, size
 * and depth limits, the TLP ceiling, the created_by_ref rule, ownership of earlier versions,
 * provenance and the `objects.add` audit record.
 */
export function feedRequest(feed: FeedConfig, collection: CollectionConfig, root: CollectionRequest['root'], pageId: string): CollectionRequest {
  const principal: Principal = { username: feedPublisher(feed), organisation: collection.owner, role: 'member', authenticatedBy: { method: 'password' } };
  return { principal, root, collection, requestId: pageId };
}

/** Stores one page of a remote's objects, in batches as the ingest worker does; one verdict per object. */
export async function mirrorPage(context: TaxiiContext, request: CollectionRequest, objects: readonly unknown[], pageId: string): Promise<MirroredPage> {
  const scope: EnvelopeScope = {
    requestTimestamp: microsToTimestamp(Date.now() * 1000),
    maxObjectBytes: (context.limits ?? DEFAULT_SIZE_LIMITS).maxObjectBytes,
    claims: envelopeMarkingClaims(objects),
  };
  const result: MirroredPage = { stored: 0, duplicates: 0, rejected: [] };
  for (let offset = 0, batch = 0; offset < objects.length; offset += INGEST_BATCH_SIZE, batch += 1) {
    const items = objects.slice(offset, offset + INGEST_BATCH_SIZE);
    const outcome = await storeBatch(context, request, { items, refused: new Map() }, scope, { statusId: pageId, batch, offset, total: objects.length, resumed: false });
    for (const success of outcome.successes) {
      if (wasAlreadyHeld(success)) result.duplicates += 1;
      else result.stored += 1;
    }
    result.rejected.push(...outcome.failures);
  }
  return result;
}
