import { canonicalId } from './identifiers';

/** Traffic Light Protocol levels, TLP 2.0 names; TLP 1.0 WHITE is TLP 2.0 CLEAR. */
export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

/** Ascending: each level restricts sharing more than the one before it. */
export const TLP_ORDER: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

const TLP_BY_MARKING_ID: ReadonlyMap<string, TlpLevel> = new Map<string, TlpLevel>([
  // TLP 2.0, the OASIS common objects (extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d).
  ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear'],
  ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'green'],
  ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber'],
  ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'amber+strict'],
  ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'red'],
  // TLP 1.0, STIX 2.1 Part 7.2.1.4 (definition_type "tlp").
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear'],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green'],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber'],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red'],
]);

/**
 * The TLP level a marking-definition id stands for, or undefined when it is not one of the nine TLP
 * ids. Compared in canonical form: `marking-definition--E828B379-...` is TLP:RED too (docs/security.md §2).
 */
export function tlpLevelOfMarkingRef(markingId: string): TlpLevel | undefined {
  return TLP_BY_MARKING_ID.get(canonicalId(markingId));
}

/** The more restrictive of two levels; undefined only when both are. */
export function moreRestrictive(a: TlpLevel | undefined, b: TlpLevel | undefined): TlpLevel | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return TLP_ORDER.indexOf(a) >= TLP_ORDER.indexOf(b) ? a : b;
}

/** The extension definition of TLP 2.0 (OASIS common objects); its property `tlp_2_0` holds the level. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const LEVEL_BY_WORD: ReadonlyMap<string, TlpLevel> = new Map<string, TlpLevel>([
  ['clear', 'clear'], ['white', 'clear'], ['green', 'green'], ['amber', 'amber'], ['amber+strict', 'amber+strict'], ['red', 'red'],
]);

const CLAIM_RE = /^\s*(?:tlp\s*:\s*)?(amber\+strict|amber|clear|white|green|red)(?![a-z0-9+])/i;

/**
 * A claimed level as a partner may spell it: "red", "RED", "TLP:RED", "TLP:GREEN (community)". A
 * claim we cannot read still claims TLP, so it counts as RED: failing closed is the only safe reading.
 */
function levelOfClaim(claim: unknown): TlpLevel {
  const word = typeof claim === 'string' ? CLAIM_RE.exec(claim)?.[1] : undefined;
  return (word === undefined ? undefined : LEVEL_BY_WORD.get(word.toLowerCase())) ?? 'red';
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The TLP level a marking definition claims, whoever made it (docs/security.md §2): its id if it is one of
 * the nine TLP ids, the TLP 2.0 extension's `tlp_2_0`, a TLP 1.0 style `definition.tlp` (STIX 2.1
 * Part 7.2.1.4), and a name of the form "TLP:<level>". The most restrictive claim counts;
 * undefined when the definition claims no TLP level at all (a statement, a copyright notice).
 */
export function claimedTlpLevel(definition: Readonly<Record<string, unknown>>): TlpLevel | undefined {
  let level = typeof definition.id === 'string' ? tlpLevelOfMarkingRef(definition.id) : undefined;
  if (isRecord(definition.extensions)) {
    for (const [key, extension] of Object.entries(definition.extensions)) {
      if (canonicalId(key) !== TLP2_EXTENSION_ID) continue;
      level = moreRestrictive(level, levelOfClaim(isRecord(extension) ? extension.tlp_2_0 : undefined));
    }
  }
  if (typeof definition.definition_type === 'string' && definition.definition_type.trim().toLowerCase() === 'tlp') {
    level = moreRestrictive(level, levelOfClaim(isRecord(definition.definition) ? definition.definition.tlp : undefined));
  }
  if (typeof definition.name === 'string' && /^\s*tlp\s*:/i.test(definition.name)) {
    level = moreRestrictive(level, levelOfClaim(definition.name));
  }
  return level;
}

const TLP1_CREATED = '2017-01-20T00:00:00.000Z';

/**
 * The four TLP 1.0 marking definitions, exactly as STIX 2.1 Part 7.2.1.4 prints them. The spec says these
 * MUST be used to represent TLP 1.0 and no other instance of the tlp definition type may be created.
 */
export const TLP1_MARKING_DEFINITIONS: readonly Readonly<Record<string, unknown>>[] = (
  [['white', '613f2e26-407d-48c7-9eca-b8e91df99dc9'], ['green', '34098fce-860f-48ae-8e50-ebd3cc5e41da'],
    ['amber', 'f88d31f6-486f-44da-b317-01333bde0b82'], ['red', '5e57c739-391a-4eb3-b6be-7d15ca92d5ed']] as const
).map(([level, uuid]) => ({
  type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${uuid}`, created: TLP1_CREATED,
  definition_type: 'tlp', name: `TLP:${level.toUpperCase()}`, definition: { tlp: level },
}));
