import type { CollectionConfig } from '../../config/types';
import type { ApplyOutcome } from '../../services/admin/config-apply';
import type { FeedStatus } from '../../services/admin/feeds';
import type { TokenSummary } from '../../services/admin/tokens';
import type { UserSummary } from '../../services/admin/users';
import type { AuditRecord } from '../../storage/audit-log';
import type { PublishedVersion } from '../../storage/provenance-repository';
import { microsToTimestamp } from '../../taxii/timestamps';

/** Wire shapes of the admin API: snake_case like TAXII's own resources, optional fields only when present. */

export function presentUser(user: UserSummary): Record<string, unknown> {
  return { username: user.username, organisation: user.organisation, role: user.role, disabled: user.disabled, created_at: user.createdAt.toISOString() };
}

export function presentToken(token: TokenSummary): Record<string, unknown> {
  return {
    token_id: token.tokenId,
    username: token.username,
    created_at: token.createdAt.toISOString(),
    ...(token.expiresAt && { expires_at: token.expiresAt.toISOString() }),
    ...(token.revokedAt && { revoked_at: token.revokedAt.toISOString() }),
    ...(token.label !== undefined && { label: token.label }),
  };
}

export function presentAuditRecord(record: AuditRecord): Record<string, unknown> {
  return {
    at: record.at.toISOString(),
    action: record.action,
    ...(record.username !== undefined && { username: record.username }),
    ...(record.organisation !== undefined && { organisation: record.organisation }),
    ...(record.apiRoot !== undefined && { api_root: record.apiRoot }),
    ...(record.collectionId !== undefined && { collection_id: record.collectionId }),
    ...(record.objectIds !== undefined && { object_ids: record.objectIds }),
    ...(record.requestId !== undefined && { request_id: record.requestId }),
    ...(record.details !== undefined && { details: record.details }),
  };
}

export function presentVersion(version: PublishedVersion): Record<string, unknown> {
  return {
    collection_id: version.collectionId,
    object_id: version.objectId,
    type: version.type,
    version: version.version,
    date_added: microsToTimestamp(version.dateAdded),
    published_by: { organisation: version.publishedBy.organisation, username: version.publishedBy.username },
  };
}

export function presentCollection(collection: CollectionConfig): Record<string, unknown> {
  return {
    id: collection.id,
    ...(collection.alias !== undefined && { alias: collection.alias }),
    title: collection.title,
    owner: collection.owner,
    api_root: collection.apiRoot,
    ...(collection.maxTlp !== undefined && { max_tlp: collection.maxTlp }),
    unmarked: collection.unmarked,
    grants: collection.grants.map((grant) => ({ organisation: grant.organisation, read: grant.read, write: grant.write })),
  };
}

export function presentApply(outcome: ApplyOutcome): Record<string, unknown> {
  return { changed: outcome.changed, revision: outcome.revision, diff: outcome.diff.lines, needs_restart: outcome.diff.needsRestart };
}

export function presentFeed(status: FeedStatus): Record<string, unknown> {
  const { feed, collection, state } = status;
  return {
    id: feed.id,
    collection_id: collection.id,
    ...(collection.alias !== undefined && { collection_alias: collection.alias }),
    owner: collection.owner,
    url: feed.url,
    poll_interval: feed.pollIntervalSeconds,
    health: status.health,
    ...(state?.cursor !== undefined && { cursor: state.cursor }),
    ...(state?.lastPollAt && { last_poll_at: state.lastPollAt.toISOString() }),
    ...(state?.lastSuccessAt && { last_success_at: state.lastSuccessAt.toISOString() }),
    ...(status.lagSeconds !== undefined && { lag_seconds: status.lagSeconds }),
    ...(state?.lastError && { last_error: { at: state.lastError.at.toISOString(), message: state.lastError.message } }),
    consecutive_failures: state?.consecutiveFailures ?? 0,
    objects_mirrored: state?.objectsMirrored ?? 0,
    objects_duplicate: state?.objectsDuplicate ?? 0,
    objects_rejected: state?.objectsRejected ?? 0,
  };
}
