import express, { type Express, type Request, type Response } from 'express';
import type { ServerMetrics } from './metrics';

/**
 * The app of the metrics listener (METRICS_PORT, on METRICS_HOST, 127.0.0.1 by default): only
 * `GET /metrics`, in Prometheus' text format, without authentication. It is kept off the TAXII
 * listener so that partners can never reach it and Prometheus needs no alliance credentials;
 * who may scrape is decided by where the listener binds (README, Monitoring).
 */
export function createMetricsApp(metrics: ServerMetrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req: Request, res: Response) => {
    const body = await metrics.registry.metrics();
    res.status(200).set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store').send(body);
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).set('Content-Type', 'text/plain; charset=utf-8').send('Only GET /metrics is served here.\n');
  });
  return app;
}
