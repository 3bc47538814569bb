import { createStixValidator } from '../../server/stix/validator';
import { loadRealObjects } from '../support/real-data';

const validator = createStixValidator();
const objects = loadRealObjects();

/**
 * Published objects that break STIX 2.1, each with the reason we expect. Everything else in
 * fixtures/real must be accepted.
 */
const KNOWN_BAD: Readonly<Record<string, string>> = {
  // tlp-2.0/examples/using-tlp2.0-green.json: "created": "2022-101-27T13:49:54.326Z" has a three-digit month.
  'relationship--1621d4d4-b67d-11e3-9670-f01faf20d111': '/created: must be a timestamp in RFC 3339 UTC form',
  // cti-python-stix2's SCO examples abbreviate payload_bin with " ...", which is not base64.
  'artifact--ca17bcf8-9846-5ab4-8662-75c1bf6e63ee': '/payload_bin: must be a base64-encoded string',
  'artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641': '/payload_bin: must be a base64-encoded string',
  'artifact--4cce66f8-6eaa-53cb-85d5-3a85fca3a6c5': '/payload_bin: must be a base64-encoded string',
};

describe('published STIX 2.1 content (fixtures/real)', () => {
  it('has the corpus the README describes', () => {
    expect(objects.length).toBeGreaterThan(5000);
    expect(new Set(objects.map(({ object }) => object.type)).size).toBeGreaterThan(40);
  });

  it('accepts every object the spec allows, custom ATT&CK content included', () => {
    const rejected = objects
      .filter(({ object }) => KNOWN_BAD[String(object.id)] === undefined)
      .map(({ file, object }) => ({ file, id: object.id, verdict: validator.validate(object, { strictTypes: false }) }))
      .filter(({ verdict }) => !verdict.valid);
    expect(rejected).toEqual([]);
  });

  it.each(Object.entries(KNOWN_BAD))('rejects %s: %s', (id, reason) => {
    const found = objects.find(({ object }) => object.id === id);
    expect(found).toBeDefined();
    const verdict = validator.validate(found?.object, { strictTypes: false });
    expect(verdict.valid).toBe(false);
    expect(verdict.valid ? [] : verdict.reasons).toEqual([expect.stringContaining(reason)]);
  });

  it('rejects only the custom x-mitre-* objects when strictTypes is on', () => {
    const rejectedTypes = new Set(objects
      .filter(({ object }) => KNOWN_BAD[String(object.id)] === undefined && !validator.validate(object, { strictTypes: true }).valid)
      .map(({ object }) => String(object.type)));
    expect([...rejectedTypes].sort()).toEqual([
      'x-mitre-analytic', 'x-mitre-asset', 'x-mitre-collection', 'x-mitre-data-component', 'x-mitre-data-source',
      'x-mitre-detection-strategy', 'x-mitre-matrix', 'x-mitre-tactic',
    ]);
  });
});
