import type { StixObject } from './taxii';

/** TLP 2.0 marking-definition ids (STIX 2.1 §7.2.1.4, TLP 2.0 extension), as server/stix/markings.ts knows them. */
const TLP_MARKINGS: Record<string, string> = {
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'CLEAR',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'GREEN',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'AMBER',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'AMBER+STRICT',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'RED',
  // TLP 1.0 ids (STIX 2.1 §7.2.1.4)
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'WHITE',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

export function tlpOf(object: StixObject): string | undefined {
  for (const ref of object.object_marking_refs ?? []) {
    const level = TLP_MARKINGS[ref];
    if (level) return level;
  }
  return undefined;
}

/** What to call an object in a table: its name, else its pattern, else its relationship. */
export function labelOf(object: StixObject): string {
  if (typeof object.name === 'string') return object.name;
  if (typeof object.pattern === 'string') return object.pattern;
  if (object.type === 'relationship') return `${object.source_ref ?? '?'} ${object.relationship_type ?? 'related-to'} ${object.target_ref ?? '?'}`;
  return '';
}

export interface PropertyChange {
  property: string;
  before?: string;
  after?: string;
}

const show = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value, null, 1));

/** Top-level properties that differ between two versions, in name order. */
export function diffVersions(before: StixObject, after: StixObject): PropertyChange[] {
  const properties = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return properties
    .map((property) => ({ property, before: show(before[property]), after: show(after[property]) }))
    .filter((change) => change.before !== change.after);
}

export function bundleOf(objects: StixObject[]): { type: 'bundle'; id: string; objects: StixObject[] } {
  return { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects };
}
