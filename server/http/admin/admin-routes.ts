import { Router, type Request, type Response } from 'express';
import { actorOf, type AdminDependencies } from '../../services/admin/admin-dependencies';
import { queryAuditTrail } from '../../services/admin/audit-trail';
import { changeGrant, listCollectionsWithGrants } from '../../services/admin/grants';
import {
  addUserBody, auditTrailQuery, createTokenBody, grantPath, listTokensQuery, listUsersQuery, provenanceQuery, publicationsQuery,
  setGrantBody, setPasswordBody, tokenPath, userPath,
} from '../../services/admin/inputs';
import { listFeeds } from '../../services/admin/feeds';
import { provenanceOf, publicationsOf } from '../../services/admin/provenance';
import { createToken, listTokens, revokeToken } from '../../services/admin/tokens';
import { addUser, listUsers, setUserDisabled, setUserPassword, showUser } from '../../services/admin/users';
import { refuseUnlistedMethods } from '../method-not-allowed';
import { principalOf } from '../request-scope';
import { adminRoute, created, NO_CONTENT, ok, type AdminRoute } from './admin-route';
import {
  presentApply, presentAuditRecords, presentCollections, presentFeeds, presentIssuedToken, presentProvenance, presentPublications, presentRevokedToken,
  presentTokens, presentUser, presentUsers,
} from './present';

/**
 * The admin API under /admin, one entry per endpoint: method, path, the admin-policy action, the
 * input schemas (services/admin/inputs.ts), the use case and how its result is answered. The
 * table in docs/access-model.md lists the same rows (test/http/admin-routes.test.ts compares them).
 */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  adminRoute({ method: 'get', path: '/users', action: 'user.list', query: listUsersQuery,
    run: (deps, request, input) => listUsers(deps, request, input.org), answer: ok(presentUsers) }),
  adminRoute({ method: 'post', path: '/users', action: 'user.add', body: addUserBody,
    run: addUser, answer: created(presentUser) }),
  adminRoute({ method: 'get', path: '/users/:username', action: 'user.list', params: userPath,
    run: showUser, answer: ok(presentUser) }),
  adminRoute({ method: 'post', path: '/users/:username/disable', action: 'user.disable', params: userPath,
    run: (deps, request, input) => setUserDisabled(deps, request, input.username, true), answer: ok(presentUser) }),
  adminRoute({ method: 'post', path: '/users/:username/enable', action: 'user.enable', params: userPath,
    run: (deps, request, input) => setUserDisabled(deps, request, input.username, false), answer: ok(presentUser) }),
  adminRoute({ method: 'put', path: '/users/:username/password', action: 'user.password', params: userPath, body: setPasswordBody,
    run: setUserPassword, answer: NO_CONTENT }),
  adminRoute({ method: 'get', path: '/tokens', action: 'token.list', query: listTokensQuery,
    run: listTokens, answer: ok(presentTokens) }),
  adminRoute({ method: 'post', path: '/tokens', action: 'token.create', body: createTokenBody,
    run: (deps, request, input) => createToken(deps, request, input), answer: created(presentIssuedToken) }),
  adminRoute({ method: 'delete', path: '/tokens/:tokenId', action: 'token.revoke', params: tokenPath,
    run: (deps, request, input) => revokeToken(deps, request, input.tokenId), answer: ok(presentRevokedToken) }),
  adminRoute({ method: 'get', path: '/audit', action: 'audit.read', query: auditTrailQuery,
    run: queryAuditTrail, answer: ok(presentAuditRecords) }),
  adminRoute({ method: 'get', path: '/provenance', action: 'provenance.read', query: provenanceQuery,
    run: provenanceOf, answer: ok(presentProvenance) }),
  adminRoute({ method: 'get', path: '/publications', action: 'publications.read', query: publicationsQuery,
    run: publicationsOf, answer: ok(presentPublications) }),
  adminRoute({ method: 'get', path: '/collections', action: 'collections.list',
    run: (deps, request) => listCollectionsWithGrants(deps, request), answer: ok(presentCollections) }),
  adminRoute({ method: 'put', path: '/collections/:collectionId/grants/:organisation', action: 'grant.change', params: grantPath, body: setGrantBody,
    run: changeGrant, answer: ok(presentApply) }),
  adminRoute({ method: 'delete', path: '/collections/:collectionId/grants/:organisation', action: 'grant.change', params: grantPath,
    run: changeGrant, answer: ok(presentApply) }),
  adminRoute({ method: 'get', path: '/feeds', action: 'feeds.read',
    run: (deps, request) => listFeeds(deps, request), answer: ok(presentFeeds) }),
];

function bind(deps: AdminDependencies, route: AdminRoute) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = { actor: actorOf(principalOf(res)), via: 'api' as const, requestId: String(req.id) };
    await route.handle(deps, request, req, res);
  };
}

/** Mounted by app.ts at /admin, after authentication and before the TAXII API roots. */
export function createAdminRouter(deps: AdminDependencies): Router {
  const router = Router({ strict: false });
  for (const route of ADMIN_ROUTES) router[route.method](route.path, bind(deps, route));
  refuseUnlistedMethods(router, ADMIN_ROUTES);
  return router;
}
