import { checkStixPattern } from '../../server/stix/pattern/check-pattern';
import { PatternLimitError, PatternSyntaxError } from '../../server/stix/pattern/lexer';
import { parsePattern } from '../../server/stix/pattern/parser';

// Patterns from STIX 2.1 Part 9 (patterning) and its examples.
const VALID = [
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']",
  "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
  "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
  "[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']",
  "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
  "[windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\CryptoLocker\\\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\\\Software\\\\Microsoft\\\\CurrentVersion\\\\Run\\\\CryptoLocker_0388']",
  "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar'] WITHIN 300 SECONDS",
  "[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul']",
  "[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\\\xd4\\\\xc3\\\\xb2\\\\xa1\\\\x02\\\\x00\\\\x04\\\\x00']",
  "[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']",
  "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
  "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
  "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
  "[network-traffic:extensions.'tcp-ext'.src_flags_hex != h'00' ] REPEATS 5 TIMES WITHIN 1800 SECONDS",
  "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
  "[file:size IN (1, 2, 3)] OR ([process:name NOT LIKE 'svc%'] AND [mutex:name = 'x'])",
  "[file:created > t'2016-06-01T00:00:00.123Z' AND file:x_flag = true AND file:x_blob = b'aGVsbG8=' AND file:size <= -1]",
  "[x-acme-widget:'weird key'.values[0] >= 2.5 AND NOT_A_KEYWORD:y = 'z'] OR [(file:name = 'a' OR file:name = 'b') AND file:size < 10]",
  "[EXISTS process:command_line] // comments are whitespace",
  "[process:pid = 4 ] /* block comment */ AND [file:name = 'it\\'s']",
];

// [pattern, offset, what the error should say was expected]
const INVALID: readonly (readonly [string, number, string])[] = [
  ["[file:name = 'a'", 16, "AND, OR or ']'"],
  ["file:name = 'a'", 0, "'['"],
  ["[file:name 'a']", 11, 'a comparison operator'],
  ["[file:name = 'a'] AND", 21, "'[' to open an observation expression"],
  ["[file:name LIKE 5]", 16, 'a string literal after LIKE'],
  ["[file:name = 'a'] WITHIN 0 SECONDS", 25, 'a positive number of seconds'],
  ["[file:name = 'a'] REPEATS 2.5 TIMES", 26, 'a positive integer'],
  ["[file:name = 'a'] START t'2016-13-01T00:00:00Z' STOP t'2016-14-01T00:00:00Z'", 24, 'a timestamp'],
  ["[file:size IN 1]", 14, "'('"],
  ["[file:name = 'a\\n']", 15, "\\' or \\\\ after a backslash"],
  ["[file:hashes.SHA-256 = 'x']", 13, 'a property name or a quoted key'],
  ["[file:magic_number_hex = h'abc']", 25, 'an even number of hex digits'],
  ["[file:name = 'unterminated]", 13, 'a closing quote'],
  ["[file:size = 007]", 13, 'an integer without leading zeros'],
  ["[file:name = 'a'] FOLLOWEDBY", 28, "'[' to open an observation expression"],
  ["[file:name = 'a'] and [file:name = 'b']", 18, 'AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern'],
];

describe('STIX pattern parser', () => {
  it.each(VALID)('accepts %s', (pattern) => {
    expect(() => parsePattern(pattern)).not.toThrow();
  });

  it.each(INVALID)('rejects %s at character %d, expecting %s', (pattern, offset, expected) => {
    let error: unknown;
    try {
      parsePattern(pattern);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PatternSyntaxError);
    expect((error as PatternSyntaxError).offset).toBe(offset);
    expect((error as PatternSyntaxError).message).toContain(`expected ${expected}`);
  });

  it('binds AND tighter than OR tighter than FOLLOWEDBY between observations', () => {
    const tree = parsePattern("[a:b = 1] FOLLOWEDBY [a:b = 2] OR [a:b = 3] AND [a:b = 4]");
    expect(tree.kind).toBe('followedby');
    if (tree.kind !== 'followedby') return;
    expect(tree.right.kind).toBe('or');
    if (tree.right.kind !== 'or') return;
    expect(tree.right.right.kind).toBe('and');
  });

  it('keeps qualifiers on the observation they follow, in order', () => {
    const tree = parsePattern("[a:b = 1] REPEATS 3 TIMES WITHIN 10 SECONDS AND [a:b = 2]");
    expect(tree.kind).toBe('and');
    if (tree.kind !== 'and' || tree.left.kind !== 'observation') throw new Error('unexpected shape');
    expect(tree.left.qualifiers).toEqual([{ kind: 'repeats', times: 3 }, { kind: 'within', seconds: 10 }]);
  });

  it('unescapes string literals and keeps quoted path components', () => {
    const tree = parsePattern("[file:hashes.'SHA-256'[*] = 'it\\'s \\\\ here']");
    if (tree.kind !== 'observation' || tree.comparison.kind !== 'comparison') throw new Error('unexpected shape');
    expect(tree.comparison.path.steps).toEqual([{ kind: 'property', name: 'hashes' }, { kind: 'property', name: 'SHA-256' }, { kind: 'index', index: '*' }]);
    expect(tree.comparison.value).toEqual({ kind: 'string', value: "it's \\ here" });
  });
});

describe('pattern limits (docs/security.md §3)', () => {
  const comparison = "file:name = 'a'";

  it.each([
    ['33 nested groups of observations', `${'('.repeat(33)}[${comparison}]${')'.repeat(33)}`, /nests parentheses more than 32 levels deep \(at character 32\)/],
    ['33 nested groups inside an observation', `[${'('.repeat(33)}${comparison}${')'.repeat(33)}]`, /nests parentheses more than 32 levels deep \(at character 33\)/],
    ['1,001 comparisons', `[${Array.from({ length: 1001 }, () => comparison).join(' AND ')}]`, /has more than 1000 comparison expressions/],
    ['1,001 observations', Array.from({ length: 1001 }, () => `[${comparison}]`).join(' FOLLOWEDBY '), /has more than 1000 comparison expressions/],
    ['65,537 characters', `[${comparison}]${' '.repeat(65_537)}`, /is 65554 characters long; at most 65536 are accepted/],
  ])('refuses %s with a PatternLimitError', (_label, pattern, message) => {
    expect(() => parsePattern(pattern)).toThrow(PatternLimitError);
    expect(() => parsePattern(pattern)).toThrow(message);
  });

  it.each([
    ['32 nested groups', `${'('.repeat(16)}[${'('.repeat(16)}${comparison}${')'.repeat(16)}]${')'.repeat(16)}`],
    ['1,000 comparisons', `[${Array.from({ length: 1000 }, () => comparison).join(' OR ')}]`],
  ])('parses %s, at the limit', (_label, pattern) => {
    expect(() => parsePattern(pattern)).not.toThrow();
  });

  it('reports a limit as a reason of the pattern, and walks a long chain without recursion', () => {
    expect(checkStixPattern(`${'('.repeat(1000)}[${comparison}]${')'.repeat(1000)}`)).toEqual(['/pattern: nests parentheses more than 32 levels deep (at character 32)']);
    const chain = `[${Array.from({ length: 1000 }, (_, n) => (n === 999 ? "x:y = 'a'" : comparison)).join(' AND ')}]`;
    expect(checkStixPattern(chain)).toEqual(["/pattern: 'x' is not a valid object type name (a-z, 0-9 and hyphen, 3 to 250 characters)"]);
  });
});
