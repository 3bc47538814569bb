import type { StatusDetail, StatusRecord } from '../../server/storage/repository';
import { buildStatus } from '../../server/taxii/envelope';
import {
  detailId, detailVersion, failureMessage, listedFailures, MAX_LISTED_FAILURES, MAX_MESSAGE_CHARS,
} from '../../server/taxii/status-details';

const failure = (n: number, message = 'not a JSON object'): StatusDetail => ({ id: `objects[${n}]`, version: '2024-03-01T10:00:00.000000Z', message });

function record(successes: number, failures: StatusDetail[], totalCount: number): StatusRecord {
  return {
    id: 'a9d0b6d4-2c4b-4a50-9d5b-7c1b8f7a0e11', apiRoot: 'alliance', collectionId: 'c', organisation: 'de-bka', status: 'complete',
    requestTimestamp: '2024-03-01T10:00:00.000000Z', totalCount,
    successes: Array.from({ length: successes }, (_, n) => ({ id: `indicator--${n}`, version: '2024-03-01T10:00:00.000Z' })),
    failures, pendingCount: 0, pendings: [], expiresAt: new Date(0),
  };
}

describe('status details are bounded and counts stay exact (docs/security.md §3)', () => {
  it('lists every failure while they fit', () => {
    const failures = Array.from({ length: 3 }, (_, n) => failure(n));
    expect(listedFailures(failures)).toEqual(failures);
  });

  it('lists the first failures and one entry counting the rest', () => {
    const failures = Array.from({ length: 200_000 }, (_, n) => failure(n));
    const listed = listedFailures(failures);
    expect(listed).toHaveLength(MAX_LISTED_FAILURES + 1);
    expect(listed.slice(0, MAX_LISTED_FAILURES)).toEqual(failures.slice(0, MAX_LISTED_FAILURES));
    expect(listed[MAX_LISTED_FAILURES]).toEqual({
      id: `objects[${MAX_LISTED_FAILURES}]`,
      version: '2024-03-01T10:00:00.000000Z',
      message: expect.stringMatching(new RegExp(`^This and ${200_000 - MAX_LISTED_FAILURES - 1} further failures are not listed in detail`)),
    });
  });

  it('stops at 4 MiB of details even below the entry bound', () => {
    const listed = listedFailures(Array.from({ length: 9_000 }, (_, n) => failure(n, 'x'.repeat(1_000))));
    expect(listed.length).toBeLessThan(9_000);
    expect(Buffer.byteLength(JSON.stringify(listed))).toBeLessThan(4.5 * 1024 * 1024);
  });

  it('keeps failure_count exact when the list is summarised', () => {
    const resource = buildStatus(record(1, listedFailures(Array.from({ length: 200_000 }, (_, n) => failure(n))), 200_001));
    expect(resource).toMatchObject({ total_count: 200_001, success_count: 1, failure_count: 200_000, pending_count: 0 });
  });

  it('counts as before when nothing is summarised', () => {
    expect(buildStatus(record(2, [failure(0)], 3))).toMatchObject({ total_count: 3, success_count: 2, failure_count: 1 });
  });

  it('cuts a long message at a reason boundary and says how many reasons are left out', () => {
    const reasons = Array.from({ length: 500 }, (_, n) => `/x_${n}: is wrong`);
    const message = failureMessage(reasons);
    expect(message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(message).toMatch(/^\/x_0: is wrong; \/x_1: is wrong; .* \.\.\. and \d+ more reasons$/);
    expect(failureMessage(['one', 'two'])).toBe('one; two');
    expect(failureMessage(['y'.repeat(5_000), 'z']).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  it('never quotes an id or version too long to be one', () => {
    expect(detailId('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 3)).toBe('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f');
    expect(detailId('i'.repeat(5_000_000), 3)).toBe('objects[3]');
    expect(detailId(42, 7)).toBe('objects[7]');
    expect(detailVersion('2024-03-01T10:00:00Z', 'now')).toBe('2024-03-01T10:00:00Z');
    expect(detailVersion('2'.repeat(1_000), 'now')).toBe('now');
    expect(detailVersion(undefined, 'now')).toBe('now');
  });
});
