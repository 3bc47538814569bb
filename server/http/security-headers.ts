import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Response headers for a JSON API read by programs and, with CORS on, by browser portals
 * (docs/security.md 6). helmet's defaults are written for HTML pages; here:
 * - CSP `default-src 'none'; frame-ancestors 'none'`: a TAXII response is data, so a browser that
 *   renders one (an error page opened by hand) may load nothing and may not be framed;
 * - HSTS only when this process terminates TLS: sent over plain HTTP it would be ignored at best,
 *   and behind a TLS proxy it is the proxy's to send;
 * - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`;
 * - `Cache-Control: no-store` on every answer: TAXII content is marked up to TLP:RED, access
 *   differs per credential, and no shared or browser cache may keep a copy.
 */
export function securityHeaders(options: { tls: boolean }): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    strictTransportSecurity: options.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const noStore = (_req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  return [headers, noStore];
}
