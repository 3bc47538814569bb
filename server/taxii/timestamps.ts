/**
 * STIX and TAXII timestamps. STIX allows any number of fractional digits and TAXII's `date_added`
 * needs microseconds, while a JS Date holds milliseconds: so instants are kept either as a
 * fixed-width sortable key (nanoseconds, for STIX versions) or as an integer count of
 * microseconds (for `date_added`), and the original strings are never rewritten.
 */

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

interface TimestampParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
}

function parseParts(value: string): TimestampParts | undefined {
  const match = RFC3339_UTC.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction = ''] = match;
  const parts = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    fraction,
  };
  const daysInMonth = new Date(Date.UTC(parts.year, parts.month, 0)).getUTCDate();
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > daysInMonth) return undefined;
  // STIX forbids leap seconds' representation issues aside, 60 is allowed by RFC 3339 only as a leap second; we refuse it.
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return undefined;
  return parts;
}

/**
 * A key that sorts as the instant does: "2020-01-01T00:00:00Z" and "2020-01-01T00:00:00.000Z"
 * give the same key. Undefined when the value is not an RFC 3339 UTC timestamp.
 */
export function instantKey(value: string): string | undefined {
  const parts = parseParts(value);
  if (!parts) return undefined;
  return `${value.slice(0, 19)}.${parts.fraction.padEnd(9, '0')}Z`;
}

/** Microseconds since the epoch, sub-microsecond digits truncated (safe for an exclusive `added_after`). */
export function timestampToMicros(value: string): number | undefined {
  const parts = parseParts(value);
  if (!parts) return undefined;
  const millis = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return millis * 1000 + Number(parts.fraction.padEnd(6, '0').slice(0, 6));
}

/** TAXII 2.1 §2 timestamp: UTC, exactly six fractional digits. */
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
