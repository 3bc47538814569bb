import { VerifiedPasswordCache } from '../../server/auth/verified-password-cache';

describe('VerifiedPasswordCache', () => {
  it('remembers a verified password for the stored hash it matched, until it expires', () => {
    let now = 1000;
    const cache = new VerifiedPasswordCache(500, 10, () => now);
    cache.add('scrypt$a', 'secret');
    expect(cache.has('scrypt$a', 'secret')).toBe(true);
    expect(cache.has('scrypt$a', 'Secret')).toBe(false);
    expect(cache.has('scrypt$b', 'secret')).toBe(false); // a new hash after a password change misses
    now = 1500;
    expect(cache.has('scrypt$a', 'secret')).toBe(false);
  });

  it('evicts the oldest entries beyond its size', () => {
    const cache = new VerifiedPasswordCache(60_000, 2);
    cache.add('h', 'one');
    cache.add('h', 'two');
    cache.add('h', 'three');
    expect([cache.has('h', 'one'), cache.has('h', 'two'), cache.has('h', 'three')]).toEqual([false, true, true]);
  });
});
