import type { Role } from '../auth/principal';
import type { AllianceConfig } from '../config/types';
import type { StoredAllianceConfig } from './alliance-config-store';
import { AUDIT_ACTIONS, type AuditRecord } from './audit-log';
import { CERTIFICATE_MATCHES, type ClientCertificateRecord, type TokenRecord, type UserRecord } from './credential-repository';
import type { QueuedEnvelope } from './ingest-queue';
import type { NewVersion, StatusDetail, StatusRecord, StatusValue } from './repository';
import type { StorageEngine } from './storage';

/**
 * Moving a whole store between engines (docs/admin.md, Moving to MongoDB): `npm run admin -- export` writes every
 * record of one store as NDJSON, `import` writes them into another, so a deployment that outgrows
 * one machine moves from the embedded SQLite file to MongoDB without losing history.
 *
 * The file: one JSON object per line. The first line is a header (format, version, source engine,
 * counts), then the records in TRANSFER_KINDS order (except that each queued envelope comes right
 * after its own batches), then an `end` line with the exact counts written. An import that reads
 * no `end` line knows the file was cut short.
 */
export const TRANSFER_FORMAT = 'taxii-alliance-server/store';
export const TRANSFER_FORMAT_VERSION = 1;

/**
 * Export order: what other records refer to (configuration, users) comes before what refers to it.
 * Envelopes accepted but not yet stored (the ingest queue) travel too, so their pending statuses
 * complete on the new store; an envelope follows its batches, as the queue itself writes them, so
 * a worker never finds an envelope whose batches are missing.
 */
export const TRANSFER_KINDS = ['config', 'user', 'token', 'certificate', 'status', 'object', 'ingest-batch', 'ingest-envelope', 'audit'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];
export type TransferCounts = Record<TransferKind, number>;

/**
 * One stored object version with the first/latest flags it carries. The flags are carried, not
 * recomputed: the source keeps them right on every write (the object repository contract), and
 * recomputing them would cost a pass over every object on MongoDB.
 */
export interface TransferredVersion extends NewVersion {
  isFirst: boolean;
  isLatest: boolean;
}

/** One batch of a queued envelope: its objects as the JSON array text the queue holds. */
export interface QueuedBatch {
  envelopeId: string;
  index: number;
  objects: string;
}

/**
 * Every value is kept as stored: date_added, ids, expiry, hashes, revision, audit timestamps and
 * order. A queued envelope's claim does not travel: the process that held it is not on the new store.
 */
export type TransferRecord =
  | { kind: 'config'; record: StoredAllianceConfig }
  | { kind: 'user'; record: UserRecord }
  | { kind: 'token'; record: TokenRecord }
  | { kind: 'certificate'; record: ClientCertificateRecord }
  | { kind: 'status'; record: StatusRecord }
  | { kind: 'object'; record: TransferredVersion }
  | { kind: 'ingest-batch'; record: QueuedBatch }
  | { kind: 'ingest-envelope'; record: QueuedEnvelope }
  | { kind: 'audit'; record: AuditRecord };

export interface TransferHeader {
  kind: 'header';
  format: typeof TRANSFER_FORMAT;
  formatVersion: number;
  engine: StorageEngine;
  exportedAt: string;
  /** As held when the export started; a server writing meanwhile can make the export hold more. */
  counts: TransferCounts;
}

export interface TransferEnd {
  kind: 'end';
  /** Exactly what the file holds: an import compares it with what it read. */
  counts: TransferCounts;
}

export type TransferLine = TransferHeader | TransferRecord | TransferEnd;

export interface StoreTransfer {
  /** Records held per kind; cheap enough to print in a header and size a progress bar. */
  counts(): Promise<TransferCounts>;
  /** True when the store holds no record of any kind: the only store an import writes into. */
  isEmpty(): Promise<boolean>;
  /**
   * Every record, kind by kind in TRANSFER_KINDS order, each kind in a fixed order (objects by
   * collection and date_added, queued envelopes by id, each after its batches in index order,
   * audit records in the order they were written), read through a
   * cursor so memory stays flat whatever the store's size. Both engines give the same order, so
   * the export of a copy equals the export of its original line for line. Nothing else may use
   * the store until the iteration ends (the embedded engine holds its connection meanwhile).
   */
  exportRecords(): AsyncIterable<TransferRecord>;
  /**
   * Writes one batch as given: one transaction (SQLite) or one ordered bulk insert per kind
   * (MongoDB). A record that is already held fails the batch: imports go into empty stores only.
   */
  importRecords(batch: TransferRecord[]): Promise<void>;
}

