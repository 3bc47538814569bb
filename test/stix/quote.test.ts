import { quote, QUOTE_LIMIT } from '../../server/stix/quote';

describe('quote renders the offending value of a reason as JSON', () => {
  it.each([
    ['a trailing space stays inside the quotes', 'https://example.com/a ', '"https://example.com/a "'],
    ['a newline shows as \\n', 'line\nbreak', '"line\\nbreak"'],
    ['a tab shows as \\t', 'a\tb', '"a\\tb"'],
    ['a no-break space is escaped', 'a\u00a0b', '"a\\u00a0b"'],
    ['a zero-width space is escaped', 'a\u200bb', '"a\\u200bb"'],
    ['a right-to-left override is escaped', 'a\u202eb', '"a\\u202eb"'],
    ['a DEL and a C1 control are escaped', 'a\u007f\u0085', '"a\\u007f\\u0085"'],
    ['a quote and a backslash are escaped', 'say "hi"\\', '"say \\"hi\\"\\\\"'],
    ['letters beyond ASCII are kept as they are', 'Köln–Bonn', '"Köln–Bonn"'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
  ])('%s', (_label, value, expected) => {
    expect(quote(value)).toBe(expected);
  });

  it('keeps a value of the limit whole', () => {
    const value = 'x'.repeat(QUOTE_LIMIT - 2);
    expect(quote(value)).toBe(JSON.stringify(value));
  });

  it('cuts a long string in the middle, keeps both ends and the closing quote, and gives the full length', () => {
    const value = `https://example.com/${'a'.repeat(300)}/end `;
    const quoted = quote(value);
    expect(quoted).toMatch(/^"https:\/\/example\.com\/a+…a+\/end " \(325 characters\)$/);
    const [rendered] = quoted.split(' (');
    expect(rendered?.length).toBeLessThanOrEqual(QUOTE_LIMIT);
  });

  it('never cuts inside an escape sequence, so the rendering stays valid JSON', () => {
    for (let offset = 0; offset < 12; offset += 1) {
      const value = `${'y'.repeat(offset)}${'\n\u00a0'.repeat(200)}`;
      const rendered = quote(value).replace(/ \(\d+ characters\)$/, '');
      expect(rendered.length).toBeLessThanOrEqual(QUOTE_LIMIT);
      expect(() => JSON.parse(rendered.replace('…', '')) as unknown).not.toThrow();
      expect(rendered).toMatch(/^".*….*"$/);
    }
  });

  it('cuts a long object or list in the middle too', () => {
    const quoted = quote(Array.from({ length: 100 }, (_, index) => index));
    expect(quoted).toMatch(/^\[0,1,2,.*….*,98,99\] \(291 characters\)$/);
  });
});
