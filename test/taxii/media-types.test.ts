import { acceptsTaxii21, isTaxii21ContentType } from '../../server/taxii/media-types';

describe('acceptsTaxii21', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['*/*', true],
    ['application/*', true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['APPLICATION/TAXII+JSON; Version=2.1', true],
    ['text/html, application/taxii+json;version=2.1;q=0.5', true],
    ['application/taxii+json;version=2.0', false],
    ['application/taxii+json;version=2.1;q=0', false],
    ['text/html', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
  ])('Accept %p → %p', (accept, expected) => {
    expect(acceptsTaxii21(accept)).toBe(expected);
  });

  it('also takes the STIX type on the manifest endpoint (M-05)', () => {
    expect(acceptsTaxii21('application/stix+json;version=2.1', true)).toBe(true);
    expect(acceptsTaxii21('application/stix+json;version=2.0', true)).toBe(false);
  });
});

describe('isTaxii21ContentType', () => {
  it.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/taxii+json; version=2.1; charset=utf-8', true],
    ['application/taxii+json;version=2.1;charset=latin1', false],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    [undefined, false],
  ])('Content-Type %p → %p', (contentType, expected) => {
    expect(isTaxii21ContentType(contentType)).toBe(expected);
  });
});
