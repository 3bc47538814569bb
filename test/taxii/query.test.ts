import { InvalidParameter } from '../../server/errors';
import { parseObjectQuery, resolveFilter } from '../../server/taxii/query';
import { LATEST_ONLY } from '../../server/taxii/versions';
import { instantKey, timestampToMicros } from '../../server/taxii/timestamps';

describe('parseObjectQuery', () => {
  it('reads every filter of the objects endpoint, percent-encoded as taxii2-client sends them (Q-08)', () => {
    const query = parseObjectQuery(
      'added_after=2024-01-01T00%3A00%3A00Z&limit=5&match%5Btype%5D=indicator%2Cmalware&match[id]=indicator--1b8f2fa0-0b8f-4b0d-8a4e-7a9c0c8d1a11&match[version]=first,last&match[spec_version]=2.1',
      'objects',
    );
    expect(query).toEqual({
      limit: 5,
      stated: {
        addedAfter: timestampToMicros('2024-01-01T00:00:00Z'),
        types: ['indicator', 'malware'],
        ids: ['indicator--1b8f2fa0-0b8f-4b0d-8a4e-7a9c0c8d1a11'],
        versions: { all: false, first: true, last: true, instants: [] },
        specVersions: ['2.1'],
      },
    });
  });

  it.each([
    ['a duplicated filter (Q-07)', 'match[type]=indicator&match[type]=malware'],
    ['a duplicated added_after (Q-02)', 'added_after=2024-01-01T00:00:00Z&added_after=2024-01-02T00:00:00Z'],
    ['limit 0 (Q-05)', 'limit=0'],
    ['a negative limit', 'limit=-1'],
    ['a decimal limit', 'limit=1.5'],
    ['a word for limit', 'limit=abc'],
    ['an offset timestamp (Q-04)', 'added_after=2024-01-01T00:00:00%2B01:00'],
    ['a version that is no timestamp (Q-12)', 'match[version]=yesterday'],
    ['all with another version', 'match[version]=all,last'],
    ['a repeated version keyword', 'match[version]=last,last'],
    ['a malformed spec_version (Q-14)', 'match[spec_version]=two'],
    ['an empty list item', 'match[type]=indicator,'],
    ['a type with an operator in it', 'match[type]=%24ne'],
  ])('throws InvalidParameter for %s', (_label, raw) => {
    expect(() => parseObjectQuery(raw, 'objects')).toThrow(InvalidParameter);
  });

  it('never builds nested values from bracketed names (Z-03)', () => {
    const query = parseObjectQuery('match[type][$ne]=x&match[id][$gt]=', 'objects');
    expect(query.stated).toEqual({});
  });

  it('ignores filters the endpoint does not take (Q-15, G-03)', () => {
    expect(parseObjectQuery('match[type]=indicator&match[id]=x--y', 'object').stated).toEqual({});
    expect(parseObjectQuery('limit=3&added_after=bad', 'delete')).toEqual({ stated: {} });
  });

  it('takes specific versions as instants', () => {
    const query = parseObjectQuery('match[version]=2024-01-01T00:00:00Z,2024-01-02T00:00:00.5Z', 'objects');
    expect(query.stated.versions?.instants).toEqual([instantKey('2024-01-01T00:00:00Z'), instantKey('2024-01-02T00:00:00.5Z')]);
  });
});

describe('resolveFilter', () => {
  it('defaults to the latest version (O-03)', () => {
    expect(resolveFilter({})).toEqual({ versions: LATEST_ONLY });
  });

  it('lets stated filters override a cursor\'s, keeping the cursor\'s others (P-08, P-13)', () => {
    const fromCursor = { types: ['indicator'], addedAfter: 5 };
    expect(resolveFilter({ addedAfter: 9 }, fromCursor)).toEqual({ types: ['indicator'], addedAfter: 9, versions: LATEST_ONLY });
  });
});
