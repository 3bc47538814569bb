import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { NotFound, NO_RESOURCE_HERE } from '../errors';
import { ADMIN_ROUTES } from './admin/admin-routes';
import { isPreflight } from './cors';
import { ADMIN_DOCUMENT_PATH } from './openapi/admin-document';
import { TAXII_DOCUMENT_PATH } from './openapi/taxii-document';
import { ROOT_ROUTES } from './routes';

/** A URL shape of the route tables and the methods it accepts. */
interface RouteShape {
  pattern: RegExp;
  methods: string[];
}

// An API root's path is one or more segments (config/types.ts), so a shape under a root matches any of them.
const ANY_ROOT = '/[^/]+(?:/[^/]+)*';

/** `/collections/:collectionId/` → `/collections/[^/]+`, without the trailing slash Express lets clients omit. */
function templateToPattern(template: string): string {
  return template.replace(/\/$/, '').split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
}

function shapes(): RouteShape[] {
  const table: { prefix: string; template: string; method: string }[] = [
    { prefix: '', template: '/taxii2/', method: 'GET' },
    { prefix: '', template: '/health', method: 'GET' },
    { prefix: '', template: '/health/live', method: 'GET' },
    { prefix: '', template: '/health/ready', method: 'GET' },
    { prefix: '', template: TAXII_DOCUMENT_PATH, method: 'GET' },
    { prefix: '', template: ADMIN_DOCUMENT_PATH, method: 'GET' },
    ...ADMIN_ROUTES.map((route) => ({ prefix: '/admin', template: route.path, method: route.method.toUpperCase() })),
    ...ROOT_ROUTES.map((route) => ({ prefix: ANY_ROOT, template: route.path, method: route.method.toUpperCase() })),
  ];
  const byPattern = new Map<string, string[]>();
  for (const { prefix, template, method } of table) {
    const pattern = `^${prefix}${templateToPattern(template)}/?$`;
    byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), method]);
  }
  return [...byPattern].map(([pattern, methods]) => ({ pattern: new RegExp(pattern, 'i'), methods }));
}

/** The methods every route whose shape fits this path accepts, in one order; empty when none fits. */
export function methodsForShape(path: string, table: readonly RouteShape[] = ROUTE_SHAPES): string[] {
  const methods = new Set<string>();
  for (const shape of table) if (shape.pattern.test(path)) for (const method of shape.methods) methods.add(method);
  return ['GET', 'POST', 'PUT', 'DELETE'].filter((method) => methods.has(method));
}

const ROUTE_SHAPES = shapes();

/**
 * OPTIONS without credentials, and every CORS preflight, answered before authentication: browsers
 * send preflights without credentials (Fetch standard, CORS protocol), and a 401 would fail them.
 * The answer depends on the URL's shape only, never on which API roots or collections exist, so it
 * reveals nothing the route table does not (docs/security.md 5): 204 with `Allow` (RFC 9110 §9.3.7),
 * and for a listed origin the preflight's Access-Control-Allow-Methods. OPTIONS with credentials goes
 * through the routes like any other method: 404 where the caller sees nothing, 405 with `Allow` where
 * it does.
 */
export function answerOptions(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'OPTIONS' || (req.headers.authorization !== undefined && !isPreflight(req))) return next();
    const methods = methodsForShape(req.path);
    if (methods.length === 0) return next(new NotFound(NO_RESOURCE_HERE));
    const allow = [...methods, 'OPTIONS'].join(', ');
    res.setHeader('Allow', allow);
    if (isPreflight(req) && res.getHeader('Access-Control-Allow-Origin') !== undefined) res.setHeader('Access-Control-Allow-Methods', allow);
    res.status(204).end();
  };
}
