import { z } from 'zod';
import { ADMIN_ROUTES } from '../admin/admin-routes';
import type { AdminRoute } from '../admin/admin-route';
import { addOperation, openApiPath, type JsonSchema, type OpenApiDocument, type Operation, type Parameter, type PathItem } from './openapi-document';
import { ANY_SCHEME, ERROR_COMPONENT, errorReferences, errorResponses, SECURITY_SCHEMES, type ErrorStatus } from './shared-components';

export const ADMIN_DOCUMENT_PATH = '/openapi/admin.json';
const DOCUMENTATION_TAG = 'documentation';

/**
 * The wire shape of an input schema (services/admin/inputs.ts): what the API receives, before the
 * schema's defaults and transforms. `$schema` goes, as the document fixes the dialect.
 */
function wireSchema(schema: z.ZodType): JsonSchema {
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input' }) };
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, location: Parameter['in']): Parameter[] {
  if (!schema) return [];
  const json = wireSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property as JsonSchema & { description?: string };
    return {
      name,
      in: location,
      // OpenAPI requires path parameters to be required (§4.8.12.1).
      ...((location === 'path' || json.required?.includes(name)) && { required: true }),
      ...(typeof description === 'string' && { description }),
      schema: propertySchema,
    };
  });
}

/** `user.list` on `get /users/:username` becomes `getUsersUsername`: unique, since the table holds one row per method and path. */
function operationIdOf(route: AdminRoute): string {
  const words = route.path.split(/[/:-]/).filter(Boolean);
  return route.method + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

function operationOf(route: AdminRoute): Operation {
  const { params, query, body } = route.schemas;
  const parameters = [...parametersOf(params, 'path'), ...parametersOf(query, 'query')];
  const errors: ErrorStatus[] = ['400', '401', '403', '404', '405', '409', '422', ...(body ? ['415' as const] : []), '429', '503'];
  const answer = route.status === 204
    ? { description: 'Done; the body is empty.' }
    : { description: route.status === 201 ? 'Created.' : 'The answer.', content: { 'application/json': { schema: { type: 'object' } } } };
  return {
    operationId: operationIdOf(route),
    summary: `Admin-policy action \`${route.action}\``,
    description: `Allowed or refused by server/policy/admin-policy.ts for \`${route.action}\`; docs/access-model.md says who may.`,
    tags: [route.path.split('/')[1] ?? 'admin'],
    ...(parameters.length > 0 && { parameters }),
    ...(body && { requestBody: { required: true, content: { 'application/json': { schema: wireSchema(body) } } } }),
    responses: { [route.status]: answer, ...errorReferences(errors) },
  };
}

/**
 * The admin API (docs/admin.md), generated from server/http/admin/admin-routes.ts's table and the
 * zod schemas the routes validate their inputs with, so the document cannot drift from them.
 */
export function buildAdminDocument(): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const route of ADMIN_ROUTES) addOperation(paths, `/admin${openApiPath(route.path)}`, route.method, operationOf(route));
  addOperation(paths, ADMIN_DOCUMENT_PATH, 'get', {
    operationId: 'getAdminOpenApi', summary: 'This document', tags: [DOCUMENTATION_TAG],
    responses: { 200: { description: 'The OpenAPI document of the admin API.', content: { 'application/json': { schema: { type: 'object' } } } }, ...errorReferences(['401']) },
  });
  const tags = [...new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((operation) => operation.tags)))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Taxii Alliance Server: admin API',
      version: '1',
      description: 'Users, API tokens, grants, the audit trail and provenance (docs/admin.md). Requests and answers are application/json; refusals are TAXII error resources.',
    },
    tags: tags.map((name) => ({ name, description: name === DOCUMENTATION_TAG ? 'Where this document is served.' : `The /admin/${name} endpoints.` })),
    paths,
    components: { schemas: { ...ERROR_COMPONENT }, responses: errorResponses(), securitySchemes: SECURITY_SCHEMES },
    security: ANY_SCHEME,
  };
}
