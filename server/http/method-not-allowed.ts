import type { NextFunction, Request, Response, Router } from 'express';
import { MethodNotAllowed } from '../errors';

/** What a route table row says about where it answers; both the TAXII and the admin table have these columns. */
interface RouteEndpoint {
  readonly method: string;
  readonly path: string;
}

/**
 * Answers 405 for every method a path of the table does not list, naming the ones it does in the
 * error description. Call it after the table's routes are registered, so it only sees what they let through.
 */
export function refuseUnlistedMethods(router: Router, routes: readonly RouteEndpoint[]): void {
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method.toUpperCase()]);
  for (const [path, methods] of methodsByPath) {
    router.all(path, (req: Request, _res: Response, next: NextFunction) => next(new MethodNotAllowed(req.method, methods)));
  }
}
