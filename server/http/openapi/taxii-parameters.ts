import { MAX_LIMIT_VALUE, MAX_NEXT_LENGTH, MAX_VALUES, SPEC_VERSION, STIX_ID, STIX_TYPE } from '../../taxii/query';
import type { Parameter } from './openapi-document';

/**
 * The path and query parameters of the TAXII API (TAXII 2.1 §3.4 filtering, §3.4.1 match, §3.5
 * pagination), referenced as `#/components/parameters/<name>`. Which endpoint takes which is
 * server/taxii/query.ts's ACCEPTED table; any other parameter is refused with 400.
 */
const commaList = (description: string, items: Record<string, unknown>): Parameter['schema'] => ({
  type: 'array', minItems: 1, maxItems: MAX_VALUES, items, description,
});

export const TAXII_PARAMETERS = {
  apiRoot: {
    name: 'apiRoot', in: 'path', required: true, schema: { type: 'string' },
    description: 'An API root path as discovery lists it. It may span several segments (`de-bka/internal`), sent as they are, slashes unescaped. A root the caller may not see answers 404 for every path below it.',
  },
  collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string' }, description: 'A collection id (UUID) or its alias within the API root.' },
  objectId: { name: 'objectId', in: 'path', required: true, schema: { type: 'string' }, description: 'A STIX identifier, `<type>--<UUID>`.' },
  statusId: { name: 'statusId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'The id of a status resource, from the answer to a POST to objects.' },
  addedAfter: {
    name: 'added_after', in: 'query', schema: { type: 'string', format: 'date-time' },
    description: 'Only records added to the collection after this RFC 3339 UTC timestamp (§3.4.2).',
  },
  limit: {
    name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT_VALUE },
    description: 'The most records in one answer; the server may give fewer, and clamps it to its own maximum (§3.5).',
  },
  next: {
    name: 'next', in: 'query', schema: { type: 'string', minLength: 1, maxLength: MAX_NEXT_LENGTH },
    description: 'The opaque `next` of the previous page (§3.5); the page stays stable while partners keep publishing.',
  },
  matchId: {
    name: 'match[id]', in: 'query', style: 'form', explode: false,
    schema: commaList('STIX identifiers, comma-separated.', { type: 'string', pattern: STIX_ID.source }),
  },
  matchType: {
    name: 'match[type]', in: 'query', style: 'form', explode: false,
    schema: commaList('STIX object types, comma-separated.', { type: 'string', pattern: STIX_TYPE.source }),
  },
  matchVersion: {
    name: 'match[version]', in: 'query', style: 'form', explode: false,
    schema: {
      ...commaList('`first`, `last`, `all` or STIX timestamps, comma-separated; default `last` (§3.4.1); `all` stands alone.', {
        anyOf: [{ enum: ['first', 'last', 'all'] }, { type: 'string', format: 'date-time' }],
      }),
      // server/taxii/versions.ts refuses a value named twice.
      uniqueItems: true,
    },
  },
  matchSpecVersion: {
    name: 'match[spec_version]', in: 'query', style: 'form', explode: false,
    schema: commaList('STIX versions such as `2.1`, comma-separated; default the newest of each object (§3.4.1).', { type: 'string', pattern: SPEC_VERSION.source }),
  },
} satisfies Record<string, Parameter>;

export type TaxiiParameterName = keyof typeof TAXII_PARAMETERS;
