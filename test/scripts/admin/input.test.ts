import { checkPassword, checkUsername, formatTable, parseExpiry } from '../../../scripts/admin/input';

const NOW = new Date('2026-06-01T00:00:00.000Z');

describe('admin input parsing', () => {
  it.each([
    ['30d', '2026-07-01T00:00:00.000Z'],
    ['12h', '2026-06-01T12:00:00.000Z'],
    ['2w', '2026-06-15T00:00:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['2026-12-31T08:30:00Z', '2026-12-31T08:30:00.000Z'],
    ['2026-12-31T10:30:00+02:00', '2026-12-31T08:30:00.000Z'],
  ])('reads --expires %s', (text, expected) => {
    expect(parseExpiry(text, NOW).toISOString()).toBe(expected);
  });

  it.each([
    ['0d', /positive/],
    ['30', /must be a duration/],
    ['next week', /must be a duration/],
    ['2026-13-45', /not a valid date/],
    ['2026-05-31', /must lie in the future/],
  ])('refuses --expires %s', (text, message) => {
    expect(() => parseExpiry(text, NOW)).toThrow(message);
  });

  it('counts password length in characters, not bytes', () => {
    expect(checkPassword('äöüäöüäöüäöü')).toBe('äöüäöüäöüäöü');
    expect(() => checkPassword('äöüäöüäöüäö')).toThrow(/at least 12 characters long \(got 11\)/);
  });

  it.each(['analyst@de-bka', 'svc.poller+1@europol', 'A1'])('accepts username %s', (name) => {
    expect(checkUsername(name)).toBe(name);
  });

  it.each(['', 'a:b', 'with space', '-leading', 'x'.repeat(129)])('refuses username %p', (name) => {
    expect(() => checkUsername(name)).toThrow(/invalid username/);
  });

  it('aligns table columns', () => {
    expect(formatTable(['A', 'LONGER'], [['wide cell', 'x'], ['y', '']])).toEqual(['A          LONGER', 'wide cell  x', 'y']);
  });
});
