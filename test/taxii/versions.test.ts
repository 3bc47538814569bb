import { ALL_VERSIONS, LATEST_ONLY, pickAmongMatching, selectsAmongMatching, type VersionSelector } from '../../server/taxii/versions';

const FIRST: VersionSelector = { all: false, first: true, last: false, instants: [] };
const v = (id: string, version: string) => ({ id, version, versionKey: version });

describe('selectsAmongMatching (TAXII 2.1 §3.4.1)', () => {
  it.each([
    [LATEST_ONLY, {}, false],
    [LATEST_ONLY, { addedAfter: 1 }, true],
    [LATEST_ONLY, { specVersions: ['2.1'] }, true],
    [FIRST, { addedAfter: 1 }, true],
    [ALL_VERSIONS, { addedAfter: 1 }, false],
    [{ all: false, first: false, last: false, instants: ['2020'] }, { addedAfter: 1 }, false],
  ])('%j with %j: %s', (selector, narrowing, expected) => {
    expect(selectsAmongMatching(selector, narrowing)).toBe(expected);
  });
});

describe('pickAmongMatching', () => {
  const matching = [v('a', '2'), v('a', '3'), v('b', '1')];
  it('keeps the highest matching version of each object for last, the lowest for first', () => {
    expect(pickAmongMatching([v('a', '2'), v('a', '3'), v('b', '1')], matching, LATEST_ONLY)).toEqual([v('a', '3'), v('b', '1')]);
    expect(pickAmongMatching([v('a', '2'), v('a', '3'), v('b', '1')], matching, FIRST)).toEqual([v('a', '2'), v('b', '1')]);
  });
  it('drops a candidate whose object has a higher matching version outside the page', () => {
    expect(pickAmongMatching([v('a', '2')], matching, LATEST_ONLY)).toEqual([]);
  });
});
