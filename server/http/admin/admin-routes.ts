import { Router, type NextFunction, type Request, type Response } from 'express';
import { MethodNotAllowed } from '../../errors';
import type { AdminAction } from '../../policy/admin-policy';
import { actorOf, type AdminServices } from '../../services/admin/admin-services';
import { principalOf } from '../request-scope';
import {
  addUserHandler, auditHandler, collectionsHandler, createTokenHandler, feedsHandler, disableUserHandler, enableUserHandler, listTokensHandler,
  listUsersHandler, provenanceHandler, publicationsHandler, removeGrantHandler, revokeTokenHandler, setGrantHandler, setPasswordHandler,
  type AdminHandler,
} from './handlers';

type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * The admin API under /admin, one row per endpoint. `action` names the admin-policy decision the
 * use case asks for (server/policy/admin-policy.ts); the services enforce it, this column documents it.
 */
interface AdminRoute {
  method: Method;
  path: string;
  action: AdminAction;
  handler: AdminHandler;
}

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'get',    path: '/users',                                    action: 'user.list',         handler: listUsersHandler },
  { method: 'post',   path: '/users',                                    action: 'user.add',          handler: addUserHandler },
  { method: 'post',   path: '/users/:username/disable',                  action: 'user.disable',      handler: disableUserHandler },
  { method: 'post',   path: '/users/:username/enable',                   action: 'user.enable',       handler: enableUserHandler },
  { method: 'put',    path: '/users/:username/password',                 action: 'user.password',     handler: setPasswordHandler },
  { method: 'get',    path: '/tokens',                                   action: 'token.list',        handler: listTokensHandler },
  { method: 'post',   path: '/tokens',                                   action: 'token.create',      handler: createTokenHandler },
  { method: 'delete', path: '/tokens/:tokenId',                          action: 'token.revoke',      handler: revokeTokenHandler },
  { method: 'get',    path: '/audit',                                    action: 'audit.read',        handler: auditHandler },
  { method: 'get',    path: '/provenance',                               action: 'provenance.read',   handler: provenanceHandler },
  { method: 'get',    path: '/publications',                             action: 'publications.read', handler: publicationsHandler },
  { method: 'get',    path: '/collections',                              action: 'collections.list',  handler: collectionsHandler },
  { method: 'put',    path: '/collections/:collectionId/grants/:organisation', action: 'grant.change', handler: setGrantHandler },
  { method: 'delete', path: '/collections/:collectionId/grants/:organisation', action: 'grant.change', handler: removeGrantHandler },
  { method: 'get',    path: '/feeds',                                    action: 'feeds.read',        handler: feedsHandler },
];

function bind(services: AdminServices, route: AdminRoute) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = { actor: actorOf(principalOf(res)), via: 'api' as const, requestId: String(req.id) };
    await route.handler(services, request, req, res);
  };
}

/** Mounted by app.ts at /admin, after authentication and before the TAXII API roots. */
export function createAdminRouter(services: AdminServices): Router {
  const router = Router({ strict: false });
  const methodsByPath = new Map<string, string[]>();
  for (const route of ADMIN_ROUTES) {
    router[route.method](route.path, bind(services, route));
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) {
    router.all(path, (req: Request, _res: Response, next: NextFunction) => next(new MethodNotAllowed(req.method, methods)));
  }
  return router;
}
