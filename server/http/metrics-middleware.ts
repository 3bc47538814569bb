import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AllianceConfig } from '../config/types';
import { collectionLabel, type ServerMetrics } from './metrics';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The TAXII resources that serve pages (TAXII 2.1 §5.3, §5.4, §5.6 and the single object of §5.5), by route template ending. */
const PAGE_RESOURCES: readonly [string, string][] = [
  ['/objects/:objectId/versions/', 'versions'],
  ['/objects/:objectId/', 'object'],
  ['/objects/', 'objects'],
  ['/manifest/', 'manifest'],
];
const MOUNT_KEY = 'metricsRouteMount';

/**
 * Names the mount a router serves, for the route label: `/{api-root}` for every API root (the
 * root's own path would add one label value per root and per spelling, as Express matches mount
 * paths without regard to case), `/admin` for the admin API.
 */
export function routeMount(label: string): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.locals[MOUNT_KEY] = label;
    next();
  };
}

/** The matched route's template, e.g. `/{api-root}/collections/:collectionId/objects/`; `unmatched` when no route matched. */
function routeTemplate(req: Request, res: Response): string | undefined {
  const route: unknown = req.route;
  if (typeof route !== 'object' || route === null || !('path' in route) || typeof route.path !== 'string') return undefined;
  const mount: unknown = res.locals[MOUNT_KEY];
  return `${typeof mount === 'string' ? mount : ''}${route.path}`;
}

/**
 * Counts and times every request when its answer is finished. The collection of a page comes from
 * the route's parameters and is a label only when the configuration declares it, so an unknown id
 * in a URL adds no label value.
 */
export function observeRequests(metrics: ServerMetrics, config: () => AllianceConfig): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stopTimer = metrics.requestDuration.startTimer();
    res.once('finish', () => {
      const template = routeTemplate(req, res);
      const route = template ?? 'unmatched';
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'other';
      stopTimer({ method, route });
      metrics.requests.inc({ method, route, status: String(res.statusCode) });
      if (res.statusCode === 401) metrics.authFailures.inc();
      const resource = template && method === 'GET' && res.statusCode === 200 ? PAGE_RESOURCES.find(([ending]) => template.endsWith(ending))?.[1] : undefined;
      if (resource) {
        const collectionId: unknown = req.params.collectionId;
        metrics.pollPages.inc({ collection: collectionLabel(config(), typeof collectionId === 'string' ? collectionId : undefined), resource });
      }
    });
    next();
  };
}
