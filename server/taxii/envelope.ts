import type { StatusRecord, StoredVersion } from '../storage/repository';
import { microsToTimestamp } from './timestamps';

/** The resources TAXII 2.1 returns for listings (§3.7 envelope, §5.3.1 manifest, §5.8.1 versions, §4.3.1 status). */

export interface ListingPage {
  records: StoredVersion[];
  more: boolean;
  next?: string;
}

export interface ResourceResponse {
  /** JSON text; envelopes are assembled from the stored JSON so objects come back byte for byte. */
  body: string;
  headers: Record<string, string>;
}

/** §3.2: the date_added of the first and last record in this response; omitted when it is empty (checklist P-10). */
export function dateAddedHeaders(records: StoredVersion[]): Record<string, string> {
  const first = records[0];
  const last = records[records.length - 1];
  if (!first || !last) return {};
  return {
    'X-TAXII-Date-Added-First': microsToTimestamp(first.dateAdded),
    'X-TAXII-Date-Added-Last': microsToTimestamp(last.dateAdded),
  };
}

function paging(page: ListingPage): string {
  return page.more && page.next ? `"more":true,"next":${JSON.stringify(page.next)}` : `"more":${page.more}`;
}

/**
 * An empty page omits `objects`: §3.7 makes it optional and §2 forbids an empty list in its place, even
 * for clients that read it unconditionally (docs/integrations/elastic.md weighs that case).
 */
export function buildEnvelope(page: ListingPage): ResourceResponse {
  const objects = page.records.map((record) => record.stix ?? '{}').join(',');
  const body = page.records.length > 0 ? `{${paging(page)},"objects":[${objects}]}` : `{${paging(page)}}`;
  return { body, headers: dateAddedHeaders(page.records) };
}

export function buildManifest(page: ListingPage): ResourceResponse {
  const records = page.records.map((record) => ({
    id: record.id,
    date_added: microsToTimestamp(record.dateAdded),
    version: record.version,
    media_type: `application/stix+json;version=${record.specVersion}`,
  }));
  const body = records.length > 0 ? `{${paging(page)},"objects":${JSON.stringify(records)}}` : `{${paging(page)}}`;
  return { body, headers: dateAddedHeaders(page.records) };
}

export function buildVersions(page: ListingPage): ResourceResponse {
  const versions = page.records.map((record) => record.version);
  const body = versions.length > 0 ? `{${paging(page)},"versions":${JSON.stringify(versions)}}` : `{${paging(page)}}`;
  return { body, headers: dateAddedHeaders(page.records) };
}

export interface StatusResource {
  id: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes?: StatusRecord['successes'];
  failure_count: number;
  failures?: StatusRecord['failures'];
  pending_count: number;
  pendings?: StatusRecord['pendings'];
}

/**
 * An empty list is left out: a TAXII list is never empty (§2). Successes and pendings are listed in
 * full; failures may be summarised (taxii/status-details.ts), so failure_count is what §4.3.1 makes
 * it, total_count less the successes and pendings, and stays exact whatever the list holds.
 */
export function buildStatus(status: StatusRecord): StatusResource {
  const resource: StatusResource = {
    id: status.id,
    status: status.status,
    request_timestamp: status.requestTimestamp,
    total_count: status.totalCount,
    success_count: status.successes.length,
    failure_count: Math.max(status.failures.length, status.totalCount - status.successes.length - status.pendingCount),
    pending_count: status.pendingCount,
  };
  if (status.successes.length > 0) resource.successes = status.successes;
  if (status.failures.length > 0) resource.failures = status.failures;
  if (status.pendings.length > 0) resource.pendings = status.pendings;
  return resource;
}
