// Tokens of the STIX 2.1 Patterning language (STIX 2.1 Part 9, and the OASIS STIXPattern grammar it
// describes). Keywords are upper case; true and false are lower case.

export type TokenKind =
  | 'keyword' | 'identifier' | 'string' | 'int' | 'float' | 'bool' | 'timestamp' | 'hex' | 'binary'
  | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text (for string literals: the unescaped value). */
  readonly text: string;
  /** Character offset of the token's first character in the pattern. */
  readonly offset: number;
}

export class PatternSyntaxError extends Error {
  constructor(readonly offset: number, readonly expected: string, readonly found: string) {
    super(`syntax error at character ${offset}: expected ${expected}, found ${found}`);
  }
}

/** A pattern beyond what we accept (docs/security.md §3): not a syntax error, but a reason of its own. */
export class PatternLimitError extends Error {
  constructor(readonly limit: string, readonly offset?: number) {
    super(offset === undefined ? limit : `${limit} (at character ${offset})`);
  }
}

const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'IN',
  'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES',
]);

const PUNCT = ['<=', '>=', '!=', '<>', '==', '=', '<', '>', '[', ']', '(', ')', ':', '.', ',', '*'] as const;

const TIMESTAMP_BODY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const BASE64_BODY = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of pattern';
  if (token.kind === 'string') return `string '${token.text}'`;
  return `'${token.text}'`;
}

function readQuoted(source: string, start: number): { value: string; end: number } {
  // start is at the opening quote; only \' and \\ are escapes in STIX string literals.
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === "'") return { value, end: i + 1 };
    if (c === '\\') {
      const next = source[i + 1];
      if (next !== "'" && next !== '\\') throw new PatternSyntaxError(i, "\\' or \\\\ after a backslash", next === undefined ? 'end of pattern' : `'\\${next}'`);
      value += next;
      i += 2;
      continue;
    }
    value += c;
    i += 1;
  }
  throw new PatternSyntaxError(start, 'a closing quote for the string', 'end of pattern');
}

function prefixedLiteral(source: string, i: number, kind: 'timestamp' | 'hex' | 'binary'): Token {
  const { value, end } = readQuoted(source, i + 1);
  const ok = kind === 'timestamp' ? TIMESTAMP_BODY.test(value) : kind === 'hex' ? /^([0-9a-fA-F]{2})*$/.test(value) : BASE64_BODY.test(value);
  if (!ok) {
    const what = { timestamp: "a timestamp t'YYYY-MM-DDTHH:MM:SS[.s+]Z'", hex: "an even number of hex digits in h'...'", binary: "base64 in b'...'" }[kind];
    throw new PatternSyntaxError(i, what, `'${source.slice(i, end)}'`);
  }
  return { kind, text: value, offset: i };
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^(\s+|\/\*[\s\S]*?\*\/|\/\/[^\n]*)/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const c = source[i] ?? '';
    if (c === "'") {
      const { value, end } = readQuoted(source, i);
      tokens.push({ kind: 'string', text: value, offset: i });
      i = end;
      continue;
    }
    if ((c === 't' || c === 'h' || c === 'b') && source[i + 1] === "'") {
      const token = prefixedLiteral(source, i, c === 't' ? 'timestamp' : c === 'h' ? 'hex' : 'binary');
      tokens.push(token);
      i = readQuoted(source, i + 1).end;
      continue;
    }
    const number = /^[+-]?(\d*\.\d+|\d+)/.exec(rest);
    if (number) {
      const text = number[0];
      const isFloat = text.includes('.');
      if (!isFloat && /^[+-]?0\d/.test(text)) throw new PatternSyntaxError(i, 'an integer without leading zeros', `'${text}'`);
      tokens.push({ kind: isFloat ? 'float' : 'int', text, offset: i });
      i += text.length;
      continue;
    }
    const word = /^[a-zA-Z_][a-zA-Z0-9_-]*/.exec(rest);
    if (word) {
      const text = word[0];
      const kind: TokenKind = KEYWORDS.has(text) ? 'keyword' : text === 'true' || text === 'false' ? 'bool' : 'identifier';
      tokens.push({ kind, text, offset: i });
      i += text.length;
      continue;
    }
    const punct = PUNCT.find((p) => rest.startsWith(p));
    if (!punct) throw new PatternSyntaxError(i, 'a token', `'${c}'`);
    tokens.push({ kind: 'punct', text: punct, offset: i });
    i += punct.length;
  }
  tokens.push({ kind: 'eof', text: '', offset: source.length });
  return tokens;
}
