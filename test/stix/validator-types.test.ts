import { createStixValidator, type StixVerdict } from '../../server/stix/validator';
import { ALL_EXAMPLES, type Example, SCO_EXAMPLES, SDO_EXAMPLES } from '../support/stix-examples';

const validator = createStixValidator();
const strict = { strictTypes: true };

function reasonsOf(verdict: StixVerdict): string[] {
  return verdict.valid ? [] : verdict.reasons;
}

function mutate(example: Example, change: (copy: Record<string, unknown>) => void): Example {
  const copy = structuredClone(example) as Record<string, unknown>;
  change(copy);
  return copy;
}

// Required properties per type, from each type's property table in STIX 2.1 Parts 4 to 7.
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'attack-pattern': ['name'], campaign: ['name'], 'course-of-action': ['name'], grouping: ['context', 'object_refs'],
  identity: ['name'], incident: ['name'], indicator: ['pattern', 'pattern_type', 'valid_from'], infrastructure: ['name'],
  'intrusion-set': ['name'], malware: ['is_family'], 'malware-analysis': ['product'], note: ['content', 'object_refs'],
  'observed-data': ['first_observed', 'last_observed', 'number_observed'], opinion: ['opinion', 'object_refs'],
  report: ['name', 'published', 'object_refs'], 'threat-actor': ['name'], tool: ['name'], vulnerability: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'], sighting: ['sighting_of_ref'],
  'language-content': ['object_ref', 'contents'],
  'extension-definition': ['created_by_ref', 'name', 'schema', 'version', 'extension_types'],
  'autonomous-system': ['number'], directory: ['path'], 'domain-name': ['value'], 'email-addr': ['value'],
  'email-message': ['is_multipart'], 'ipv4-addr': ['value'], 'ipv6-addr': ['value'], 'mac-addr': ['value'],
  mutex: ['name'], 'network-traffic': ['protocols'], software: ['name'], url: ['value'],
};
const COMMON_SDO_REQUIRED = ['type', 'spec_version', 'id', 'created', 'modified'];

describe('spec examples', () => {
  it.each(Object.entries(ALL_EXAMPLES))('accepts the %s example, with strictTypes too', (_name, example) => {
    expect(validator.validate(example, strict)).toEqual({ valid: true });
    expect(validator.validate(example, { strictTypes: false })).toEqual({ valid: true });
  });
});

describe('a missing required property is named by its path', () => {
  const cases = [
    ...Object.keys(SDO_EXAMPLES).flatMap((type) => [...COMMON_SDO_REQUIRED.filter((p) => p !== 'type'), ...(REQUIRED[type] ?? [])].map((p) => [type, p] as const)),
    ...Object.keys(SCO_EXAMPLES).flatMap((type) => ['id', ...(REQUIRED[type] ?? [])].map((p) => [type, p] as const)),
  ];
  it.each(cases)('%s without %s', (type, property) => {
    const example = ALL_EXAMPLES[type] ?? {};
    const verdict = validator.validate(mutate(example, (o) => delete o[property]), strict);
    expect(reasonsOf(verdict)).toContain(`/${property}: is required`);
  });
});

