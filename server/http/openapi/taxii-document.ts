import { TAXII_MEDIA_TYPE } from '../../taxii/media-types';
import { ROOT_ROUTES } from '../routes';
import { addOperation, openApiPath, type OpenApiDocument, type Operation, type PathItem, type ResponseObject } from './openapi-document';
import { ANY_SCHEME, errorReferences, errorResponses, SECURITY_SCHEMES, type ErrorStatus } from './shared-components';
import { TAXII_PARAMETERS, type TaxiiParameterName } from './taxii-parameters';
import { TAXII_SCHEMAS } from './taxii-schemas';

/** Where each document is served (docs/openapi.md); the path is part of the API and does not change. */
export const TAXII_DOCUMENT_PATH = '/openapi/taxii.json';

interface TaxiiOperation {
  operationId: string;
  summary: string;
  description?: string;
  parameters: readonly TaxiiParameterName[];
  /** A POST takes an envelope (§5.5), whose objects are judged one by one. */
  takesEnvelope?: boolean;
  answer: { status: '200' | '202'; resource?: string; dateAddedHeaders?: boolean };
  errors: readonly ErrorStatus[];
}

const LISTING = ['addedAfter', 'limit', 'next'] as const;
const COLLECTION = ['apiRoot', 'collectionId'] as const;
const OBJECT = [...COLLECTION, 'objectId'] as const;
/** Every TAXII request may meet these. */
const ALWAYS: readonly ErrorStatus[] = ['401', '404', '405', '406', '429', '503'];

/**
 * The operations of an API root, keyed by the method and path of server/http/routes.ts's ROOT_ROUTES.
 * A route without an entry here is left out of the document, and test/http/openapi.test.ts fails.
 */
const ROOT_OPERATIONS: Record<string, TaxiiOperation> = {
  'get /': {
    operationId: 'getApiRoot', summary: 'Information about an API root (§4.2)', parameters: ['apiRoot'],
    answer: { status: '200', resource: 'api-root' }, errors: ALWAYS,
  },
  'get /status/:statusId/': {
    operationId: 'getStatus', summary: 'The status of an earlier POST to objects (§4.3)',
    description: 'Only the organisation that made the POST may read it.',
    parameters: ['apiRoot', 'statusId'], answer: { status: '200', resource: 'status' }, errors: ALWAYS,
  },
  'get /collections/': {
    operationId: 'getCollections', summary: 'The collections of an API root the caller may see (§5.1)', parameters: ['apiRoot'],
    answer: { status: '200', resource: 'collections' }, errors: ALWAYS,
  },
  'get /collections/:collectionId/': {
    operationId: 'getCollection', summary: 'One collection (§5.2)', parameters: COLLECTION,
    answer: { status: '200', resource: 'collection' }, errors: ALWAYS,
  },
  'get /collections/:collectionId/manifest/': {
    operationId: 'getManifest', summary: 'A page of object version records, without the objects (§5.3)',
    parameters: [...COLLECTION, ...LISTING, 'matchId', 'matchType', 'matchVersion', 'matchSpecVersion'],
    answer: { status: '200', resource: 'manifest', dateAddedHeaders: true }, errors: ['400', '403', ...ALWAYS],
  },
  'get /collections/:collectionId/objects/': {
    operationId: 'getObjects', summary: 'A page of objects (§5.4)',
    parameters: [...COLLECTION, ...LISTING, 'matchId', 'matchType', 'matchVersion', 'matchSpecVersion'],
    answer: { status: '200', resource: 'envelope', dateAddedHeaders: true }, errors: ['400', '403', ...ALWAYS],
  },
  'post /collections/:collectionId/objects/': {
    operationId: 'addObjects', summary: 'Add objects (§5.5)',
    description: 'Each object is validated on its own: one that fails is listed in the status resource\'s failures, and the others are stored.',
    parameters: COLLECTION, takesEnvelope: true,
    answer: { status: '202', resource: 'status' }, errors: ['400', '403', '413', '415', '422', ...ALWAYS],
  },
  'get /collections/:collectionId/objects/:objectId/': {
    operationId: 'getObject', summary: 'The versions of one object (§5.6)',
    parameters: [...OBJECT, ...LISTING, 'matchVersion', 'matchSpecVersion'],
    answer: { status: '200', resource: 'envelope', dateAddedHeaders: true }, errors: ['400', '403', ...ALWAYS],
  },
  'delete /collections/:collectionId/objects/:objectId/': {
    operationId: 'deleteObject', summary: 'Delete versions of one object (§5.7)',
    parameters: [...OBJECT, 'matchVersion', 'matchSpecVersion'],
    answer: { status: '200' }, errors: ['400', '403', ...ALWAYS],
  },
  'get /collections/:collectionId/objects/:objectId/versions/': {
    operationId: 'getObjectVersions', summary: 'The version timestamps of one object (§5.8)',
    parameters: [...OBJECT, ...LISTING, 'matchSpecVersion'],
    answer: { status: '200', resource: 'versions', dateAddedHeaders: true }, errors: ['400', '403', ...ALWAYS],
  },
};

