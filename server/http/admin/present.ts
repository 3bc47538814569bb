import type { CollectionConfig } from '../../config/types';
import type { ApplyOutcome } from '../../services/admin/config-apply';
import type { ProvenanceAnswer, PublicationsAnswer } from '../../services/admin/provenance';
import type { IssuedToken, TokenSummary } from '../../services/admin/tokens';
import type { FeedStatus } from '../../services/admin/feeds';
import type { UserSummary } from '../../services/admin/users';
import type { AuditRecord } from '../../storage/audit-log';
import type { PublishedVersion } from '../../storage/provenance-repository';
import { microsToTimestamp } from '../../taxii/timestamps';

/** Wire shapes of the admin API: snake_case like TAXII's own resources, optional fields only when present. */

export function presentUser(user: UserSummary): object {
  return { username: user.username, organisation: user.organisation, role: user.role, disabled: user.disabled, created_at: user.createdAt.toISOString() };
}

export function presentToken(token: TokenSummary): object {
  return {
    token_id: token.tokenId,
    username: token.username,
    created_at: token.createdAt.toISOString(),
    ...(token.expiresAt && { expires_at: token.expiresAt.toISOString() }),
    ...(token.revokedAt && { revoked_at: token.revokedAt.toISOString() }),
    ...(token.label !== undefined && { label: token.label }),
  };
}

export function presentAuditRecord(record: AuditRecord): object {
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

export function presentVersion(version: PublishedVersion): object {
  return {
    collection_id: version.collectionId,
    object_id: version.objectId,
    type: version.type,
    version: version.version,
    date_added: microsToTimestamp(version.dateAdded),
    published_by: { organisation: version.publishedBy.organisation, username: version.publishedBy.username },
  };
}

export function presentCollection(collection: CollectionConfig): object {
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

export function presentApply(outcome: ApplyOutcome): object {
  return { changed: outcome.changed, revision: outcome.revision, diff: outcome.diff.lines, needs_restart: outcome.diff.needsRestart };
}

export function presentUsers(users: UserSummary[]): object {
  return { users: users.map(presentUser) };
}

export function presentTokens(tokens: TokenSummary[]): object {
  return { tokens: tokens.map(presentToken) };
}

/** The only time the secret leaves the server: it is stored nowhere and never shown again. */
export function presentIssuedToken(issued: IssuedToken): object {
  return { token: issued.token, ...presentToken(issued.summary) };
}

export function presentRevokedToken(outcome: { token: TokenSummary; alreadyRevoked: boolean }): object {
  return { ...presentToken(outcome.token), already_revoked: outcome.alreadyRevoked };
}

export function presentAuditRecords(records: AuditRecord[]): object {
  return { records: records.map(presentAuditRecord) };
}

export function presentProvenance(answer: ProvenanceAnswer): object {
  return {
    collection: presentCollection(answer.collection),
    object_id: answer.objectId,
    versions: answer.versions.records.map(presentVersion),
    more: answer.versions.more,
  };
}

export function presentPublications(answer: PublicationsAnswer): object {
  return {
    organisation: answer.organisation,
    ...(answer.since && { since: answer.since.toISOString() }),
    ...(answer.until && { until: answer.until.toISOString() }),
    publications: answer.publications.records.map(presentVersion),
    more: answer.publications.more,
  };
}

export function presentCollections(collections: CollectionConfig[]): object {
  return { collections: collections.map(presentCollection) };
}

export function presentFeeds(feeds: FeedStatus[]): object {
  return { feeds: feeds.map(presentFeed) };
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
