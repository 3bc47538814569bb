import { InvalidParameter } from '../errors';
import { openCursor, sealCursor, type CursorKeys } from './cursor-seal';
import type { ObjectFilter, StatedFilters } from './query';
import type { VersionSelector } from './versions';

/** Where a page ended, in the (date_added, id, version) order every listing uses. */
export interface PagePosition {
  dateAdded: number;
  id: string;
  versionKey: string;
}

/**
 * TAXII 2.1 §3.5 leaves `next` opaque. Ours is a keyset cursor: the last position returned plus
 * the whole filter, so it needs no server-side state, survives restarts, works on any process
 * sharing the keys and never repeats or skips a record while partners keep publishing. It is
 * bound to one collection and endpoint, encrypted and signed (cursor-seal.ts): a client can
 * neither read it nor forge one, and access is still re-checked on every use. `limit` is
 * deliberately not part of it.
 */
export interface PageCursor {
  scope: string;
  after: PagePosition;
  filter: ObjectFilter;
}

export interface PageSizeSettings {
  defaultLimit: number;
  maxLimit: number;
}

export function clampLimit(requested: number | undefined, settings: PageSizeSettings): number {
  return Math.min(requested ?? settings.defaultLimit, settings.maxLimit);
}

export function encodeCursor(cursor: PageCursor, keys: CursorKeys): string {
  const compact = { v: 1, s: cursor.scope, a: [cursor.after.dateAdded, cursor.after.id, cursor.after.versionKey], f: cursor.filter };
  return sealCursor(Buffer.from(JSON.stringify(compact)), keys);
}

const invalid = () => new InvalidParameter('next is not a cursor this server issued for this resource');

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.length <= 1000 && value.every((item) => typeof item === 'string');
}

function readSelector(value: unknown): VersionSelector {
  if (typeof value !== 'object' || value === null) throw invalid();
  const { all, first, last, instants } = value as Record<string, unknown>;
  if (typeof all !== 'boolean' || typeof first !== 'boolean' || typeof last !== 'boolean') throw invalid();
  if (!Array.isArray(instants) || !instants.every((item) => typeof item === 'string')) throw invalid();
  return { all, first, last, instants: instants as string[] };
}

function readFilter(value: unknown): ObjectFilter {
  if (typeof value !== 'object' || value === null) throw invalid();
  const raw = value as Record<string, unknown>;
  const filter: StatedFilters & { versions: VersionSelector } = { versions: readSelector(raw.versions) };
  if (raw.addedAfter !== undefined) {
    if (!Number.isSafeInteger(raw.addedAfter)) throw invalid();
    filter.addedAfter = raw.addedAfter as number;
  }
  for (const key of ['ids', 'types', 'specVersions'] as const) {
    if (raw[key] === undefined) continue;
    if (!isStringArray(raw[key])) throw invalid();
    filter[key] = raw[key];
  }
  return filter;
}

export function decodeCursor(token: string, scope: string, keys: CursorKeys): PageCursor {
  const plaintext = openCursor(token, keys);
  if (!plaintext) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { v, s, a, f } = parsed as Record<string, unknown>;
  if (v !== 1 || s !== scope || !Array.isArray(a) || a.length !== 3) throw invalid();
  const [dateAdded, id, versionKey] = a as unknown[];
  if (!Number.isSafeInteger(dateAdded) || typeof id !== 'string' || typeof versionKey !== 'string') throw invalid();
  return { scope, after: { dateAdded: dateAdded as number, id, versionKey }, filter: readFilter(f) };
}
