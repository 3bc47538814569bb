import fc from 'fast-check';
import {
  compareTimestamps,
  DateAddedClock,
  instantKey,
  isStixTimestamp,
  microsToTimestamp,
  parseTimestamp,
  STIX_TIMESTAMP_RULES,
  TAXII_TIMESTAMP_RULES,
  timestampToMicros,
} from '../../server/taxii/timestamps';

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


describe('STIX timestamps', () => {
  it.each(['2016-02-29T00:00:00Z', '2000-02-29T23:59:59.999999Z', '2016-12-31T23:59:60Z', '1999-01-01T00:00:00.1Z'])('accepts %s', (value) => {
    expect(isStixTimestamp(value)).toBe(true);
  });

  it.each(['2015-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2016-04-31T00:00:00Z', '2016-00-10T00:00:00Z', '2016-01-01T00:00:00z',
    '2016-01-01T00:00:00', '2016-01-01T00:00:00.Z', '2016-01-01T12:60:00Z', '2022-101-27T13:49:54.326Z'])('rejects %s', (value) => {
    expect(isStixTimestamp(value)).toBe(false);
  });

  const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true });
  // Writes the instant with 0 to 9 fraction digits; milliseconds beyond the written precision are padded with zeros.
  const render = (date: Date, digits: number): string => {
    const [whole, ms = '000'] = date.toISOString().slice(0, -1).split('.');
    return digits === 0 && ms === '000' ? `${whole}Z` : `${whole}.${ms.padEnd(Math.max(digits, 3), '0')}Z`;
  };

  it('orders timestamps like the instants they name, whatever the precision', () => {
    fc.assert(fc.property(instant, instant, fc.nat(9), fc.nat(9), (a, b, da, db) => {
      const expected = Math.sign(a.getTime() - b.getTime());
      expect(compareTimestamps(render(a, da), render(b, db))).toBe(expected);
    }));
  });

  it('sees a microsecond that string comparison misses', () => {
    // As strings "...00Z" > "...00.000001Z" because "Z" sorts after "."; as instants it is the other way round.
    expect(compareTimestamps('2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000001Z')).toBe(-1);
  });
});

describe('the STIX and TAXII variants of the one parser', () => {
  // Each row: a value, whether the STIX 2.1 §3.2 rules accept it, whether the TAXII rules (checklist Q-04) do.
  it.each([
    ['2016-12-31T23:59:60Z', true, false],
    ['2020-01-01T00:00:00.123456789Z', true, true],
    ['2020-01-01T00:00:00.1234567890Z', true, false],
    ['2020-01-01T00:00:00.000000000000000001Z', true, false],
    ['2020-01-01T00:00:00Z', true, true],
    ['2020-02-30T00:00:00Z', false, false],
    ['2020-01-01T00:00:61Z', false, false],
    ['2020-01-01T00:00:00+00:00', false, false],
  ])('%s: STIX %p, TAXII %p', (value, stix, taxii) => {
    expect(parseTimestamp(value, STIX_TIMESTAMP_RULES) !== undefined).toBe(stix);
    expect(isStixTimestamp(value)).toBe(stix);
    expect(parseTimestamp(value, TAXII_TIMESTAMP_RULES) !== undefined).toBe(taxii);
    expect(instantKey(value) !== undefined).toBe(taxii);
    expect(timestampToMicros(value) !== undefined).toBe(taxii);
  });

  it('orders a leap second after :59 and before the next minute', () => {
    expect(compareTimestamps('2016-12-31T23:59:59.999Z', '2016-12-31T23:59:60Z')).toBe(-1);
    expect(compareTimestamps('2016-12-31T23:59:60Z', '2017-01-01T00:00:00Z')).toBe(-1);
  });
});
