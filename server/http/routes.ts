import { Router, type NextFunction, type Request, type Response } from 'express';
import { CollectionNotFound, Forbidden } from '../errors';
import { decide, type CollectionAction } from '../policy/access-policy';
import { visibleApiRoots } from '../policy/visibility';
import type { CollectionRequest, TaxiiContext } from '../services/context';
import { collectionFor } from '../services/collections';
import { apiRootFor } from '../services/discovery';
import { apiRootHandler, collectionHandler, collectionsHandler, statusHandler } from './handlers/discovery';
import {
  addObjectsHandler, deleteObjectHandler, getObjectHandler, getObjectsHandler, manifestHandler, versionsHandler,
} from './handlers/objects';
import { refuseUnlistedMethods } from './method-not-allowed';
import { requireAcceptable, requireTaxiiBody } from './negotiation';
import { principalOf, type RootScope } from './request-scope';

type Method = 'get' | 'post' | 'delete';
type RootHandler = (context: TaxiiContext, scope: RootScope, req: Request, res: Response) => Promise<void>;
type CollectionHandler = (context: TaxiiContext, scope: CollectionRequest, req: Request, res: Response) => Promise<void>;

/** Every route names the access it needs; there is no default, so none can be added without one (docs/architecture.md 1.4). */
type RouteDefinition =
  | { method: Method; path: string; access: 'root'; handler: RootHandler; acceptsStix?: boolean }
  | { method: Method; path: string; access: CollectionAction; handler: CollectionHandler; acceptsStix?: boolean };

/** The API under each API root, relative to it. Discovery (`/taxii2/`) is mounted by app.ts. */
export const ROOT_ROUTES: readonly RouteDefinition[] = [
  { method: 'get',    path: '/',                                         access: 'root',   handler: apiRootHandler },
  { method: 'get',    path: '/status/:statusId/',                        access: 'root',   handler: statusHandler },
  { method: 'get',    path: '/collections/',                             access: 'root',   handler: collectionsHandler },
  { method: 'get',    path: '/collections/:collectionId/',               access: 'see',    handler: collectionHandler },
  { method: 'get',    path: '/collections/:collectionId/manifest/',      access: 'read',   handler: manifestHandler, acceptsStix: true },
  { method: 'get',    path: '/collections/:collectionId/objects/',       access: 'read',   handler: getObjectsHandler },
  { method: 'post',   path: '/collections/:collectionId/objects/',       access: 'write',  handler: addObjectsHandler },
  { method: 'get',    path: '/collections/:collectionId/objects/:objectId/',          access: 'read',   handler: getObjectHandler },
  { method: 'delete', path: '/collections/:collectionId/objects/:objectId/',          access: 'delete', handler: deleteObjectHandler },
  { method: 'get',    path: '/collections/:collectionId/objects/:objectId/versions/', access: 'read',   handler: versionsHandler },
];

function bind(context: TaxiiContext, rootPath: string, route: RouteDefinition) {
  return async (req: Request, res: Response): Promise<void> => {
    const principal = principalOf(res);
    const root = apiRootFor(context.config, principal, rootPath);
    if (route.access === 'root') return route.handler(context, { principal, root }, req, res);
    const collection = collectionFor(context.config, principal, root, String(req.params.collectionId));
    const decision = decide(principal, route.access, collection);
    if (!decision.allow) throw decision.hide ? new CollectionNotFound(collection.id) : new Forbidden(decision.reason);
    return route.handler(context, { principal, root, collection, requestId: String(req.id) }, req, res);
  };
}

/**
 * A root the caller may not see does not exist for it (TAXII 2.1 §4.1 lets discovery differ per
 * client), for every method and path below it (docs/security.md §5). Before any route, Accept check or 405,
 * the request leaves this router, and what answers is whatever answers an absent root: the app's
 * 404 for an unknown URL, or a visible root mounted deeper under the same prefix.
 */
function hideFromOutsiders(context: TaxiiContext, rootPath: string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const visible = visibleApiRoots(principalOf(res), context.config).some((root) => root.path === rootPath);
    next(visible ? undefined : 'router');
  };
}

/** One router per API root, mounted at its path, so roots may have several path segments. */
export function createRootRouter(context: TaxiiContext, rootPath: string): Router {
  const router = Router({ strict: false });
  router.use(hideFromOutsiders(context, rootPath));
  for (const route of ROOT_ROUTES) {
    const steps = [requireAcceptable(route.acceptsStix ?? false)];
    if (route.method === 'post') steps.push(requireTaxiiBody);
    router[route.method](route.path, ...steps, bind(context, rootPath, route));
  }
  refuseUnlistedMethods(router, ROOT_ROUTES);
  return router;
}
