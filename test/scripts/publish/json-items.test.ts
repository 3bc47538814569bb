import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PROJECT_ROOT } from '../../../server/config/settings';
import { countJsonItems, InputSyntaxError, jsonItems, JsonItemScanner } from '../../../scripts/publish/json-items';
import { indicator, malware } from '../../support/stix-samples';

/** Everything the scanner yields for `text` fed in the given chunk sizes (cycled). */
function scan(text: string, chunkSizes: number[] = [text.length || 1]): unknown[] {
  const scanner = new JsonItemScanner();
  const items: unknown[] = [];
  let at = 0;
  for (let step = 0; at < text.length; step += 1) {
    const size = Math.max(1, chunkSizes[step % chunkSizes.length] ?? 1);
    items.push(...scanner.push(text.slice(at, at + size)));
    at += size;
  }
  items.push(...scanner.end());
  return items;
}

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

const a = indicator({ name: 'a "quoted" name with \\ backslash, [brackets] and {braces}, "objects": [1]' });
const b = malware({ description: 'unicode: é ü 漢字 🦠 and \u2028 separators' });
const c = indicator({ external_references: [{ source_name: 'x', url: 'https://example.org/?a=[1]&b={2}' }], labels: [] });
const objects = [a, b, c];

describe('JsonItemScanner', () => {
  it.each([
    ['a STIX bundle', JSON.stringify({ type: 'bundle', id: 'bundle--1', objects }, null, 2)],
    ['a bundle whose objects come after other keys and before more', JSON.stringify({ id: 'bundle--1', spec_version: '2.1', objects, type: 'bundle', x: { objects: [9] } })],
    ['a TAXII envelope with more and next', JSON.stringify({ more: true, next: 'abc', objects })],
    ['a JSON array', JSON.stringify(objects)],
    ['JSON lines', objects.map((object) => JSON.stringify(object)).join('\n')],
    ['JSON lines with CRLF, blank lines and a trailing newline', `\r\n${objects.map((object) => JSON.stringify(object)).join('\r\n\r\n')}\r\n`],
    ['a bundle after a byte order mark', `\ufeff${JSON.stringify({ type: 'bundle', id: 'bundle--1', objects })}`],
    ['two bundles one after the other', `${JSON.stringify({ type: 'bundle', objects: [a] })}\n${JSON.stringify({ type: 'bundle', objects: [b, c] })}`],
    ['a bundle whose objects key is written with an escape', `{"type":"bundle","obj\\u0065cts":${JSON.stringify(objects)}}`],
  ])('yields each object of %s in order, whole or one character at a time', (_shape, text) => {
    expect(scan(text)).toEqual(objects);
    expect(scan(text, [1])).toEqual(objects);
    expect(scan(text, [7, 3, 101, 2])).toEqual(objects);
  });

  it.each([
    ['an empty bundle', '{"type":"bundle","id":"bundle--1","objects":[]}'],
    ['a bundle without objects', '{"type":"bundle","id":"bundle--1"}'],
    ['an envelope without objects', '{"more":false}'],
    ['an empty array', '[ ]'],
    ['nothing but whitespace', ' \n\t '],
  ])('yields nothing for %s', (_shape, text) => {
    expect(scan(text)).toEqual([]);
  });

  it('takes an object whose `objects` is not a list (observed-data in JSON lines) as one item', () => {
    const observed = { type: 'observed-data', id: 'observed-data--1', objects: { 0: { type: 'file', name: 'x' } } };
    expect(scan(`${JSON.stringify(observed)}\n${JSON.stringify(a)}`)).toEqual([observed, a]);
  });

  it('yields array elements that are not objects, for the caller to reject', () => {
    expect(scan('[1, "two", null, [3], {"id": "x"}]')).toEqual([1, 'two', null, [3], { id: 'x' }]);
  });

  it('keeps a backslash that ends a chunk inside a string', () => {
    const text = JSON.stringify([{ id: 'x', value: 'a\\"b\\\\' }]);
    for (let cut = 1; cut < text.length; cut += 1) expect(scan(text, [cut, text.length])).toEqual([{ id: 'x', value: 'a\\"b\\\\' }]);
  });

  it.each([
    ['a file cut short', JSON.stringify({ type: 'bundle', objects }).slice(0, -40), /the input ends inside a JSON value: is the file complete\? \(at character \d+\)/],
    ['a file cut inside a string', '{"type":"bundle","objects":[{"id":"abc', /ends inside a JSON value/],
    ['a trailing comma', '[{"id":"a"},]', /unexpected '\]' in a list \(at character 12\)/],
    ['two commas', '[{"id":"a"},,{"id":"b"}]', /unexpected ',' in a list/],
    ['an invalid element', '{"objects":[{"id":"a"},{"id":}]}', /item 2 is not valid JSON: .* \(at character 30\)/],
    ['a mismatched bracket', '[{"id":"a"]]', /unexpected '\]'/],
    ['a bare number', '42', /expected a JSON array, a STIX bundle, a TAXII envelope or one STIX object per line \(at character 0\)/],
    ['a JSON line that is not JSON', '{"id":"a"}\n{id: b}', /invalid JSON object/],
  ])('refuses %s with the position', (_case, text, message) => {
    expect(() => scan(text)).toThrow(InputSyntaxError);
    expect(() => scan(text)).toThrow(message);
  });

  it('counts without parsing what parsing yields', async () => {
    const text = JSON.stringify({ type: 'bundle', objects: [...objects, 1, 'x'] });
    expect(await countJsonItems(chunksOf(text, 5))).toBe(5);
    expect(await countJsonItems(chunksOf(objects.map((object) => JSON.stringify(object)).join('\n'), 3))).toBe(3);
    expect(await countJsonItems(chunksOf('{"type":"bundle","objects":[]}', 4))).toBe(0);
  });

  it('agrees with JSON.parse on any array of JSON objects, in any chunking', () => {
    const item = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), fc.boolean(), (items, sizes, asBundle) => {
        const text = asBundle ? JSON.stringify({ type: 'bundle', objects: items }, null, 1) : JSON.stringify(items);
        expect(scan(text, sizes)).toEqual(asBundle ? (JSON.parse(text) as { objects: unknown[] }).objects : JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('jsonItems on a real bundle', () => {
  it('streams the ATT&CK for ICS bundle object by object, as JSON.parse of the whole file reads it', async () => {
    const text = readFileSync(join(PROJECT_ROOT, 'fixtures', 'real', 'attack', 'ics-attack-18.1.json'), 'utf8');
    const expected = (JSON.parse(text) as { objects: unknown[] }).objects;
    const streamed: unknown[] = [];
    for await (const item of jsonItems(chunksOf(text, 4096))) streamed.push(item);
    expect(streamed).toHaveLength(1826);
    expect(streamed).toEqual(expected);
    expect(await countJsonItems(chunksOf(text, 65536))).toBe(1826);
  });
});
