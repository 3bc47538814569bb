import { TAXII_MEDIA_TYPE } from '../../taxii/media-types';
import type { JsonSchema, ResponseObject, SecurityScheme } from './openapi-document';
import { TAXII_SCHEMAS } from './taxii-schemas';

/**
 * What both documents say alike: how a caller authenticates (server/auth/strategies.ts) and the
 * error resource every refusal carries, on the TAXII and the admin API alike (server/http/error-handler.ts).
 */
export const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  basicAuth: { type: 'http', scheme: 'basic', description: 'A user\'s name and password (RFC 7617); repeated failures lock the login for a while (docs/security.md).' },
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token issued by `npm run admin -- token create` or POST /admin/tokens.' },
  tokenAuth: { type: 'http', scheme: 'token', description: 'The same API token under the `Token` scheme, as the OASIS taxii2-client sends it.' },
};

/** Any one scheme will do. */
export const ANY_SCHEME = Object.keys(SECURITY_SCHEMES).map((name) => ({ [name]: [] }));

export const ERROR_SCHEMA: JsonSchema = { $ref: '#/components/schemas/error' };

/** Why each refusal happens; operations pick the ones that apply to them. */
const ERROR_REASONS = {
  '400': 'A query parameter or the body is not valid; `description` says which.',
  '401': 'No valid credentials; every unauthenticated request gets this, whatever the path (checklist H-07).',
  '403': 'The caller may see the resource but lacks the right this operation needs.',
  '404': 'Not there, or not visible to the caller: the answer is the same (TAXII 2.1 §1.6.9).',
  '405': 'The path exists but not with this method.',
  '406': 'The Accept header asks for a media type this endpoint does not give.',
  '409': 'The change conflicts with the current state.',
  '413': 'The body exceeds the limit (for TAXII, the API root\'s max_content_length).',
  '415': 'The Content-Type is not the one this endpoint takes.',
  '422': 'The request is well-formed but cannot be carried out, e.g. an envelope without objects, or a grant to an undeclared organisation.',
  '429': 'Over the request rate for these credentials (RATE_LIMIT_PER_SECOND, or the API root\'s rate_limit_per_second); `Retry-After` says when to retry.',
  '503': 'Too many password checks are queued; retry shortly or use an API token.',
} as const;

export type ErrorStatus = keyof typeof ERROR_REASONS;

/** The `components.responses` entries, one per status, referenced as `#/components/responses/error-<status>`. */
export function errorResponses(): Record<string, ResponseObject> {
  return Object.fromEntries(
    Object.entries(ERROR_REASONS).map(([status, reason]) => [
      `error-${status}`,
      { description: reason, content: { [TAXII_MEDIA_TYPE]: { schema: ERROR_SCHEMA } } },
    ]),
  );
}

export function errorReferences(statuses: readonly ErrorStatus[]): Record<string, { $ref: string }> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/error-${status}` }]));
}

/** The error resource schema, which the admin document needs as well. */
export const ERROR_COMPONENT: Record<string, JsonSchema> = { error: TAXII_SCHEMAS.error ?? {} };
