import type { Principal } from '../auth/principal';
import type { ApiRootConfig } from '../config/types';

/**
 * What the route wrapper resolved before a handler of an API root's own resources runs; a handler of
 * a collection's resources receives the services' CollectionRequest, which adds the collection.
 */
export interface RootScope {
  principal: Principal;
  root: ApiRootConfig;
}

/** Authentication stores the principal at `res.locals.principal`; every TAXII route runs after it. */
export { principalOf } from '../auth/strategies';

/** The raw query string, parsed by taxii/query.ts rather than Express's `qs` (checklist Z-03). */
export function rawQueryOf(originalUrl: string): string {
  const mark = originalUrl.indexOf('?');
  return mark < 0 ? '' : originalUrl.slice(mark + 1);
}
