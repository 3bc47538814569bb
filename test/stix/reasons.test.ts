import { identifierFault } from '../../server/stix/identifiers';
import { timestampFault } from '../../server/taxii/timestamps';
import { createStixValidator, type StixVerdict } from '../../server/stix/validator';
import { ALL_EXAMPLES } from '../support/stix-examples';

const validator = createStixValidator();
const lenient = { strictTypes: false };

function reasonsFor(type: string, change: (copy: Record<string, unknown>) => void): string[] {
  const copy = structuredClone(ALL_EXAMPLES[type] ?? {}) as Record<string, unknown>;
  change(copy);
  const verdict: StixVerdict = validator.validate(copy, lenient);
  return verdict.valid ? [] : verdict.reasons;
}

// docs/stix-validation.md: a reason names the exact fault when the check knows it, not only the rule.
describe('identifierFault names what is wrong with an identifier', () => {
  it.each([
    ['a wrong variant digit', 'indicator--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f', "the UUID's variant digit (first of its fourth group) is 7, where RFC 4122 has 8, 9, a or b"],
    ['a wrong version digit', 'indicator--8e2e2d2b-17d4-6cbf-938f-98ee46b3cd3f', "the UUID's version digit (first of its third group) is 6, where RFC 4122 has 1 to 5"],
    ['the nil UUID', 'indicator--00000000-0000-0000-0000-000000000000', "the UUID's version digit (first of its third group) is 0, where RFC 4122 has 1 to 5; the UUID's variant digit (first of its fourth group) is 0, where RFC 4122 has 8, 9, a or b"],
    ['a missing hyphen', 'indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f', 'the UUID "8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f" must be 32 hexadecimal digits grouped 8-4-4-4-12'],
    ['no separator', 'indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'there is no "--" between the object type and the UUID'],
    ['a bad type', 'Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'the type "Indicator" must be 3 to 250 characters of a-z, 0-9 and single hyphens'],
  ])('%s', (_label, id, fault) => {
    expect(identifierFault(id)).toBe(fault);
  });

  it('finds no fault in a valid identifier', () => {
    expect(identifierFault('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f')).toBeUndefined();
  });
});

describe('timestampFault names what is wrong with a timestamp', () => {
  it.each([
    ['2021-01-01T00:00:00', 'it has no Z: STIX timestamps are in UTC and say so'],
    ['2021-01-01T00:00:00.5-05:00', 'it ends in "-05:00" where STIX requires Z (UTC, no offset)'],
    ['2021-01-01t00:00:00z', 'T and Z must be upper case'],
    ['2020-02-30T00:00:00Z', 'there is no day 30 in 2020-02'],
    ['2021-00-10T00:00:00Z', 'there is no month 00'],
    ['2021-01-01T23:60:00Z', '23:60:00 is not a time of day'],
  ])('%s', (value, fault) => {
    expect(timestampFault(value)).toBe(fault);
  });

  it.each(['2020-02-29T23:59:60.123456Z', 'yesterday'])('names no fault in %s (valid, or too far from a timestamp to tell)', (value) => {
    expect(timestampFault(value)).toBeUndefined();
  });
});

describe('reasons show the value and the exact fault', () => {
  it('says which UUID digit is wrong in an id, not only that it must be an identifier', () => {
    expect(reasonsFor('campaign', (o) => { o.id = 'campaign--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f'; })).toEqual([
      "/id: must be an identifier of the form <object-type>--<RFC 4122 UUID>: the UUID's variant digit (first of its fourth group) is 7, where RFC 4122 has 8, 9, a or b (got \"campaign--8e2e2d2b-17d4-4cbf-738f-98ee46b3cd3f\")",
    ]);
  });

  it('says which UUID digit is wrong in a reference', () => {
    expect(reasonsFor('campaign', (o) => { o.created_by_ref = 'identity--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f'; })).toEqual([
      "/created_by_ref: must be an identifier of identity: the UUID's version digit (first of its third group) is 0, where RFC 4122 has 1 to 5 (got \"identity--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f\")",
    ]);
  });

  it('says which type a reference of the wrong type has', () => {
    expect(reasonsFor('campaign', (o) => { o.created_by_ref = 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'; })).toEqual([
      '/created_by_ref: must be an identifier of identity, not of malware (got "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061")',
    ]);
  });

  it('shows both created and modified when modified is earlier', () => {
    expect(reasonsFor('campaign', (o) => { o.created = '2020-01-01T00:00:00.000001Z'; o.modified = '2020-01-01T00:00:00Z'; })).toEqual([
      '/modified: must not be earlier than created (modified "2020-01-01T00:00:00Z", created "2020-01-01T00:00:00.000001Z")',
    ]);
  });

  it('shows the trailing space that makes a URL fail, and says it is there', () => {
    expect(reasonsFor('campaign', (o) => { o.external_references = [{ source_name: 'acme', url: 'https://example.com/report ' }]; })).toEqual([
      '/external_references/0/url: must be a URI: it ends with white space (got "https://example.com/report ")',
    ]);
  });

  it('shows a newline inside a URL as \\n', () => {
    expect(reasonsFor('campaign', (o) => { o.external_references = [{ source_name: 'acme', url: 'https://example.com/a\nb' }]; })).toEqual([
      '/external_references/0/url: must be a URI: it has "\\n" after 21 characters (got "https://example.com/a\\nb")',
    ]);
  });

  it('keeps the end of a long URL, where the fault is, and its closing quote', () => {
    const url = `https://example.com/${'a'.repeat(200)} `;
    const [reason] = reasonsFor('campaign', (o) => { o.external_references = [{ source_name: 'acme', url }]; });
    expect(reason).toMatch(/^\/external_references\/0\/url: must be a URI: it ends with white space \(got "https:\/\/example\.com\/a+…a+ " \(221 characters\)\)$/);
  });
});