describe('a wrong id is rejected on /id', () => {
  it.each(Object.entries(ALL_EXAMPLES))('%s with an id of another type', (_name, example) => {
    const verdict = validator.validate(mutate(example, (o) => { o.id = 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'; }), strict);
    if (example.type === 'campaign') expect(verdict).toEqual({ valid: true });
    else expect(reasonsOf(verdict)).toContainEqual(expect.stringMatching(/^\/id: must start with "[a-z0-9-]+--"/));
  });
  it.each(Object.entries(ALL_EXAMPLES))('%s with a suffix that is not an RFC 4122 UUID', (_name, example) => {
    const verdict = validator.validate(mutate(example, (o) => { o.id = `${String(o.type)}--8e2e2d2b-17d4-0cbf-738f-98ee46b3cd3f`; }), strict);
    expect(reasonsOf(verdict)).toContainEqual(expect.stringMatching(/^\/id: must be an identifier of the form/));
  });
});

describe('a property of the wrong JSON type is rejected at its path', () => {
  it.each(Object.entries(ALL_EXAMPLES))('%s with a number where a string belongs', (_name, example) => {
    const key = Object.keys(example).find((k) => typeof example[k] === 'string' && !['type', 'id', 'spec_version'].includes(k) && !k.endsWith('_ref') && !k.endsWith('_bin')) ?? 'spec_version';
    const verdict = validator.validate(mutate(example, (o) => { o[key] = 42; }), strict);
    expect(reasonsOf(verdict).some((r) => r.startsWith(`/${key}: must be`))).toBe(true);
  });
});

// Timestamp properties per type (Part 2 "timestamp"), set to a date that does not exist.
const TIMESTAMPS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.keys(SDO_EXAMPLES).map((t) => [t, 'created'])),
  'marking-definition (TLP 1.0)': 'created', directory: 'ctime', 'email-message': 'date', file: 'mtime',
  'network-traffic': 'start', process: 'created_time', 'user-account': 'account_created',
  'windows-registry-key': 'modified_time', 'x509-certificate': 'validity_not_before',
};

describe('impossible or non-UTC timestamps are rejected at their path', () => {
  // Each bad value with the exact fault the reason names (docs/stix-validation.md), or none when only the shape is wrong.
  const bad: Readonly<Record<string, string>> = {
    '2021-02-30T00:00:00Z': ': there is no day 30 in 2021-02',
    '2021-13-01T00:00:00Z': ': there is no month 13',
    '2021-01-01T00:00:00+01:00': ': it ends in "+01:00" where STIX requires Z (UTC, no offset)',
    '2021-01-01 00:00:00Z': '',
    '2021-01-01T24:00:00Z': ': 24:00:00 is not a time of day',
  };
  const cases = Object.entries(TIMESTAMPS).flatMap(([type, property]) => Object.entries(bad).map(([value, fault]) => [type, property, value, fault] as const));
  it.each(cases)('%s %s = %s', (type, property, value, fault) => {
    const verdict = validator.validate(mutate(ALL_EXAMPLES[type] ?? {}, (o) => { o[property] = value; }), strict);
    expect(reasonsOf(verdict)).toContain(`/${property}: must be a timestamp in RFC 3339 UTC form YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date${fault} (got "${value}")`);
  });
});

// The closed vocabularies (enumerations) of STIX 2.1, each with the property path that uses it.
const CLOSED: readonly (readonly [string, string, (o: Record<string, unknown>) => void])[] = [
  ['opinion', '/opinion', (o) => { o.opinion = 'mildly-agree'; }],
  ['artifact', '/encryption_algorithm', (o) => { o.encryption_algorithm = 'ROT13'; }],
  ['extension-definition', '/extension_types/0', (o) => { o.extension_types = ['new-thing']; }],
  ['process', '/extensions/windows-process-ext/integrity_level', (o) => { (o.extensions as Record<string, Record<string, unknown>>)['windows-process-ext']!.integrity_level = 'highest'; }],
  ['process', '/extensions/windows-service-ext/start_type', (o) => { (o.extensions as Record<string, Record<string, unknown>>)['windows-service-ext']!.start_type = 'SERVICE_SOMETIMES'; }],
  ['process', '/extensions/windows-service-ext/service_type', (o) => { (o.extensions as Record<string, Record<string, unknown>>)['windows-service-ext']!.service_type = 'SERVICE_USER'; }],
  ['process', '/extensions/windows-service-ext/service_status', (o) => { (o.extensions as Record<string, Record<string, unknown>>)['windows-service-ext']!.service_status = 'SERVICE_ASLEEP'; }],
  ['windows-registry-key', '/values/0/data_type', (o) => { o.values = [{ name: 'Foo', data_type: 'REG_STRING' }]; }],
  ['network-traffic', '/extensions/socket-ext/address_family', (o) => { o.extensions = { 'socket-ext': { address_family: 'AF_MARS' } }; }],
  ['network-traffic', '/extensions/socket-ext/socket_type', (o) => { o.extensions = { 'socket-ext': { address_family: 'AF_INET', socket_type: 'SOCK_PIPE' } }; }],
  ['marking-definition (TLP 1.0)', '/definition/tlp', (o) => { o.definition = { tlp: 'purple' }; }],
];

describe('closed vocabularies reject values outside the enumeration', () => {
  it.each(CLOSED)('%s at %s', (type, path, change) => {
    const verdict = validator.validate(mutate(ALL_EXAMPLES[type] ?? {}, change), strict);
    expect(reasonsOf(verdict)).toContainEqual(expect.stringMatching(new RegExp(`^${path}: must be one of `)));
  });
});

describe('open vocabularies accept any string', () => {
  const OPEN: readonly (readonly [string, string])[] = [
    ['identity', 'identity_class'], ['grouping', 'context'], ['indicator', 'pattern_type'], ['location', 'region'],
    ['malware-analysis', 'result'], ['user-account', 'account_type'], ['threat-actor', 'sophistication'],
  ];
  it.each(OPEN)('%s %s', (type, property) => {
    const verdict = validator.validate(mutate(ALL_EXAMPLES[type] ?? {}, (o) => { o[property] = 'something-we-never-heard-of'; }), strict);
    expect(verdict).toEqual({ valid: true });
  });
});

// STIX 2.1 §6.12, Network Socket Extension: "any options (e.g., SO_*)", the families python-stix2 accepts.
describe('socket-ext options', () => {
  const withOptions = (options: Record<string, unknown>) =>
    mutate(ALL_EXAMPLES['network-traffic'] ?? {}, (o) => { o.extensions = { 'socket-ext': { address_family: 'AF_INET', options } }; });

  it.each(['SO_REUSEADDR', 'ICMP_FILTER', 'ICMP6_FILTER', 'IP_MULTICAST_LOOP', 'IPV6_V6ONLY', 'MCAST_JOIN_GROUP', 'TCP_NODELAY', 'IRLMP_IAS_SET'])(
    'accepts the option family of %s',
    (option) => {
      expect(validator.validate(withOptions({ [option]: 1 }), strict)).toEqual({ valid: true });
    },
  );

  it.each(['AF_INET', 'SOL_SOCKET', 'so_reuseaddr', 'IP', 'TCPX_NODELAY'])('refuses %s as an option name', (option) => {
    expect(reasonsOf(validator.validate(withOptions({ [option]: 1 }), strict))).toContainEqual(
      expect.stringMatching(new RegExp(`^/extensions/socket-ext/options/${option}: is not an allowed property name here`)),
    );
  });

  it('refuses an option value that is not an integer', () => {
    expect(reasonsOf(validator.validate(withOptions({ IP_MULTICAST_LOOP: 'yes' }), strict))).toContainEqual(
      expect.stringMatching(/^\/extensions\/socket-ext\/options\/IP_MULTICAST_LOOP: must be an integer/),
    );
  });
});
