import { DateAddedClock, instantKey, microsToTimestamp, timestampToMicros } from '../../server/taxii/timestamps';

describe('instantKey', () => {
  it.each([
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z'],
    ['2020-01-01T00:00:00.1Z', '2020-01-01T00:00:00.100000Z'],
    ['2020-01-01T00:00:00.000001Z', '2020-01-01T00:00:00.000001000Z'],
  ])('gives %s and %s the same key (Q-13)', (a, b) => {
    expect(instantKey(a)).toBe(instantKey(b));
  });

  it('orders mixed precisions as instants, not as strings', () => {
    const earlier = '2020-01-01T00:00:00Z';
    const later = '2020-01-01T00:00:00.5Z';
    expect(earlier > later).toBe(true); // the trap: string order is wrong here
    expect((instantKey(earlier) ?? '') < (instantKey(later) ?? '')).toBe(true);
  });

  it.each(['2020-02-30T00:00:00Z', '2020-13-01T00:00:00Z', '2020-01-01T24:00:00Z', '2020-01-01T00:00:00+01:00', '2020-01-01 00:00:00Z', '2020-01-01T00:00:00.1234567890Z', ''])(
    'refuses %p',
    (value) => {
      expect(instantKey(value)).toBeUndefined();
      expect(timestampToMicros(value)).toBeUndefined();
    },
  );
});

describe('date_added microseconds', () => {
  it('round-trips a microsecond timestamp with exactly six digits (C-07)', () => {
    const value = '2024-03-01T10:00:00.123456Z';
    const micros = timestampToMicros(value);
    expect(micros).toBe(Date.UTC(2024, 2, 1, 10) * 1000 + 123456);
    expect(microsToTimestamp(micros ?? 0)).toBe(value);
    expect(microsToTimestamp(Date.UTC(2024, 2, 1) * 1000)).toBe('2024-03-01T00:00:00.000000Z');
  });

  it('truncates digits beyond microseconds, which keeps added_after exclusive', () => {
    expect(timestampToMicros('2024-03-01T10:00:00.1234569Z')).toBe(timestampToMicros('2024-03-01T10:00:00.123456Z'));
  });
});

describe('DateAddedClock', () => {
  it('strictly increases even when the wall clock stands still or steps back', () => {
    const readings = [1000, 1000, 999, 1005];
    const clock = new DateAddedClock(() => readings.shift() ?? 0);
    expect([clock.next(), clock.next(), clock.next(), clock.next()]).toEqual([1000, 1001, 1002, 1005]);
  });
});

describe('DateAddedClock.advancePast', () => {
  it('hands out values above one already stored even when the wall clock is behind it', () => {
    const clock = new DateAddedClock(() => 1000);
    clock.advancePast(5000);
    expect(clock.next()).toBe(5001);
    clock.advancePast(10); // never moves back
    expect(clock.next()).toBe(5002);
  });
});
