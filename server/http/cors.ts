import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Headers a TAXII client reads that are not CORS-safelisted (TAXII 2.1 §3.2 for the X-TAXII ones). */
const EXPOSED_HEADERS = ['X-TAXII-Date-Added-First', 'X-TAXII-Date-Added-Last', 'Content-Type', 'Retry-After', 'X-Request-Id', 'WWW-Authenticate'];
/** Request headers a TAXII client sends: credentials, and the TAXII media types, which are not CORS-safelisted. */
const ALLOWED_HEADERS = ['Authorization', 'Accept', 'Content-Type', 'X-Request-Id'];
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** OPTIONS with Origin and Access-Control-Request-Method: a browser asking before a cross-origin request (Fetch standard, CORS protocol). */
export function isPreflight(req: Request): boolean {
  return req.method === 'OPTIONS' && typeof req.headers.origin === 'string' && typeof req.headers['access-control-request-method'] === 'string';
}

/**
 * The CORS policy (docs/security.md 6): off unless CORS_ORIGINS lists origins. A listed origin gets
 * its own name back with credentials allowed; any other origin gets no CORS header at all, so the
 * browser keeps the answer from the page. The answer does not otherwise depend on the origin.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler {
  const listed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    // The answer differs by Origin whenever CORS is on, so caches must key on it (Fetch standard, CORS protocol and HTTP caches).
    res.vary('Origin');
    const origin = req.headers.origin;
    if (typeof origin === 'string' && listed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (isPreflight(req)) {
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
        res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      } else {
        res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
      }
    }
    next();
  };
}
