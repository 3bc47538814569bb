import type { Request, Response } from 'express';
import { InvalidBody, InvalidParameter, UnsupportedMediaType } from '../../errors';
import { DEFAULT_ADMIN_LIMIT, MAX_ADMIN_LIMIT } from '../../services/admin/admin-services';
import type { AuditAction } from '../../storage/audit-log';
import { readJsonBody } from '../body';
import { rawQueryOf } from '../request-scope';

const MAX_ADMIN_BODY = 64 * 1024;

export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'objects.add', 'objects.read', 'object.delete', 'auth.failure', 'user.add', 'user.disable', 'user.enable',
  'user.password', 'token.create', 'token.revoke', 'config.apply', 'objects.push',
];

/** Query parameters by name; unknown and repeated ones are refused, so a typo never widens an answer silently. */
export function adminQuery(req: Request, allowed: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryOf(req.originalUrl))) {
    if (!allowed.includes(name)) throw new InvalidParameter(`unknown parameter '${name}'; this endpoint takes ${allowed.join(', ') || 'none'}`);
    if (values.has(name)) throw new InvalidParameter(`parameter '${name}' is given more than once`);
    values.set(name, value);
  }
  return values;
}

export function required(query: Map<string, string>, name: string): string {
  const value = query.get(name);
  if (value === undefined || value === '') throw new InvalidParameter(`parameter '${name}' is required`);
  return value;
}

export function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ADMIN_LIMIT;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_ADMIN_LIMIT) throw new InvalidParameter(`limit must be an integer from 1 to ${MAX_ADMIN_LIMIT}`);
  return limit;
}

/** ISO 8601 instants with a zone, e.g. 2026-01-31T00:00:00Z, or a bare date (midnight UTC). */
export function parseInstant(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new InvalidParameter(`${name} must be an ISO 8601 instant such as 2026-01-31T00:00:00Z, got '${text}'`);
  return date;
}

export function parseActions(text: string | undefined): AuditAction[] | undefined {
  if (text === undefined) return undefined;
  const actions = text.split(',');
  for (const action of actions) {
    if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new InvalidParameter(`unknown action '${action}'; one of ${AUDIT_ACTIONS.join(', ')}`);
  }
  return actions as AuditAction[];
}

/** The admin API speaks plain JSON; bodies are small, so a tight limit costs nothing. */
export async function adminBody(req: Request, res: Response): Promise<Record<string, unknown>> {
  const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaType('the admin API takes Content-Type: application/json');
  const body = await readJsonBody(req, res, MAX_ADMIN_BODY);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidBody('the body must be a JSON object');
  return body as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string, optional: true): string | undefined;
export function stringField(body: Record<string, unknown>, name: string, optional?: false): string;
export function stringField(body: Record<string, unknown>, name: string, optional = false): string | undefined {
  const value = body[name];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') throw new InvalidBody(`'${name}' must be a string`);
  return value;
}

export function booleanField(body: Record<string, unknown>, name: string): boolean {
  const value = body[name] ?? false;
  if (typeof value !== 'boolean') throw new InvalidBody(`'${name}' must be true or false`);
  return value;
}

/** Fields the endpoint does not know are refused rather than ignored (a misspelt `write` must not pass as false). */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) throw new InvalidBody(`unknown field(s) ${unknown.join(', ')}; this endpoint takes ${allowed.join(', ')}`);
}