export function zeroCounts(): TransferCounts {
  return { config: 0, user: 0, token: 0, certificate: 0, status: 0, object: 0, 'ingest-batch': 0, 'ingest-envelope': 0, audit: 0 };
}

export function totalOf(counts: TransferCounts): number {
  return TRANSFER_KINDS.reduce((sum, kind) => sum + counts[kind], 0);
}

// ---------------------------------------------------------------------------------------------
// The NDJSON encoding. A record is written flat, `{"kind": ..., ...fields}`, dates as ISO 8601
// strings (both engines keep milliseconds, which ISO strings hold exactly) and date_added as the
// integer of microseconds the engines store (below 2^53, so exact in JSON).

export function encodeLine(line: TransferLine): string {
  if (line.kind === 'header' || line.kind === 'end') return JSON.stringify(line);
  return JSON.stringify({ kind: line.kind, ...line.record });
}

/** A line of the file that is not what the format says; the message names the line. */
export class TransferFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferFormatError';
  }
}

const ROLES: readonly Role[] = ['member', 'org-admin', 'alliance-admin'];
const STATUS_VALUES: readonly StatusValue[] = ['complete', 'pending'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Typed reads of one decoded line. The file comes from outside the process (and may have been
 * edited or cut), so every field is checked before it reaches a store: a wrong one stops the
 * import with the line and field named, instead of storing a record the server cannot read.
 */
class Fields {
  constructor(readonly value: Record<string, unknown>, private readonly where: string) {}

  private fail(name: string, expected: string): never {
    throw new TransferFormatError(`${this.where}: field '${name}' must be ${expected}`);
  }

  string(name: string): string {
    const value = this.value[name];
    return typeof value === 'string' ? value : this.fail(name, 'a string');
  }

  optionalString(name: string): string | undefined {
    return this.value[name] === undefined ? undefined : this.string(name);
  }

  integer(name: string): number {
    const value = this.value[name];
    return Number.isSafeInteger(value) ? (value as number) : this.fail(name, 'an integer');
  }

  boolean(name: string): boolean {
    const value = this.value[name];
    return typeof value === 'boolean' ? value : this.fail(name, 'true or false');
  }

  date(name: string): Date {
    const value = this.value[name];
    // Only the form Date#toJSON writes, so a date read back prints as it was written.
    if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value)) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
    }
    return this.fail(name, 'an ISO 8601 instant such as 2026-01-31T12:00:00.000Z');
  }

  optionalDate(name: string): Date | undefined {
    return this.value[name] === undefined ? undefined : this.date(name);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.value[name];
    return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : this.fail(name, `one of ${allowed.join(', ')}`);
  }

  object(name: string): Record<string, unknown> {
    const value = this.value[name];
    return isPlainObject(value) ? value : this.fail(name, 'an object');
  }

  optionalObject(name: string): Record<string, unknown> | undefined {
    return this.value[name] === undefined ? undefined : this.object(name);
  }

  fields(name: string): Fields {
    return new Fields(this.object(name), `${this.where}, ${name}`);
  }

  list(name: string): Fields[] {
    const value = this.value[name];
    if (!Array.isArray(value)) return this.fail(name, 'a list');
    return value.map((item, index) => (isPlainObject(item) ? new Fields(item, `${this.where}, ${name}[${index}]`) : this.fail(`${name}[${index}]`, 'an object')));
  }

  strings(name: string): string[] {
    const value = this.value[name];
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : this.fail(name, 'a list of strings');
  }

  optionalStrings(name: string): string[] | undefined {
    return this.value[name] === undefined ? undefined : this.strings(name);
  }

  counts(name: string): TransferCounts {
    const counts = this.fields(name);
    const result = zeroCounts();
    // A kind the writer did not know (the queue's kinds came after the first files) counts 0.
    for (const kind of TRANSFER_KINDS) result[kind] = counts.value[kind] === undefined ? 0 : counts.integer(kind);
    return result;
  }
}

/** Optional fields come back only when present, as the repositories return them. */
function present<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function isAllianceConfig(value: Record<string, unknown>): value is Record<string, unknown> & AllianceConfig {
  return isPlainObject(value.server) && Array.isArray(value.apiRoots) && Array.isArray(value.organisations) && Array.isArray(value.collections);
}

function statusDetails(fields: Fields, name: string): StatusDetail[] {
  return fields.list(name).map((detail) => present({ id: detail.string('id'), version: detail.string('version'), message: detail.optionalString('message') }));
}

