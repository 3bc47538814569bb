import { z } from 'zod';
import { auditActions, instant, limit, newPassword, newUsername, role } from './input-fields';

/**
 * Every input of the admin use cases, as the admin API receives it (path, query string, JSON body)
 * and the admin CLI rebuilds it from its arguments. Each schema's output is what the use case
 * takes, so `z.output` is the use case's input type and `z.input` the wire shape; `z.toJSONSchema`
 * with `io: 'input'` turns any of them into the JSON Schema of the wire shape.
 *
 * Query strings and bodies are strict: an unknown name is refused, so a typo never widens an answer
 * or passes a misspelt `write` as false. How a field's error reads: ./input-errors.ts.
 */

/** For endpoints that take no query parameters. */
export const noQuery = z.strictObject({});

const optionalText = z.string().optional();

export const userPath = z.object({ username: z.string() });

export const listUsersQuery = z.strictObject({ org: optionalText.describe('an organisation id; default: the own one, or all for an alliance-admin') });

export const addUserBody = z.strictObject({
  username: newUsername,
  organisation: z.string(),
  role: role.default('member'),
  password: newPassword,
});

export const setPasswordBody = z.strictObject({ password: newPassword });

export const tokenPath = z.object({ tokenId: z.string() });

export const listTokensQuery = z
  .strictObject({ user: optionalText, org: optionalText })
  .transform((query) => ({ username: query.user, organisation: query.org }));

export const createTokenBody = z
  .strictObject({ username: z.string(), expires_at: instant.optional(), label: optionalText })
  .transform((body) => ({ username: body.username, expiresAt: body.expires_at, label: body.label }));

export const auditTrailQuery = z
  .strictObject({
    org: optionalText,
    collection: optionalText.describe('a collection id or alias'),
    since: instant.optional(),
    until: instant.optional(),
    action: auditActions.optional(),
    limit,
  })
  .transform((query) => ({
    organisation: query.org, collection: query.collection, since: query.since, until: query.until, actions: query.action, limit: query.limit,
  }));

/** Required query parameters refuse an empty value as they refuse a missing one. */
const requiredText = z.string().min(1);

export const provenanceQuery = z
  .strictObject({
    collection: requiredText.describe('a collection id or alias'),
    object: requiredText.describe('a STIX id'),
    version: optionalText.describe('a STIX timestamp: only this version'),
    limit,
  })
  .transform((query) => ({ collection: query.collection, objectId: query.object, version: query.version, limit: query.limit }));

export const publicationsQuery = z
  .strictObject({ org: requiredText, since: instant.optional(), until: instant.optional(), limit })
  .transform((query) => ({ organisation: query.org, since: query.since, until: query.until, limit: query.limit }));

/** `push refusals`: how many refusals to list per push target (CLI only for now). */
export const pushRefusalsQuery = z.strictObject({ limit });

export const grantPath = z
  .object({ collectionId: z.string(), organisation: z.string() })
  .transform((path) => ({ collection: path.collectionId, organisation: path.organisation }));

/** Both default to false; one of them must be true (the use case says so, for the CLI as well). */
export const setGrantBody = z
  .strictObject({ read: z.boolean().default(false), write: z.boolean().default(false) })
  .transform((body) => ({ rights: body }));
