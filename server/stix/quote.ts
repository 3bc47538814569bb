/** Longest rendering of a value inside a reason, in characters, before its middle is elided. */
export const QUOTE_LIMIT = 100;
const ELLIPSIS = '…';

// Characters a reader cannot see, or cannot tell from a plain space, once printed: C0/C1 controls,
// format characters (zero-width space, BOM, bidi overrides), every space but U+0020, line and
// paragraph separators. JSON.stringify escapes only the C0 controls, quote and backslash.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu;

function escapeInvisible(json: string): string {
  return json.replace(INVISIBLE, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** A string as JSON, every invisible character escaped: the rendering stays valid JSON of the same value. */
function jsonString(text: string): string {
  return escapeInvisible(JSON.stringify(text));
}

/**
 * The offending value of a reason, quoted as JSON so that what is wrong can be seen: a trailing
 * space sits before the closing quote, a newline shows as \n, a no-break space as \u00a0. A long
 * value keeps its start and its end, where faults usually are, and loses its middle to an
 * ellipsis followed by its full length; in a string, a cut never falls inside an escape sequence.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') return quoteString(value);
  const text = escapeInvisible(JSON.stringify(value) ?? String(value));
  const chars = Array.from(text);
  if (chars.length <= QUOTE_LIMIT) return text;
  const [head, tail] = split(chars.length);
  return `${chars.slice(0, head).join('')}${ELLIPSIS}${chars.slice(chars.length - tail).join('')} (${chars.length} characters)`;
}

function quoteString(value: string): string {
  const whole = jsonString(value);
  if (whole.length <= QUOTE_LIMIT) return whole;
  // Cut the value itself, then quote each part: an escape such as \n or \u00a0 stays whole.
  const chars = Array.from(value);
  let [head, tail] = split(QUOTE_LIMIT);
  let rendered = join(chars, head, tail);
  while (rendered.length > QUOTE_LIMIT && head + tail > 2) {
    if (head > tail) head -= 1;
    else tail -= 1;
    rendered = join(chars, head, tail);
  }
  return `${rendered} (${chars.length} characters)`;
}

function join(chars: readonly string[], head: number, tail: number): string {
  const start = jsonString(chars.slice(0, head).join(''));
  const end = jsonString(chars.slice(chars.length - tail).join(''));
  return `${start.slice(0, -1)}${ELLIPSIS}${end.slice(1)}`;
}

/** Two thirds for the start, one third for the end, one character for the ellipsis. */
function split(length: number): [head: number, tail: number] {
  const room = Math.min(length, QUOTE_LIMIT) - 1;
  const head = Math.ceil((room * 2) / 3);
  return [head, room - head];
}
