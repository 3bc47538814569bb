import { createStixValidator, type StixVerdict } from '../../server/stix/validator';
import { ALL_EXAMPLES, type Example } from '../support/stix-examples';

const validator = createStixValidator();
const lenient = { strictTypes: false };

function reasonsOf(verdict: StixVerdict): string[] {
  return verdict.valid ? [] : verdict.reasons;
}

function variant(type: string, change: (copy: Record<string, unknown>) => void): Example {
  const copy = structuredClone(ALL_EXAMPLES[type] ?? {}) as Record<string, unknown>;
  change(copy);
  return copy;
}

describe('modified and created compare as instants', () => {
  it.each([
    ['2020-01-01T00:00:00.000001Z', '2020-01-01T00:00:00Z', true],
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z', true],
    ['2020-01-01T00:00:00.5Z', '2020-01-01T00:00:00.499999Z', true],
    ['2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000001Z', false],
    ['2020-01-01T00:00:00.09Z', '2020-01-01T00:00:00.1Z', false],
    ['2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', false],
  ])('modified %s, created %s: valid %s', (modified, created, valid) => {
    const verdict = validator.validate(variant('campaign', (o) => { o.modified = modified; o.created = created; }), lenient);
    if (valid) expect(verdict).toEqual({ valid: true });
    else expect(reasonsOf(verdict)).toEqual([`/modified: must not be earlier than created (modified "${modified}", created "${created}")`]);
  });

  it('requires valid_until to be strictly later than valid_from', () => {
    const verdict = validator.validate(variant('indicator', (o) => { o.valid_until = '2016-01-01T00:00:00.000Z'; }), lenient);
    expect(reasonsOf(verdict)).toEqual(['/valid_until: must be later than valid_from (valid_until "2016-01-01T00:00:00.000Z", valid_from "2016-01-01T00:00:00Z")']);
  });
});

