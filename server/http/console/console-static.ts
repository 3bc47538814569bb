import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

/**
 * Headers for the console's pages: scripts, styles and data from this origin only, never framed
 * (clickjacking), no referrer leaking collection ids to other sites. The app has no inline script.
 */
function pageHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/**
 * The built console (console/dist) at /console/: files as they are, and index.html for any other
 * path so the app's own router draws it. Public on purpose: the shell holds no data; every datum
 * comes from the TAXII and admin APIs with the session cookie. /console/session is left to its routes.
 */
export function createConsoleStaticRouter(distDir: string): Router {
  const router = Router();
  const index = join(distDir, 'index.html');
  router.use('/console', pageHeaders);
  router.get(/^\/console$/, (_req: Request, res: Response) => res.redirect(301, '/console/'));
  router.use('/console', express.static(distDir, { index: false, fallthrough: true, maxAge: 0 }));
  router.get(/^\/console\/(?!session$).*/, (_req: Request, res: Response) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The console is not built: `npm start` builds it (scripts/ensure-console.js).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
