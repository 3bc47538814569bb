import { createdByFinding } from '../../server/policy/created-by-check';
import { testAlliance } from '../support/alliance';

const BKA = 'identity--0b7e9f7c-5d1e-4c55-9d0b-6a2f1f3b8a01';
const EUROPOL = 'identity--1c8fa08d-6e2f-4d66-8e1c-7b3a2a4c9b02';
const MITRE = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';

const config = testAlliance();
config.organisations = config.organisations.map((organisation) =>
  organisation.id === 'de-bka' ? { ...organisation, identities: [BKA] } : organisation.id === 'europol' ? { ...organisation, identities: [EUROPOL] } : organisation,
);

describe('createdByFinding', () => {
  it.each([
    ['its own identity', BKA, 'de-bka', undefined],
    ['no created_by_ref', undefined, 'de-bka', undefined],
    ['a partner\'s identity', EUROPOL, 'de-bka', `/created_by_ref: ${EUROPOL} is an identity of europol, not of the publisher de-bka`],
    ['a third party, publisher with identities', MITRE, 'de-bka', `/created_by_ref: ${MITRE} is not one of de-bka's identities (${BKA})`],
    ['a third party, publisher without identities', MITRE, 'gb-nca', undefined],
    ['a partner\'s identity, publisher without identities', BKA, 'gb-nca', `/created_by_ref: ${BKA} is an identity of de-bka, not of the publisher gb-nca`],
  ])('%s', (_label, ref, publisher, expected) => {
    const object = ref === undefined ? { type: 'indicator' } : { type: 'indicator', created_by_ref: ref };
    expect(createdByFinding(object, publisher, config)).toBe(expected);
  });
});