const taxiiContent = (resource: string) => ({ [TAXII_MEDIA_TYPE]: { schema: { $ref: `#/components/schemas/${resource}` } } });

/** §3.2: the date_added of the first and last record of the answer, absent when it has none. */
const DATE_ADDED_HEADERS = {
  'X-TAXII-Date-Added-First': { description: 'date_added of the first record in this answer.', schema: { type: 'string', format: 'date-time' } },
  'X-TAXII-Date-Added-Last': { description: 'date_added of the last record in this answer.', schema: { type: 'string', format: 'date-time' } },
};

function operationOf(spec: TaxiiOperation, access: string): Operation {
  const answer: ResponseObject = { description: spec.answer.resource ? `The ${spec.answer.resource} resource.` : 'Done; the body is empty.' };
  if (spec.answer.resource) answer.content = taxiiContent(spec.answer.resource);
  if (spec.answer.dateAddedHeaders) answer.headers = DATE_ADDED_HEADERS;
  const needs = access === 'root' ? 'Needs the API root to be visible to the caller.' : `Needs the \`${access}\` right on the collection (docs/access-model.md).`;
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, needs].filter(Boolean).join(' '),
    tags: ['taxii'],
    parameters: spec.parameters.map((name) => ({ $ref: `#/components/parameters/${name}` })),
    ...(spec.takesEnvelope && { requestBody: { required: true, content: taxiiContent('add-objects') } }),
    responses: { [spec.answer.status]: answer, ...errorReferences(spec.errors) },
  };
}

/** server/http/health.ts: answered without authentication, for orchestrators and load balancers. */
const HEALTH_PROBES = [
  { path: '/health/live', operationId: 'getLiveness', summary: 'Liveness: the process answers HTTP (200 while draining too)' },
  { path: '/health/ready', operationId: 'getReadiness', summary: 'Readiness: the database answers and the server is not draining' },
  { path: '/health', operationId: 'getHealth', summary: 'Readiness, as /health/ready; kept for existing monitors' },
];

const PROBE_ANSWER = {
  type: 'object', required: ['status'],
  properties: { status: { enum: ['ok', 'draining', 'unavailable'] }, reason: { type: 'string' } },
};

function servicePaths(): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  addOperation(paths, '/taxii2/', 'get', {
    operationId: 'getDiscovery', summary: 'Server discovery (§4.1): the API roots the caller may see', tags: ['taxii'],
    responses: { 200: { description: 'The discovery resource.', content: taxiiContent('discovery') }, ...errorReferences(ALWAYS) },
  });
  for (const probe of HEALTH_PROBES) {
    addOperation(paths, probe.path, 'get', {
      operationId: probe.operationId, summary: probe.summary, tags: ['operations'], security: [],
      responses: {
        200: { description: 'Yes.', content: { 'application/json': { schema: PROBE_ANSWER } } },
        ...(probe.path !== '/health/live' && { 503: { description: 'The database does not answer, or the server is shutting down.', content: { 'application/json': { schema: PROBE_ANSWER } } } }),
      },
    });
  }
  addOperation(paths, TAXII_DOCUMENT_PATH, 'get', {
    operationId: 'getTaxiiOpenApi', summary: 'This document', tags: ['operations'],
    responses: { 200: { description: 'The OpenAPI document of the TAXII API.', content: { 'application/json': { schema: { type: 'object' } } } }, ...errorReferences(['401']) },
  });
  return paths;
}

/**
 * The TAXII 2.1 API as served by server/app.ts. API roots and collections appear as path templates
 * only: which exist is configuration, and who may see them is decided per caller (docs/security.md §5).
 */
export function buildTaxiiDocument(): OpenApiDocument {
  const paths = servicePaths();
  for (const route of ROOT_ROUTES) {
    const spec = ROOT_OPERATIONS[`${route.method} ${route.path}`];
    if (spec) addOperation(paths, `/{apiRoot}${openApiPath(route.path)}`, route.method, operationOf(spec, route.access));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Taxii Alliance Server: TAXII 2.1 API',
      version: '2.1',
      description: 'TAXII 2.1 (OASIS, 2021) with STIX 2.1 content. Resource schemas are the files in schemas/taxii/; STIX objects are judged per object against schemas/stix/ (docs/stix-validation.md).',
    },
    tags: [
      { name: 'taxii', description: 'The TAXII 2.1 endpoints.' },
      { name: 'operations', description: 'For operators and tools, not part of TAXII.' },
    ],
    paths,
    components: { schemas: { ...TAXII_SCHEMAS }, parameters: TAXII_PARAMETERS, responses: errorResponses(), securitySchemes: SECURITY_SCHEMES },
    security: ANY_SCHEME,
  };
}
