import type { ComparisonExpression, ComparisonOperator, Literal, ObjectPath, ObservationExpression, PathStep, Qualifier } from './ast';
import { describe, PatternLimitError, PatternSyntaxError, type Token, tokenize } from './lexer';
import { MAX_PATTERN_COMPARISONS, MAX_PATTERN_LENGTH, MAX_PATTERN_NESTING } from '../limits';

// Recursive descent, lowest precedence first (Part 9.5): FOLLOWEDBY < OR < AND between observation
// expressions, and OR < AND inside brackets. Qualifiers bind to the observation expression before them.
// Chains of AND, OR and FOLLOWEDBY are loops; only parentheses recurse, and at most
// MAX_PATTERN_NESTING of them may be open at once, so no pattern can exhaust the stack (docs/security.md §3).
class Parser {
  private position = 0;
  private nesting = 0;
  private comparisons = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parsePattern(): ObservationExpression {
    const expression = this.observationFollowedBy();
    this.expect((t) => t.kind === 'eof', 'AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern');
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? this.tokens[this.tokens.length - 1] ?? { kind: 'eof', text: '', offset: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position += 1;
    return token;
  }

  private is(kind: Token['kind'], text?: string): boolean {
    const token = this.peek();
    return token.kind === kind && (text === undefined || token.text === text);
  }

  private expect(test: (token: Token) => boolean, expected: string): Token {
    const token = this.peek();
    if (!test(token)) throw new PatternSyntaxError(token.offset, expected, describe(token));
    return this.next();
  }

  /** Consumes '(' of a group, counting how many are open. */
  private open(): void {
    const token = this.next();
    this.nesting += 1;
    if (this.nesting > MAX_PATTERN_NESTING) {
      throw new PatternLimitError(`nests parentheses more than ${MAX_PATTERN_NESTING} levels deep`, token.offset);
    }
  }

  private countComparison(): void {
    this.comparisons += 1;
    if (this.comparisons > MAX_PATTERN_COMPARISONS) {
      throw new PatternLimitError(`has more than ${MAX_PATTERN_COMPARISONS} comparison expressions`, this.peek().offset);
    }
  }

  private punct(text: string): Token {
    return this.expect((t) => t.kind === 'punct' && t.text === text, `'${text}'`);
  }

  private keyword(text: string): Token {
    return this.expect((t) => t.kind === 'keyword' && t.text === text, text);
  }

  private binary<T>(operand: () => T, keyword: string, make: (left: T, right: T) => T): T {
    let left = operand();
    while (this.is('keyword', keyword)) {
      this.next();
      left = make(left, operand());
    }
    return left;
  }

  private observationFollowedBy(): ObservationExpression {
    return this.binary(() => this.observationOr(), 'FOLLOWEDBY', (left, right) => ({ kind: 'followedby', left, right }));
  }

  private observationOr(): ObservationExpression {
    return this.binary(() => this.observationAnd(), 'OR', (left, right) => ({ kind: 'or', left, right }));
  }

  private observationAnd(): ObservationExpression {
    return this.binary(() => this.observation(), 'AND', (left, right) => ({ kind: 'and', left, right }));
  }

  private observation(): ObservationExpression {
    if (this.is('punct', '(')) {
      this.open();
      const inner = this.observationFollowedBy();
      this.punct(')');
      this.nesting -= 1;
      return { kind: 'group', inner, qualifiers: this.qualifiers() };
    }
    this.expect((t) => t.kind === 'punct' && t.text === '[', "'[' to open an observation expression, or '('");
    const comparison = this.comparisonOr();
    this.expect((t) => t.kind === 'punct' && t.text === ']', "AND, OR or ']' to close the observation expression");
    return { kind: 'observation', comparison, qualifiers: this.qualifiers() };
  }

  private qualifiers(): Qualifier[] {
    const qualifiers: Qualifier[] = [];
    for (;;) {
      if (this.is('keyword', 'WITHIN')) {
        this.next();
        const amount = this.expect((t) => (t.kind === 'int' || t.kind === 'float') && !t.text.startsWith('-') && Number(t.text) > 0, 'a positive number of seconds');
        this.keyword('SECONDS');
        qualifiers.push({ kind: 'within', seconds: Number(amount.text) });
      } else if (this.is('keyword', 'REPEATS')) {
        this.next();
        const times = this.expect((t) => t.kind === 'int' && !t.text.startsWith('-') && Number(t.text) > 0, 'a positive integer');
        this.keyword('TIMES');
        qualifiers.push({ kind: 'repeats', times: Number(times.text) });
      } else if (this.is('keyword', 'START')) {
        this.next();
        const start = this.expect((t) => t.kind === 'timestamp', "a timestamp literal t'...'");
        this.keyword('STOP');
        const stop = this.expect((t) => t.kind === 'timestamp', "a timestamp literal t'...'");
        qualifiers.push({ kind: 'start-stop', start: start.text, stop: stop.text });
      } else {
        return qualifiers;
      }
    }
  }

  private comparisonOr(): ComparisonExpression {
    return this.binary(() => this.comparisonAnd(), 'OR', (left, right) => ({ kind: 'or', left, right }));
  }

  private comparisonAnd(): ComparisonExpression {
    return this.binary(() => this.propertyTest(), 'AND', (left, right) => ({ kind: 'and', left, right }));
  }

  private propertyTest(): ComparisonExpression {
    if (this.is('punct', '(')) {
      this.open();
      const inner = this.comparisonOr();
      this.expect((t) => t.kind === 'punct' && t.text === ')', "AND, OR or ')'");
      this.nesting -= 1;
      return inner;
    }
    this.countComparison();
    if (this.is('keyword', 'EXISTS')) {
      this.next();
      return { kind: 'exists', path: this.objectPath() };
    }
    const path = this.objectPath();
    const negated = this.is('keyword', 'NOT');
    if (negated) this.next();
    const operator = this.operator();
    return { kind: 'comparison', path, negated, operator, value: this.operand(operator) };
  }

  private operator(): ComparisonOperator {
    const token = this.expect(
      (t) => (t.kind === 'punct' && ['=', '==', '!=', '<>', '<', '>', '<=', '>='].includes(t.text)) ||
        (t.kind === 'keyword' && ['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(t.text)),
      'a comparison operator (=, !=, <, >, <=, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)',
    );
    if (token.text === '==') return '=';
    if (token.text === '<>') return '!=';
    return token.text as ComparisonOperator;
  }

  private operand(operator: ComparisonOperator): Literal | Literal[] {
    if (operator === 'IN') return this.setLiteral();
    if (operator === 'LIKE' || operator === 'MATCHES' || operator === 'ISSUBSET' || operator === 'ISSUPERSET') {
      return this.literal((t) => t.kind === 'string', `a string literal after ${operator}`);
    }
    if (operator === '=' || operator === '!=') return this.literal((t) => t.kind !== 'punct' && t.kind !== 'keyword' && t.kind !== 'identifier' && t.kind !== 'eof', 'a literal');
    return this.literal((t) => ['string', 'int', 'float', 'timestamp', 'hex', 'binary'].includes(t.kind), `an orderable literal after ${operator} (string, number, timestamp, hex or binary)`);
  }

  private literal(test: (token: Token) => boolean, expected: string): Literal {
    const token = this.expect(test, expected);
    return { kind: token.kind as Literal['kind'], value: token.text };
  }

  private setLiteral(): Literal[] {
    this.punct('(');
    const values: Literal[] = [];
    if (this.is('punct', ')')) {
      this.next();
      return values;
    }
    for (;;) {
      values.push(this.literal((t) => ['string', 'int', 'float', 'bool', 'timestamp', 'hex', 'binary'].includes(t.kind), 'a literal in the set'));
      if (this.is('punct', ')')) {
        this.next();
        return values;
      }
      this.punct(',');
    }
  }

  private objectPath(): ObjectPath {
    const type = this.expect((t) => t.kind === 'identifier', 'an object type such as file or ipv4-addr');
    this.punct(':');
    const steps: PathStep[] = [{ kind: 'property', name: this.pathName() }];
    for (;;) {
      if (this.is('punct', '.')) {
        this.next();
        steps.push({ kind: 'property', name: this.pathName() });
      } else if (this.is('punct', '[')) {
        this.next();
        const index = this.expect((t) => t.kind === 'int' || (t.kind === 'punct' && t.text === '*'), "a list index (an integer or '*')");
        this.punct(']');
        steps.push({ kind: 'index', index: index.text === '*' ? '*' : Number(index.text) });
      } else {
        return { objectType: type.text, steps };
      }
    }
  }

  private pathName(): string {
    // Path components are identifiers or quoted strings (for keys such as 'SHA-256'); a hyphen only in quotes.
    const token = this.expect((t) => (t.kind === 'identifier' && !t.text.includes('-')) || t.kind === 'string' || t.kind === 'bool', 'a property name or a quoted key');
    return token.text;
  }
}

/**
 * Parses a STIX 2.1 pattern; throws PatternSyntaxError with the character offset and what was
 * expected, or PatternLimitError when the pattern is longer, deeper or larger than we accept.
 */
export function parsePattern(source: string): ObservationExpression {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new PatternLimitError(`is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`);
  }
  return new Parser(tokenize(source)).parsePattern();
}
