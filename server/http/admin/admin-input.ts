import type { Request, Response } from 'express';
import { InvalidParameter, UnsupportedMediaType } from '../../errors';
import { readJsonBody } from '../body';
import { rawQueryOf } from '../request-scope';

const MAX_ADMIN_BODY = 64 * 1024;

/**
 * The query string as names and values, for the route's query schema to judge. A repeated name is
 * refused here, because a schema sees one value per name and would otherwise judge only one of them.
 */
export function readAdminQuery(req: Request): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryOf(req.originalUrl))) {
    if (Object.hasOwn(values, name)) throw new InvalidParameter(`parameter '${name}' is given more than once`);
    values[name] = value;
  }
  return values;
}

/** The admin API speaks plain JSON; bodies are small, so a tight limit costs nothing. The route's body schema judges the rest. */
export async function readAdminBody(req: Request, res: Response): Promise<unknown> {
  const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaType('the admin API takes Content-Type: application/json');
  return readJsonBody(req, res, MAX_ADMIN_BODY);
}
