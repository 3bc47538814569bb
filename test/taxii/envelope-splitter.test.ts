import fc from 'fast-check';
import { ENVELOPE_OVERHEAD_BYTES, EnvelopeSplitter, type Envelope } from '../../server/taxii/envelope-splitter';

interface Item {
  id: string;
  json: string;
  bytes: number;
}

function item(id: string, filler: string): Item {
  const json = JSON.stringify({ id, filler });
  return { id, json, bytes: Buffer.byteLength(json) };
}

function split(items: Item[], maxBytes: number, maxObjects: number): Envelope[] {
  const splitter = new EnvelopeSplitter({ maxBytes, maxObjects });
  const envelopes: Envelope[] = [];
  for (const { id, json, bytes } of items) {
    const closed = splitter.add(id, json, bytes);
    if (closed) envelopes.push(closed);
  }
  const last = splitter.flush();
  if (last) envelopes.push(last);
  return envelopes;
}

describe('EnvelopeSplitter', () => {
  it('fills an envelope to exactly max_content_length bytes and starts the next one past it', () => {
    const first = item('a', 'x'.repeat(40));
    const second = item('b', 'y'.repeat(40));
    const exact = ENVELOPE_OVERHEAD_BYTES + first.bytes + 1 + second.bytes;
    const fitting = split([first, second], exact, 100);
    expect(fitting).toHaveLength(1);
    expect(fitting[0]?.bytes).toBe(exact);
    expect(Buffer.byteLength(fitting[0]?.body ?? '')).toBe(exact);

    const tooSmall = split([first, second], exact - 1, 100);
    expect(tooSmall.map((envelope) => envelope.ids)).toEqual([['a'], ['b']]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const wide = item('w', '漢字🦠é'.repeat(10));
    expect(wide.bytes).toBeGreaterThan(wide.json.length);
    const envelopes = split([wide, wide], ENVELOPE_OVERHEAD_BYTES + 2 * wide.json.length + 1, 100);
    expect(envelopes).toHaveLength(2);
    for (const envelope of envelopes) expect(Buffer.byteLength(envelope.body)).toBe(envelope.bytes);
  });

  it('puts at most maxObjects objects in one envelope', () => {
    const items = Array.from({ length: 7 }, (_, index) => item(`o${index}`, ''));
    expect(split(items, 1_000_000, 3).map((envelope) => envelope.ids.length)).toEqual([3, 3, 1]);
  });

  it('refuses an object no envelope can carry, and says how large one may be', () => {
    const splitter = new EnvelopeSplitter({ maxBytes: 100, maxObjects: 10 });
    expect(splitter.maxObjectBytes).toBe(100 - ENVELOPE_OVERHEAD_BYTES);
    const large = item('big', 'z'.repeat(100));
    expect(() => splitter.add(large.id, large.json, large.bytes)).toThrow(RangeError);
    const fits = item('ok', '');
    expect(splitter.add(fits.id, fits.json, fits.bytes)).toBeUndefined();
  });

  it('cuts any stream into valid envelopes under the limit that hold every object once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { maxLength: 60 }),
        fc.integer({ min: 120, max: 600 }),
        fc.integer({ min: 1, max: 10 }),
        (fillers, maxBytes, maxObjects) => {
          const items = fillers.map((filler, index) => item(`id-${index}`, filler)).filter((candidate) => candidate.bytes <= maxBytes - ENVELOPE_OVERHEAD_BYTES);
          const envelopes = split(items, maxBytes, maxObjects);
          const posted: unknown[] = [];
          for (const envelope of envelopes) {
            expect(Buffer.byteLength(envelope.body)).toBe(envelope.bytes);
            expect(envelope.bytes).toBeLessThanOrEqual(maxBytes);
            expect(envelope.ids.length).toBeGreaterThan(0);
            expect(envelope.ids.length).toBeLessThanOrEqual(maxObjects);
            const parsed = JSON.parse(envelope.body) as { objects: { id: string }[] };
            expect(Object.keys(parsed)).toEqual(['objects']);
            expect(parsed.objects.map((object) => object.id)).toEqual(envelope.ids);
            posted.push(...parsed.objects);
          }
          expect(posted).toEqual(items.map((candidate) => JSON.parse(candidate.json)));
          // No envelope could have taken the next one's first object: the cut is as late as the limits allow.
          envelopes.slice(0, -1).forEach((envelope, index) => {
            const next = items[envelopes.slice(0, index + 1).reduce((sum, e) => sum + e.ids.length, 0)];
            if (next && envelope.ids.length < maxObjects) expect(envelope.bytes + 1 + next.bytes).toBeGreaterThan(maxBytes);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
