import fc from 'fast-check';
import { compareTimestamps, isStixTimestamp } from '../../server/stix/timestamps';

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