function decodeRecord(kind: string, fields: Fields, where: string): TransferRecord {
  switch (kind) {
    case 'config': {
      const config = fields.object('config');
      if (!isAllianceConfig(config)) throw new TransferFormatError(`${where}: field 'config' is not an alliance configuration`);
      return { kind, record: { revision: fields.integer('revision'), config, appliedAt: fields.date('appliedAt'), appliedBy: fields.string('appliedBy') } };
    }
    case 'user':
      return {
        kind,
        record: {
          username: fields.string('username'),
          organisation: fields.string('organisation'),
          role: fields.oneOf('role', ROLES),
          passwordHash: fields.string('passwordHash'),
          disabled: fields.boolean('disabled'),
          createdAt: fields.date('createdAt'),
        },
      };
    case 'token':
      return {
        kind,
        record: present({
          tokenId: fields.string('tokenId'),
          username: fields.string('username'),
          secretHash: fields.string('secretHash'),
          createdAt: fields.date('createdAt'),
          expiresAt: fields.optionalDate('expiresAt'),
          revokedAt: fields.optionalDate('revokedAt'),
          label: fields.optionalString('label'),
        }),
      };
    case 'certificate':
      return {
        kind,
        record: { match: fields.oneOf('match', CERTIFICATE_MATCHES), value: fields.string('value'), username: fields.string('username'), createdAt: fields.date('createdAt') },
      };
    case 'status':
      return {
        kind,
        record: {
          id: fields.string('id'),
          apiRoot: fields.string('apiRoot'),
          collectionId: fields.string('collectionId'),
          organisation: fields.string('organisation'),
          status: fields.oneOf('status', STATUS_VALUES),
          requestTimestamp: fields.string('requestTimestamp'),
          totalCount: fields.integer('totalCount'),
          successes: statusDetails(fields, 'successes'),
          failures: statusDetails(fields, 'failures'),
          pendings: statusDetails(fields, 'pendings'),
          pendingCount: fields.integer('pendingCount'),
          expiresAt: fields.date('expiresAt'),
        },
      };
    case 'object': {
      const publishedBy = fields.fields('publishedBy');
      return {
        kind,
        record: {
          collectionId: fields.string('collectionId'),
          id: fields.string('id'),
          type: fields.string('type'),
          specVersion: fields.string('specVersion'),
          version: fields.string('version'),
          versionKey: fields.string('versionKey'),
          dateAdded: fields.integer('dateAdded'),
          publishedBy: { organisation: publishedBy.string('organisation'), username: publishedBy.string('username') },
          stix: fields.string('stix'),
          isFirst: fields.boolean('isFirst'),
          isLatest: fields.boolean('isLatest'),
        },
      };
    }
    case 'ingest-batch':
      return { kind, record: { envelopeId: fields.string('envelopeId'), index: fields.integer('index'), objects: fields.string('objects') } };
    case 'ingest-envelope':
      return {
        kind,
        record: present({
          id: fields.string('id'),
          apiRoot: fields.string('apiRoot'),
          collectionId: fields.string('collectionId'),
          organisation: fields.string('organisation'),
          username: fields.string('username'),
          requestId: fields.optionalString('requestId'),
          receivedAt: fields.date('receivedAt'),
          objectCount: fields.integer('objectCount'),
          batchCount: fields.integer('batchCount'),
        }),
      };
    case 'audit':
      return {
        kind,
        record: present({
          at: fields.date('at'),
          action: fields.oneOf('action', AUDIT_ACTIONS),
          username: fields.optionalString('username'),
          organisation: fields.optionalString('organisation'),
          apiRoot: fields.optionalString('apiRoot'),
          collectionId: fields.optionalString('collectionId'),
          objectIds: fields.optionalStrings('objectIds'),
          requestId: fields.optionalString('requestId'),
          details: fields.optionalObject('details'),
        }),
      };
    default:
      throw new TransferFormatError(`${where}: unknown kind '${kind}'`);
  }
}

/** One line of an export file, checked field by field; `lineNumber` counts from 1 and only names the line in errors. */
export function decodeLine(text: string, lineNumber: number): TransferLine {
  const where = `line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TransferFormatError(`${where}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isPlainObject(value)) throw new TransferFormatError(`${where}: not a JSON object`);
  const fields = new Fields(value, where);
  const kind = fields.string('kind');
  if (kind === 'header') {
    const format = fields.string('format');
    if (format !== TRANSFER_FORMAT) throw new TransferFormatError(`${where}: format '${format}' is not ${TRANSFER_FORMAT}`);
    return {
      kind,
      format,
      formatVersion: fields.integer('formatVersion'),
      engine: fields.oneOf<StorageEngine>('engine', ['sqlite', 'mongodb']),
      exportedAt: fields.string('exportedAt'),
      counts: fields.counts('counts'),
    };
  }
  if (kind === 'end') return { kind, counts: fields.counts('counts') };
  return decodeRecord(kind, fields, where);
}
