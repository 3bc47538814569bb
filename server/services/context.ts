import type { Principal } from '../auth/principal';
import type { AllianceConfig, ApiRootConfig, CollectionConfig } from '../config/types';
import type { AuditLog } from '../storage/audit-log';
import type { ObjectRepository, StatusRepository } from '../storage/repository';
import type { CollectionWriteTurns } from '../storage/storage';
import type { IngestQueue } from '../storage/ingest-queue';
import type { CursorKeys } from '../taxii/cursor-seal';
import type { PageSizeSettings } from '../taxii/pagination';

/** One verdict per object (docs/stix-validation.md); the STIX validator is one implementation. */
export type ObjectVerdict = { valid: true } | { valid: false; reasons: string[] };

export interface ObjectValidator {
  validate(object: unknown, options: { strictTypes: boolean }): ObjectVerdict;
}

/**
 * Byte limits that protect the server from one partner's input (docs/security.md §3), read from the
 * environment by config/settings.ts (MAX_OBJECT_BYTES, MAX_PAGE_BYTES).
 */
export interface SizeLimits {
  /** Largest STIX object accepted, as JSON text in UTF-8; a larger one is a failure in the status. */
  maxObjectBytes: number;
  /** Content a page of objects may carry; a page is cut before it, `more` and `next` going on from there. */
  maxPageBytes: number;
}

export const DEFAULT_SIZE_LIMITS: SizeLimits = { maxObjectBytes: 1024 * 1024, maxPageBytes: 16 * 1024 * 1024 };

/**
 * The dependencies every TAXII use case receives (stores, validator, ingest worker, settings): a
 * container, not a per-request context. createRuntime in bootstrap.ts builds it once per process;
 * main.ts passes the page sizes and cursor keys from the environment and sets the other settings on
 * the result; tests copy it with their own.
 */
export interface TaxiiContext {
  config: AllianceConfig;
  objects: ObjectRepository;
  statuses: StatusRepository;
  audit: AuditLog;
  validator: ObjectValidator;
  writeTurns: CollectionWriteTurns;
  ingestQueue: IngestQueue;
  /** The worker that processes queued envelopes (ingest-worker.ts). */
  ingest: IngestRunner;
  /** How long a POST waits for its envelope to be processed before answering with a pending status. */
  ingestAnswerWaitMs: number;
  pageSizes: PageSizeSettings;
  /** Seal and open the `next` cursor; the same keys on every process and across restarts keep cursors valid. */
  cursorKeys: CursorKeys;
  statusRetentionHours: number;
  /** Absent: DEFAULT_SIZE_LIMITS. Optional so that every factory of a context need not know it yet. */
  limits?: SizeLimits;
}

/** What the POST path needs of the ingest worker. */
export interface IngestRunner {
  accept(statusId: string, request: CollectionRequest): void;
  waitFor(statusId: string, ms: number): Promise<boolean>;
}

/** Who asks for what: the resolved target of one request, with its id for the audit trail. */
export interface CollectionRequest {
  principal: Principal;
  root: ApiRootConfig;
  collection: CollectionConfig;
  requestId?: string;
}
