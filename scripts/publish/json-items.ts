/**
 * An incremental reader of the STIX objects in a JSON text that arrives in chunks, so that a bundle of
 * any size is published without holding it whole (a 40 MB ATT&CK bundle parsed as one string costs
 * several hundred MB of heap). No streaming JSON parser is installed, and this needs only the
 * structure: it tracks brackets and strings, cuts out one item's text at a time and hands that small
 * text to JSON.parse, which does the real validation.
 *
 * One input is a sequence of top-level JSON values, each of which is
 * - an array: each element is an item;
 * - an object with an `objects` array (a STIX bundle or a TAXII envelope): each element of that
 *   array is an item, and the rest of the object is skipped;
 * - any other object: itself an item (JSON-lines, or concatenated STIX objects), except a bundle or
 *   an envelope that holds no `objects` list, which holds no item.
 */

const QUOTE = 0x22;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const BYTE_ORDER_MARK = 0xfeff;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The input is not JSON of a shape that holds STIX objects; `position` counts characters from the start. */
export class InputSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} (at character ${position})`);
    this.name = 'InputSyntaxError';
  }
}

/** Text being cut out of the input; it may span chunks, so earlier chunks' parts are kept aside. */
interface Capture {
  parts: string[];
  /** Where it starts in the current chunk: 0 once it has carried over from an earlier chunk. */
  from: number;
}

const ENVELOPE_KEYS = new Set(['objects', 'more', 'next']);

/** A complete top-level object that is not a container: an item, unless it is an empty bundle or envelope. */
function standaloneItem(value: unknown): { item: unknown } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { item: value };
  const record = value as Record<string, unknown>;
  if (record.type === 'bundle') return undefined;
  if (!('type' in record) && Object.keys(record).every((key) => ENVELOPE_KEYS.has(key))) return undefined;
  return { item: value };
}

export class JsonItemScanner {
  /** Open containers, innermost last: OPEN_OBJECT or OPEN_ARRAY. */
  private readonly stack: number[] = [];
  private inString = false;
  /** The chunk ended right after a backslash inside a string. */
  private escaped = false;
  /** Characters of the input before the current chunk. */
  private offset = 0;
  private items = 0;

  /** Depth (stack length) of the array whose elements are items, while inside one. */
  private itemsDepth: number | undefined;
  /** Inside the items array: an element is expected next (after `[` or `,`), and whether a `,` led here. */
  private awaitingElement = false;
  private afterComma = false;
  private element: Capture | undefined;

  /** A top-level object, cut out whole until it turns out to be a bundle or envelope. */
  private topObject: Capture | undefined;
  /** Keys of the top-level object (depth 1): whether a key comes next, the key being read, the last key. */
  private expectingKey = false;
  private key: Capture | undefined;
  private lastKey = '';
  /** After `"objects":` at depth 1: the next value decides whether this object is a container. */
  private valueOfObjectsKey = false;

  private pending: unknown[] = [];

  /** With `parse: false` items are only counted (a first pass that gives the progress bar its total). */
  constructor(private readonly options: { parse: boolean } = { parse: true }) {}

  /** How many items have been completed so far. */
  get itemCount(): number {
    return this.items;
  }

  /** Feeds the next chunk; returns the items it completed, in input order. */
  push(chunk: string): unknown[] {
    this.pending = [];
    let i = 0;
    // A byte order mark, as some Windows tools write, is not part of the JSON text (RFC 8259 §8.1).
    if (this.offset === 0 && chunk.charCodeAt(0) === BYTE_ORDER_MARK) i = 1;
    const length = chunk.length;
    while (i < length) {
      if (this.inString) {
        const end = this.skipString(chunk, i);
        if (end < 0) {
          i = length;
          break;
        }
        i = end;
        this.endOfString(chunk, i);
        continue;
      }
      const code = chunk.charCodeAt(i);
      if (isWhitespace(code)) {
        i += 1;
        continue;
      }
      this.structural(chunk, i, code);
      i += 1;
    }
    this.carryOver(chunk);
    this.offset += length;
    return this.pending;
  }

  /** The input is over: throws if it stopped inside a value (a truncated file), else returns nothing more. */
  end(): unknown[] {
    if (this.stack.length > 0 || this.inString) {
      throw new InputSyntaxError('the input ends inside a JSON value: is the file complete?', this.offset);
    }
    return [];
  }

  private fail(message: string, chunkIndex: number): never {
    throw new InputSyntaxError(message, this.offset + chunkIndex);
  }

  /** One character outside strings that is not whitespace. */
  private structural(chunk: string, i: number, code: number): void {
    const depth = this.stack.length;
    if (depth === 0) {
      this.topLevelValue(chunk, i, code);
      return;
    }
    if (this.itemsDepth === depth && this.awaitingElement) {
      if (code === CLOSE_ARRAY && !this.afterComma) {
        this.closeItemsArray();
        return;
      }
      if (code === COMMA || code === CLOSE_ARRAY) this.fail(`unexpected '${String.fromCharCode(code)}' in a list`, i);
      this.awaitingElement = false;
      this.afterComma = false;
      if (this.options.parse) this.element = { parts: [], from: i };
    }
    if (this.itemsDepth === depth && (code === COMMA || code === CLOSE_ARRAY)) {
      this.finishElement(chunk, i);
      if (code === COMMA) {
        this.awaitingElement = true;
        this.afterComma = true;
      } else this.closeItemsArray();
      return;
    }
    if (depth === 1 && this.stack[0] === OPEN_OBJECT) {
      if (this.topObjectMember(chunk, i, code)) return;
    }
    this.nest(chunk, i, code);
  }

  /** Brackets and strings at any depth. */
  private nest(chunk: string, i: number, code: number): void {
    if (code === QUOTE) {
      this.inString = true;
      return;
    }
    if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      this.stack.push(code);
      return;
    }
    if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      const open = this.stack.pop();
      if (open !== (code === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY)) this.fail(`unexpected '${String.fromCharCode(code)}'`, i);
      if (this.stack.length === 0) this.finishTopObject(chunk, i);
    }
    // Commas, colons and the letters of numbers and literals need no tracking: JSON.parse checks each item.
  }

  private topLevelValue(chunk: string, i: number, code: number): void {
    if (code === OPEN_ARRAY) {
      this.stack.push(code);
      this.itemsDepth = 1;
      this.awaitingElement = true;
      this.afterComma = false;
      return;
    }
    if (code === OPEN_OBJECT) {
      this.stack.push(code);
      this.topObject = { parts: [], from: i };
      this.expectingKey = true;
      this.valueOfObjectsKey = false;
      return;
    }
    this.fail('expected a JSON array, a STIX bundle, a TAXII envelope or one STIX object per line', i);
  }

  /** Depth 1 of a top-level object: reads keys, and recognises `"objects": [` as the items to stream. Returns true when handled. */
  private topObjectMember(chunk: string, i: number, code: number): boolean {
    if (code === QUOTE && this.expectingKey) {
      this.key = { parts: [], from: i };
      this.inString = true;
      return true;
    }
    if (code === COLON) {
      this.valueOfObjectsKey = this.lastKey === 'objects';
      return true;
    }
    if (code === COMMA) {
      this.expectingKey = true;
      this.valueOfObjectsKey = false;
      return true;
    }
    if (this.valueOfObjectsKey && code === OPEN_ARRAY) {
      // A bundle or an envelope: its objects are streamed one by one, and the object itself is no longer kept.
      this.valueOfObjectsKey = false;
      this.topObject = undefined;
      this.stack.push(code);
      this.itemsDepth = 2;
      this.awaitingElement = true;
      this.afterComma = false;
      return true;
    }
    this.valueOfObjectsKey = false;
    return false;
  }

  /** Returns the index just past the closing quote, or -1 when the string goes on into the next chunk. */
  private skipString(chunk: string, start: number): number {
    let j = start;
    if (this.escaped) {
      this.escaped = false;
      j += 1;
    }
    let quote = -2;
    let slash = -2;
    while (j <= chunk.length) {
      // indexOf is far faster than a loop over characters, and most of a STIX object is inside strings.
      if (quote !== -1 && quote < j) quote = chunk.indexOf('"', j);
      if (slash !== -1 && slash < j) slash = chunk.indexOf('\\', j);
      if (slash !== -1 && (quote === -1 || slash < quote)) {
        if (slash + 1 >= chunk.length) {
          this.escaped = true;
          return -1;
        }
        j = slash + 2;
        continue;
      }
      return quote === -1 ? -1 : quote + 1;
    }
    return -1;
  }

  private endOfString(chunk: string, end: number): void {
    this.inString = false;
    if (!this.key) return;
    const raw = this.key.parts.join('') + chunk.slice(this.key.from, end);
    this.key = undefined;
    this.expectingKey = false;
    // A key with escapes is decoded; JSON.parse of a string literal cannot be tricked into more than a string.
    try {
      const decoded: unknown = raw.includes('\\') ? JSON.parse(raw) : raw.slice(1, -1);
      this.lastKey = typeof decoded === 'string' ? decoded : '';
    } catch {
      this.fail('invalid key', end);
    }
  }

  private finishElement(chunk: string, i: number): void {
    this.items += 1;
    if (!this.element) return;
    const text = this.element.parts.join('') + chunk.slice(this.element.from, i);
    this.element = undefined;
    try {
      this.pending.push(JSON.parse(text) as unknown);
    } catch (error) {
      this.fail(`item ${this.items} is not valid JSON: ${(error as Error).message}`, i);
    }
  }

  private closeItemsArray(): void {
    this.stack.pop();
    this.itemsDepth = undefined;
    this.awaitingElement = false;
    this.afterComma = false;
    // Back at depth 1 of a bundle, the rest of it (its `type`, `id`, an envelope's `more`) is skipped.
  }

  private finishTopObject(chunk: string, i: number): void {
    const captured = this.topObject;
    this.topObject = undefined;
    this.expectingKey = false;
    this.valueOfObjectsKey = false;
    if (!captured) return;
    const text = captured.parts.join('') + chunk.slice(captured.from, i + 1);
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch (error) {
      this.fail(`invalid JSON object: ${(error as Error).message}`, i);
    }
    const standalone = standaloneItem(value);
    if (!standalone) return;
    this.items += 1;
    if (this.options.parse) this.pending.push(standalone.item);
  }

  /** What is still being cut out continues in the next chunk. */
  private carryOver(chunk: string): void {
    for (const capture of [this.element, this.topObject, this.key]) {
      if (!capture) continue;
      capture.parts.push(chunk.slice(capture.from));
      capture.from = 0;
    }
  }
}

/** The items of one input read as text chunks (a file or stdin with a utf8 encoding), one at a time. */
export async function* jsonItems(chunks: AsyncIterable<string>): AsyncGenerator<unknown> {
  const scanner = new JsonItemScanner();
  for await (const chunk of chunks) yield* scanner.push(chunk);
  yield* scanner.end();
}

/** How many items an input holds, without parsing them: the progress bar's total. */
export async function countJsonItems(chunks: AsyncIterable<string>): Promise<number> {
  const scanner = new JsonItemScanner({ parse: false });
  for await (const chunk of chunks) scanner.push(chunk);
  scanner.end();
  return scanner.itemCount;
}
