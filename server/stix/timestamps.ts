// STIX 2.1 "timestamp" (Part 2): RFC 3339, UTC, with a literal upper-case Z and any number of fraction digits.
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

interface TimestampParts {
  /** YYYYMMDDhhmmss, fixed width so that string order is time order. */
  readonly whole: string;
  /** Fraction digits without trailing zeros: "0.5" and "0.500" are the same instant. */
  readonly fraction: string;
}

function parse(value: string): TimestampParts | undefined {
  const m = TIMESTAMP_RE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  // RFC 3339 allows second 60 for a leap second; it still sorts after :59 below.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  return { whole: `${y}${mo}${d}${h}${mi}${s}`, fraction: (frac ?? '').replace(/0+$/, '') };
}

/** True when the string is a STIX timestamp naming a real calendar date and time. */
export function isStixTimestamp(value: string): boolean {
  return parse(value) !== undefined;
}

/**
 * Compares two STIX timestamps as instants (negative, zero, positive), whatever their precision:
 * "2020-01-01T00:00:00Z" < "2020-01-01T00:00:00.000001Z", and "...00Z" equals "...00.000Z".
 * Returns undefined when either is not a valid timestamp.
 */
export function compareTimestamps(a: string, b: string): number | undefined {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return undefined;
  if (pa.whole !== pb.whole) return pa.whole < pb.whole ? -1 : 1;
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
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return `${h}:${mi}:${s} is not a time of day`;
  return undefined;
}
