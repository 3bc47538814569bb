import { parseIdentifier } from './identifiers';
import { isSpecType, SCO_TYPES, SDO_TYPES } from './object-types';

/**
 * Reference targets as the schemas name them (keyword stixRefTypes): a type name, "*" for any type,
 * "@sdo" for any SDO and "@sco" for any SCO. A custom type satisfies "@sdo" and "@sco" because we
 * cannot know which kind a producer meant (Part 11.2 custom objects may be either).
 */
export function isAllowedRef(value: string, allowed: readonly string[]): boolean {
  const parsed = parseIdentifier(value);
  if (!parsed) return false;
  const { type } = parsed;
  for (const entry of allowed) {
    if (entry === '*' || entry === type) return true;
    if (entry === '@sdo' && (SDO_TYPES.has(type) || !isSpecType(type))) return true;
    if (entry === '@sco' && (SCO_TYPES.has(type) || !isSpecType(type))) return true;
  }
  return false;
}

/** "identity", "file or artifact", "any SDO or any SCO": how a reason names the allowed targets. */
export function describeRefTypes(allowed: readonly string[]): string {
  const names = allowed.map((entry) => {
    if (entry === '*') return 'any object';
    if (entry === '@sdo') return 'any SDO';
    if (entry === '@sco') return 'any SCO';
    return entry;
  });
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;
}
