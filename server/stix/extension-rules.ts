import { isJsonObject, type JsonObject } from './json-value';
import { PREDEFINED_EXTENSIONS } from './object-types';
import { segment } from './reasons';

const DEFINITION_KEY_RE = /^extension-definition--/;

/**
 * Part 7.3 and Part 6: an extensions key is either an extension-definition id or one of the predefined
 * extensions of this SCO type; a predefined extension must carry at least one of its properties.
 */
export function checkExtensions(object: JsonObject, type: string): string[] {
  const extensions = object.extensions;
  if (!isJsonObject(extensions)) return [];
  const predefined = PREDEFINED_EXTENSIONS.get(type) ?? [];
  const reasons: string[] = [];
  for (const [key, value] of Object.entries(extensions)) {
    if (DEFINITION_KEY_RE.test(key)) continue;
    const at = `/extensions${segment(key)}`;
    if (!predefined.includes(key)) {
      const allowed = predefined.length > 0 ? ` or one of ${type}'s predefined extensions (${predefined.join(', ')})` : '';
      reasons.push(`${at}: must be named by an extension-definition id${allowed}`);
    } else if (isJsonObject(value) && Object.keys(value).length === 0) {
      reasons.push(`${at}: must have at least one property of the extension`);
    }
  }
  return reasons;
}

/** The extension_type an object declares for itself through an extension definition (new-sdo, new-sco, ...). */
export function declaredExtensionTypes(object: JsonObject): Set<string> {
  const types = new Set<string>();
  const extensions = object.extensions;
  if (!isJsonObject(extensions)) return types;
  for (const [key, value] of Object.entries(extensions)) {
    if (DEFINITION_KEY_RE.test(key) && isJsonObject(value) && typeof value.extension_type === 'string') {
      types.add(value.extension_type);
    }
  }
  return types;
}
