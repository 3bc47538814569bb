import addObjects from '../../../schemas/taxii/add-objects.json';
import apiRoot from '../../../schemas/taxii/api-root.json';
import collection from '../../../schemas/taxii/collection.json';
import collections from '../../../schemas/taxii/collections.json';
import discovery from '../../../schemas/taxii/discovery.json';
import envelope from '../../../schemas/taxii/envelope.json';
import error from '../../../schemas/taxii/error.json';
import manifest from '../../../schemas/taxii/manifest.json';
import statusDetails from '../../../schemas/taxii/status-details.json';
import status from '../../../schemas/taxii/status.json';
import stixObject from '../../../schemas/taxii/stix-object.json';
import versions from '../../../schemas/taxii/versions.json';
import type { JsonSchema } from './openapi-document';

/** schemas/taxii/, each file under its own name without `.json`: the TAXII resources (TAXII 2.1 §3.6–§5). */
const FILES: Record<string, JsonSchema> = {
  'add-objects': addObjects, 'api-root': apiRoot, collection, collections, discovery, envelope, error, manifest, 'status-details': statusDetails, status,
  'stix-object': stixObject, versions,
};

/**
 * A schemas/taxii file as an OpenAPI component: a reference to a sibling file (`collection.json`)
 * becomes a reference to its component, the file's `$id` goes (the document is its base), and the
 * file's `$comment` becomes the component's description, which readers of the document see.
 */
function asComponent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asComponent);
  if (typeof value !== 'object' || value === null) return value;
  const component: Record<string, unknown> = {};
  for (const [keyword, inner] of Object.entries(value)) {
    if (keyword === '$id') continue;
    if (keyword === '$comment') component.description ??= inner;
    else if (keyword === '$ref' && typeof inner === 'string' && /^[\w-]+\.json$/.test(inner)) component.$ref = `#/components/schemas/${inner.slice(0, -'.json'.length)}`;
    else component[keyword] = asComponent(inner);
  }
  return component;
}

export const TAXII_SCHEMAS: Readonly<Record<string, JsonSchema>> = Object.fromEntries(
  Object.entries(FILES).map(([name, schema]) => [name, asComponent(schema) as JsonSchema]),
);
