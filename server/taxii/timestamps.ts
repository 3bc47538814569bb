/**
 * The one RFC 3339 timestamp parser, for STIX and TAXII alike, with each specification's rules as a
 * named variant (STIX_TIMESTAMP_RULES, TAXII_TIMESTAMP_RULES) so the two can no longer drift apart.
 *
 * STIX allows any number of fractional digits and TAXII's `date_added` needs microseconds, while a JS
 * Date holds milliseconds: so instants are kept either as a fixed-width sortable key (nanoseconds, for
 * STIX versions) or as an integer count of microseconds (for `date_added`), and the original strings
 * are never rewritten.
 */

/** What one specification accepts beyond the shape every RFC 3339 UTC timestamp shares. */
export interface TimestampRules {
  /** RFC 3339 §5.7 lets second 60 name a leap second. */
  readonly allowLeapSecond: boolean;
  readonly maxFractionDigits: number;
}

/**
 * STIX 2.1 §3.2 "timestamp": `YYYY-MM-DDTHH:mm:ss[.s+]Z`, any number of fraction digits, and the
 * leap second RFC 3339 allows (the OASIS STIX 2.1 JSON schema's pattern also admits second 60).
 */
export const STIX_TIMESTAMP_RULES: TimestampRules = { allowLeapSecond: true, maxFractionDigits: Number.POSITIVE_INFINITY };

/**
 * Timestamps a TAXII client sends (`added_after`, `match[version]`) and STIX versions turned into
 * sortable keys: 0 to 9 fraction digits (docs/taxii21-checklist.md Q-04), so that `instantKey` has a
 * fixed width, and no second 60, which no key or microsecond count could place.
 */
export const TAXII_TIMESTAMP_RULES: TimestampRules = { allowLeapSecond: false, maxFractionDigits: 9 };

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

interface TimestampParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** The fraction digits as written, possibly empty. */
  readonly fraction: string;
}

function isTimeOfDay(hour: number, minute: number, second: number, rules: TimestampRules): boolean {
  return hour <= 23 && minute <= 59 && second <= (rules.allowLeapSecond ? 60 : 59);
}

/** The parts of an RFC 3339 UTC timestamp that names a real date and time under `rules`. */
export function parseTimestamp(value: string, rules: TimestampRules): TimestampParts | undefined {
  const match = RFC3339_UTC.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  if (fraction.length > rules.maxFractionDigits) return undefined;
  const parts = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s), fraction };
  if (parts.month < 1 || parts.month > 12) return undefined;
  if (parts.day < 1 || parts.day > daysInMonth(parts.year, parts.month)) return undefined;
  if (!isTimeOfDay(parts.hour, parts.minute, parts.second, rules)) return undefined;
  return parts;
}

/** True when the string is a STIX timestamp naming a real calendar date and time. */
export function isStixTimestamp(value: string): boolean {
  return parseTimestamp(value, STIX_TIMESTAMP_RULES) !== undefined;
}

/**
 * Compares two STIX timestamps as instants (negative, zero, positive), whatever their precision:
 * "2020-01-01T00:00:00Z" < "2020-01-01T00:00:00.000001Z", and "...00Z" equals "...00.000Z".
 * Returns undefined when either is not a valid timestamp. A leap second sorts after :59.
 */
export function compareTimestamps(a: string, b: string): number | undefined {
  const pa = parseTimestamp(a, STIX_TIMESTAMP_RULES);
  const pb = parseTimestamp(b, STIX_TIMESTAMP_RULES);
  if (!pa || !pb) return undefined;
  // Every field before the fraction is fixed width, so string order is time order.
  const wholeA = a.slice(0, 19);
  const wholeB = b.slice(0, 19);
  if (wholeA !== wholeB) return wholeA < wholeB ? -1 : 1;
  const width = Math.max(pa.fraction.length, pb.fraction.length);
  const fa = pa.fraction.padEnd(width, '0');
  const fb = pb.fraction.padEnd(width, '0');
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

// The shape of a timestamp with any zone suffix, to tell a wrong zone from a wrong shape.
const ANY_ZONE_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(.*)$/;

/** What exactly is wrong with a string isStixTimestamp refuses, when it is close enough to tell. */
export function timestampFault(value: string): string | undefined {
  const m = ANY_ZONE_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  if (zone === '') return 'it has no Z: STIX timestamps are in UTC and say so';
  if (zone !== 'Z' && zone !== 'z') return `it ends in ${JSON.stringify(zone)} where STIX requires Z (UTC, no offset)`;
  if (zone === 'z' || value.includes('t')) return 'T and Z must be upper case';
  const year = Number(y);
  const month = Number(mo);
  if (month < 1 || month > 12) return `there is no month ${mo}`;
  if (Number(d) < 1 || Number(d) > daysInMonth(year, month)) return `there is no day ${d} in ${y}-${mo}`;
  if (!isTimeOfDay(Number(h), Number(mi), Number(s), STIX_TIMESTAMP_RULES)) return `${h}:${mi}:${s} is not a time of day`;
  return undefined;
}

/**
 * A key that sorts as the instant does: "2020-01-01T00:00:00Z" and "2020-01-01T00:00:00.000Z"
 * give the same key. Undefined when the value breaks TAXII_TIMESTAMP_RULES.
 */
export function instantKey(value: string): string | undefined {
  const parts = parseTimestamp(value, TAXII_TIMESTAMP_RULES);
  if (!parts) return undefined;
  return `${value.slice(0, 19)}.${parts.fraction.padEnd(9, '0')}Z`;
}

/** Microseconds since the epoch, sub-microsecond digits truncated (safe for an exclusive `added_after`). */
export function timestampToMicros(value: string): number | undefined {
  const parts = parseTimestamp(value, TAXII_TIMESTAMP_RULES);
  if (!parts) return undefined;
  const millis = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return millis * 1000 + Number(parts.fraction.padEnd(6, '0').slice(0, 6));
}

/** TAXII 2.1 §2 timestamp: UTC, exactly six fractional digits (docs/taxii21-checklist.md C-07). */
export function microsToTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const subMillis = micros - millis * 1000;
  const iso = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${String(subMillis).padStart(3, '0')}Z`;
}

/**
 * Hands out `date_added` values that strictly increase even when the wall clock stalls or steps
 * back, so every stored version has its own and `added_after` paging never has to break a tie.
 */
export class DateAddedClock {
  private last = 0;

  constructor(private readonly nowMicros: () => number = () => Date.now() * 1000) {}

  /** Never hand out a value at or below `micros`: used at start-up with the newest date_added already stored. */
  advancePast(micros: number): void {
    this.last = Math.max(this.last, micros);
  }

  next(): number {
    this.last = Math.max(this.nowMicros(), this.last + 1);
    return this.last;
  }
}