describe('references hold identifiers of the allowed types', () => {
  it.each([
    ['campaign', 'created_by_ref', 'malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', '/created_by_ref: must be an identifier of identity'],
    ['sighting', 'sighting_of_ref', 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad', '/sighting_of_ref: must be an identifier of any SDO'],
    ['email-addr', 'belongs_to_ref', 'identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', '/belongs_to_ref: must be an identifier of user-account'],
    ['relationship', 'target_ref', 'not-an-id', '/target_ref: must be an identifier of any SDO or any SCO'],
  ])('%s.%s = %s', (type, property, value, reason) => {
    const verdict = validator.validate(variant(type, (o) => { o[property] = value; }), lenient);
    expect(reasonsOf(verdict)).toEqual([expect.stringContaining(reason)]);
  });

  it('names the list index of a bad reference in a _refs list', () => {
    const verdict = validator.validate(variant('campaign', (o) => { o.object_marking_refs = ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff']; }), lenient);
    expect(reasonsOf(verdict)).toEqual([expect.stringMatching(/^\/object_marking_refs\/1: must be an identifier of marking-definition/)]);
  });

  it('accepts a relationship to a custom object type (ATT&CK links techniques to x-mitre-* objects)', () => {
    const verdict = validator.validate(variant('relationship', (o) => { o.target_ref = 'x-mitre-data-component--3d20385b-24ef-40e1-9f56-f39750379077'; }), lenient);
    expect(verdict).toEqual({ valid: true });
  });
});

describe('lists, markings and extensions', () => {
  it('rejects an empty list, custom properties included', () => {
    const verdict = validator.validate(variant('tool', (o) => { o.aliases = []; o.x_acme_tags = []; }), lenient);
    expect(reasonsOf(verdict)).toEqual([
      '/aliases: must not be an empty list (omit the property instead)',
      '/x_acme_tags: must not be an empty list (omit the property instead)',
    ]);
  });

  it('checks granular marking selectors against the object', () => {
    const verdict = validator.validate(variant('indicator', (o) => {
      o.granular_markings = [
        { marking_ref: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', selectors: ['description', 'indicator_types.[0]'] },
        { lang: 'en', selectors: ['labels', 'name'] },
      ];
    }), lenient);
    expect(reasonsOf(verdict)).toEqual(['/granular_markings/1/selectors/0: must select a property present in this object (got "labels")']);
  });

  it('requires exactly one of lang and marking_ref in a granular marking', () => {
    const verdict = validator.validate(variant('tool', (o) => { o.granular_markings = [{ selectors: ['name'] }]; }), lenient);
    expect(reasonsOf(verdict)).toEqual(['/granular_markings/0: must have exactly one of lang and marking_ref']);
  });

  it('accepts extension-definition keys and predefined SCO extensions, rejects other keys', () => {
    const defined = variant('tool', (o) => { o.extensions = { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'property-extension', rank: 5 } }; });
    expect(validator.validate(defined, lenient)).toEqual({ valid: true });
    const unknown = variant('file', (o) => { o.extensions = { 'x-acme-ext': { foo: 1 } }; });
    expect(reasonsOf(validator.validate(unknown, lenient))).toEqual([expect.stringMatching(/^\/extensions\/x-acme-ext: must be named by an extension-definition id or one of file's predefined extensions/)]);
    const sdoWithPredefined = variant('tool', (o) => { o.extensions = { 'ntfs-ext': { sid: '1' } }; });
    expect(reasonsOf(validator.validate(sdoWithPredefined, lenient))).toEqual(['/extensions/ntfs-ext: must be named by an extension-definition id']);
  });

  it('requires extension_type in an extension-definition extension', () => {
    const verdict = validator.validate(variant('tool', (o) => { o.extensions = { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { rank: 5 } }; }), lenient);
    expect(reasonsOf(verdict)).toEqual(['/extensions/extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e/extension_type: is required']);
  });
});

describe('custom content', () => {
  const mitreTactic = {
    type: 'x-mitre-tactic', spec_version: '2.1', id: 'x-mitre-tactic--69da72d2-f550-41c5-ab9e-e8255707f28a',
    created: '2018-10-17T00:14:20.652Z', modified: '2022-04-25T14:00:00.188Z', name: 'Initial Access',
    x_mitre_shortname: 'initial-access', x_mitre_domains: ['enterprise-attack'],
  };

  it('accepts custom object types and x_ properties by default', () => {
    expect(validator.validate(mitreTactic, lenient)).toEqual({ valid: true });
    expect(validator.validate(variant('malware', (o) => { o.x_mitre_platforms = ['Windows']; }), lenient)).toEqual({ valid: true });
  });

  it('rejects custom object types with strictTypes', () => {
    expect(reasonsOf(validator.validate(mitreTactic, { strictTypes: true }))).toEqual([expect.stringMatching(/^\/type: "x-mitre-tactic" is not an object type of STIX 2.1/)]);
  });

  it('still holds a custom object to the common properties', () => {
    const verdict = validator.validate({ ...mitreTactic, modified: '2018-10-16T00:00:00Z', created_by_ref: 'x-mitre-tactic--69da72d2-f550-41c5-ab9e-e8255707f28a' }, lenient);
    expect(reasonsOf(verdict)).toEqual([
      '/created_by_ref: must be an identifier of identity, not of x-mitre-tactic (got "x-mitre-tactic--69da72d2-f550-41c5-ab9e-e8255707f28a")',
      '/modified: must not be earlier than created (modified "2018-10-16T00:00:00Z", created "2018-10-17T00:14:20.652Z")',
    ]);
  });

  it('accepts an extension-defined new SCO without created and modified', () => {
    const sco = {
      type: 'my-favorite-sco', spec_version: '2.1', id: 'my-favorite-sco--f9dbe89c-0030-4a9d-8b78-0dcd0a0de874', name: 'x',
      extensions: { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'new-sco' } },
    };
    expect(validator.validate(sco, lenient)).toEqual({ valid: true });
    expect(reasonsOf(validator.validate({ ...sco, defanged: 'yes' }, lenient))).toEqual(['/defanged: must be a boolean (got "yes")']);
  });

  it.each([
    ['X_Upper', '/X_Upper'], ['ab', '/ab'], ['x-hyphen', '/x-hyphen'],
  ])('rejects the custom property name %s', (name, path) => {
    const verdict = validator.validate(variant('tool', (o) => { o[name] = 1; }), lenient);
    expect(reasonsOf(verdict)).toEqual([expect.stringMatching(new RegExp(`^${path}: is not an allowed property name`))]);
  });

  it.each(['X-Upper', 'ab', 'x--double', 'x_underscore'])('rejects the custom type name %s', (type) => {
    const verdict = validator.validate({ type, id: `${type}--69da72d2-f550-41c5-ab9e-e8255707f28a` }, lenient);
    expect(reasonsOf(verdict)).toEqual([expect.stringMatching(/^\/type: must be 3 to 250 characters/)]);
  });
});

describe('verdict shape', () => {
  it('reports every problem once, sorted, with JSON pointer paths', () => {
    const verdict = validator.validate(variant('campaign', (o) => {
      delete o.name;
      o.created = '2020-01-02T00:00:00Z';
      o.modified = '2020-01-01T00:00:00Z';
      o.external_references = [{ source_name: 'acme', url: 'not a uri' }];
    }), lenient);
    expect(reasonsOf(verdict)).toEqual([
      '/external_references/0/url: must be a URI: it has a space after 3 characters (got "not a uri")',
      '/modified: must not be earlier than created (modified "2020-01-01T00:00:00Z", created "2020-01-02T00:00:00Z")',
      '/name: is required',
    ]);
  });

  it.each([[null, '/: must be a JSON object (got null)'], [[1], '/: must be a JSON object (got an array)'], [{}, '/type: is required'],
    [{ type: 'bundle', id: 'bundle--69da72d2-f550-41c5-ab9e-e8255707f28a', objects: [] }, '/type: a bundle is an envelope']])(
    'rejects %j as a whole', (input, reason) => {
      expect(reasonsOf(validator.validate(input, lenient))).toEqual([expect.stringContaining(reason)]);
    });

  it('locates a pattern syntax error by character offset', () => {
    const verdict = validator.validate(variant('indicator', (o) => { o.pattern = "[file:name = 'a' AND ]"; }), lenient);
    expect(reasonsOf(verdict)).toEqual(["/pattern: syntax error at character 21: expected an object type such as file or ipv4-addr, found ']'"]);
  });

  it('does not parse patterns of other languages', () => {
    expect(validator.validate(variant('indicator', (o) => { o.pattern_type = 'snort'; o.pattern = 'alert tcp any any -> any 80'; }), lenient)).toEqual({ valid: true });
  });
});

describe('per-type rules the schema cannot say', () => {
  it.each([
    ['location', (o: Record<string, unknown>) => { delete o.region; delete o.longitude; }, ['/: latitude and longitude must be given together', '/: must have region, country, or both latitude and longitude', '/precision: must only be present with latitude and longitude']],
    ['malware', (o: Record<string, unknown>) => { o.is_family = true; delete o.name; }, ['/name: is required when is_family is true']],
    ['observed-data', (o: Record<string, unknown>) => { delete o.object_refs; }, ['/: must have at least one of objects, object_refs']],
    ['artifact', (o: Record<string, unknown>) => { o.url = 'https://example.com/a.zip'; }, ['/: must not have both payload_bin and url', '/hashes: is required when url is present']],
    ['file', (o: Record<string, unknown>) => { delete o.name; delete o.hashes; }, ['/: must have at least one of hashes, name']],
    ['network-traffic', (o: Record<string, unknown>) => { o.is_active = true; }, ['/end: must not be present when is_active is true']],
    ['email-message', (o: Record<string, unknown>) => { o.body = 'text'; }, ['/body: must not be present when is_multipart is true']],
    ['process', (o: Record<string, unknown>) => { delete o.pid; delete o.command_line; delete o.extensions; }, ['/: must have at least one process property besides type and id']],
    ['process', (o: Record<string, unknown>) => { o.id = 'process--5a27d487-c542-5f97-a131-a8866b477b46'; }, ['/id: must use a UUIDv4 because the process has no ID contributing properties (got version 5)']],
    ['attack-pattern', (o: Record<string, unknown>) => { o.external_references = [{ source_name: 'capec', external_id: '163' }]; }, ['/external_references/0/external_id: must be a CAPEC id such as CAPEC-163 when source_name is capec (got "163")']],
    ['marking-definition (statement)', (o: Record<string, unknown>) => { o.object_marking_refs = [o.id]; }, ['/object_marking_refs/0: must not refer to this marking definition itself']],
    ['marking-definition (TLP 1.0)', (o: Record<string, unknown>) => { o.name = 'TLP:CLEAR'; }, ['/: a TLP 1.0 marking definition must be one of the four of STIX 2.1 Part 7.2.1.4, unchanged (id, created, name, definition)']],
    ['marking-definition (TLP 1.0)', (o: Record<string, unknown>) => { delete o.definition_type; delete o.definition; }, ['/: must have definition_type and definition (TLP 1.0, statement) or extensions (TLP 2.0 and others)']],
    ['marking-definition (statement)', (o: Record<string, unknown>) => { o.definition = { text: 'x' }; }, ['/definition/statement: is required']],
  ] as const)('%s', (type, change, reasons) => {
    expect(reasonsOf(validator.validate(variant(type, change), lenient))).toEqual(reasons);
  });
});
