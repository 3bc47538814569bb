import { resolveCollection } from '../../server/config/resolve-collection';
import type { CollectionConfig } from '../../server/config/types';
import { InvalidParameter } from '../../server/errors';

function collection(id: string, apiRoot: string, alias?: string): CollectionConfig {
  return { id, apiRoot, title: id, owner: 'de-bka', mediaTypes: [], unmarked: 'allow', foreignVersions: 'refuse', grants: [], ...(alias !== undefined && { alias }) };
}

const ransomware = collection('f4222732-c36e-4dbb-8662-bddae09ef71b', 'alliance', 'ransomware');
const internalCasework = collection('6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'internal', 'casework');
const allianceCasework = collection('7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', 'alliance', 'casework');
// An alias shaped like another collection's id: the id must still win.
const impostor = collection('8c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f', 'alliance', ransomware.id);
const config = { collections: [impostor, ransomware, internalCasework, allianceCasework] };

describe('resolveCollection', () => {
  it.each([
    ['an id', ransomware.id, undefined, ransomware],
    ['an id within its API root', ransomware.id, 'alliance', ransomware],
    ['an alias unique in the alliance', 'ransomware', undefined, ransomware],
    ['an alias within its API root', 'casework', 'internal', internalCasework],
    ['the same alias in another API root', 'casework', 'alliance', allianceCasework],
    ['an id over an alias that spells it', ransomware.id, 'alliance', ransomware],
  ])('finds a collection by %s', (_case, idOrAlias, apiRoot, expected) => {
    expect(resolveCollection(config, idOrAlias, apiRoot)).toBe(expected);
  });

  it.each([
    ['an unknown name', 'nothing', undefined],
    ['an id asked for in another API root', ransomware.id, 'internal'],
    ['an alias asked for in another API root', 'ransomware', 'internal'],
    ['an empty string', '', undefined],
  ])('finds nothing for %s', (_case, idOrAlias, apiRoot) => {
    expect(resolveCollection(config, idOrAlias, apiRoot)).toBeUndefined();
  });

  it('refuses an alias that two API roots use when no root is given, naming the roots', () => {
    expect(() => resolveCollection(config, 'casework')).toThrow(InvalidParameter);
    expect(() => resolveCollection(config, 'casework')).toThrow("the alias 'casework' names a collection in several API roots (internal, alliance): give the collection id");
  });
});
