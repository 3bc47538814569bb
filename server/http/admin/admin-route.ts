import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AdminAction } from '../../policy/admin-policy';
import type { AdminDependencies, AdminRequest } from '../../services/admin/admin-dependencies';
import { parseAdminInput } from '../../services/admin/input-errors';
import { noQuery } from '../../services/admin/inputs';
import { readAdminBody, readAdminQuery } from './admin-input';

export type AdminMethod = 'get' | 'post' | 'put' | 'delete';

/** How a use case's result is answered: JSON with 200 or 201, or an empty 204. */
export type AdminAnswer<Result> = { status: 200 | 201; present: (result: Result) => object } | { status: 204 };

export const ok = <Result>(present: (result: Result) => object): AdminAnswer<Result> => ({ status: 200, present });
export const created = <Result>(present: (result: Result) => object): AdminAnswer<Result> => ({ status: 201, present });
export const NO_CONTENT = { status: 204 } as const;

/**
 * One admin endpoint as data (docs/adding-an-admin-endpoint.md). The use case gets the outputs of
 * the three schemas merged into one object; their field names never overlap. A route without a
 * query schema takes no query parameters; one without a body schema ignores any body.
 */
export interface AdminRouteSpec<Params, Query, Body, Result> {
  method: AdminMethod;
  /** Below /admin, in Express syntax (`:username`). */
  path: string;
  /** The admin-policy decision the use case asks for (server/policy/admin-policy.ts); the use case enforces it, this documents it. */
  action: AdminAction;
  params?: z.ZodType<Params>;
  query?: z.ZodType<Query>;
  body?: z.ZodType<Body>;
  run: (deps: AdminDependencies, request: AdminRequest, input: Params & Query & Body) => Promise<Result> | Result;
  answer: AdminAnswer<Result>;
}

/** A route with its types spent: what the router mounts and what tests and docs read. */
export interface AdminRoute {
  method: AdminMethod;
  path: string;
  action: AdminAction;
  schemas: { params?: z.ZodType; query: z.ZodType; body?: z.ZodType };
  status: 200 | 201 | 204;
  handle(deps: AdminDependencies, request: AdminRequest, req: Request, res: Response): Promise<void>;
}

export function adminRoute<Params = unknown, Query = unknown, Body = unknown, Result = unknown>(
  spec: AdminRouteSpec<Params, Query, Body, Result>,
): AdminRoute {
  const query: z.ZodType<Query> = spec.query ?? (noQuery as z.ZodType<Query>);
  return {
    method: spec.method,
    path: spec.path,
    action: spec.action,
    schemas: { ...(spec.params && { params: spec.params }), query, ...(spec.body && { body: spec.body }) },
    status: spec.answer.status,
    async handle(deps, request, req, res) {
      const params = spec.params ? parseAdminInput(spec.params, req.params, 'path') : undefined;
      const queryInput = parseAdminInput(query, readAdminQuery(req), 'query');
      const body = spec.body ? parseAdminInput(spec.body, await readAdminBody(req, res), 'body') : undefined;
      const result = await spec.run(deps, request, Object.assign({}, params, queryInput, body) as Params & Query & Body);
      const { answer } = spec;
      if (answer.status === 204) res.status(204).end();
      else res.status(answer.status).json(answer.present(result));
    },
  };
}
