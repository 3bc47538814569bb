import type { StatusDetail } from '../storage/repository';

/**
 * Bounds on what one status resource (TAXII 2.1 §4.3.1) lists, so that it can always be stored and
 * sent (docs/security.md §3): 200,000 invalid items in one envelope once made a status over MongoDB's 16 MiB
 * document limit, after the valid objects were committed. The counts stay exact: failure_count is
 * total_count less successes and pendings, whatever the list holds (see buildStatus).
 */
export const MAX_MESSAGE_CHARS = 1_024;
export const MAX_LISTED_FAILURES = 10_000;
export const MAX_LISTED_FAILURE_BYTES = 4 * 1024 * 1024;
/** Pending objects listed by id: the next ones in line; pending_count gives the rest. */
export const MAX_LISTED_PENDINGS = 1_000;

/** An identifier is at most 250 + 2 + 36 characters (STIX 2.1 Part 2.9); anything longer is not one. */
const MAX_ID_CHARS = 300;
/** A timestamp with nanoseconds has 30 characters; anything longer is not one. */
const MAX_VERSION_CHARS = 40;

/** Reasons as one message; past MAX_MESSAGE_CHARS, cut at a reason's end, saying how many were left out. */
export function failureMessage(reasons: readonly string[]): string {
  const whole = reasons.join('; ');
  if (whole.length <= MAX_MESSAGE_CHARS) return whole;
  const kept: string[] = [];
  let length = 0;
  for (const reason of reasons) {
    const tail = ` ... and ${reasons.length - kept.length} more reasons`;
    const piece = kept.length === 0 ? reason : `; ${reason}`;
    if (length + piece.length + tail.length > MAX_MESSAGE_CHARS) break;
    kept.push(reason);
    length += piece.length;
  }
  if (kept.length === 0) {
    const first = reasons[0] ?? '';
    return `${first.slice(0, MAX_MESSAGE_CHARS - 40)} ... and ${reasons.length - 1} more reasons`;
  }
  return `${kept.join('; ')} ... and ${reasons.length - kept.length} more reasons`;
}

/** What a status detail calls the n-th item of an envelope: its id as sent, or `objects[n]` when it has none worth quoting. */
export function detailId(id: unknown, index: number): string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS ? id : `objects[${index}]`;
}

/** The version a status detail names: the object's own when it could be one, else the fallback (§4.3.1 requires one). */
export function detailVersion(version: string | undefined, fallback: string): string {
  return version !== undefined && version.length <= MAX_VERSION_CHARS ? version : fallback;
}

function bytesOf(detail: StatusDetail): number {
  return Buffer.byteLength(detail.id) + Buffer.byteLength(detail.version) + Buffer.byteLength(detail.message ?? '') + 40;
}

/**
 * The failures a status lists: all of them when they fit, else the first ones that fit and one
 * more entry, for the first failure left out, saying how many are not listed.
 */
export function listedFailures(failures: readonly StatusDetail[]): StatusDetail[] {
  let bytes = 0;
  let fitting = 0;
  for (const failure of failures) {
    bytes += bytesOf(failure);
    if (fitting === MAX_LISTED_FAILURES || bytes > MAX_LISTED_FAILURE_BYTES) break;
    fitting += 1;
  }
  const firstLeftOut = failures[fitting];
  if (firstLeftOut === undefined) return [...failures];
  const leftOut = failures.length - fitting;
  return [
    ...failures.slice(0, fitting),
    {
      id: firstLeftOut.id,
      version: firstLeftOut.version,
      message: `This and ${leftOut - 1} further failures are not listed in detail: a status lists at most ${MAX_LISTED_FAILURES} failures or ${MAX_LISTED_FAILURE_BYTES / (1024 * 1024)} MiB of them. failure_count is exact.`,
    },
  ];
}
