import { Router, type Request, type Response } from 'express';

export interface HealthChecks {
  /** Resolves when the database answers. */
  checkDatabase?: () => Promise<void>;
  /** Set by a graceful shutdown. */
  lifecycle?: { draining: boolean };
}

/**
 * Probes for an orchestrator, answered without authentication (README, Monitoring):
 * - `/health/live`: the process runs and answers HTTP. It stays 200 while draining, so a shutdown in
 *   progress is not mistaken for a hung process and cut short by a restart.
 * - `/health/ready`: the database answers a ping and the server is not draining; 503 otherwise, so a
 *   load balancer stops sending traffic.
 * - `/health`: what it always answered, which is readiness; kept for existing monitors.
 */
export function createHealthRouter(checks: HealthChecks): Router {
  const router = Router();
  const ready = async (_req: Request, res: Response): Promise<void> => {
    if (checks.lifecycle?.draining) {
      res.status(503).set('Connection', 'close').json({ status: 'draining', reason: 'the server is shutting down' });
      return;
    }
    try {
      await checks.checkDatabase?.();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'the database does not answer' });
    }
  };
  router.get('/health/live', (_req: Request, res: Response) => {
    res.json({ status: checks.lifecycle?.draining ? 'draining' : 'ok' });
  });
  router.get('/health/ready', ready);
  router.get('/health', ready);
  return router;
}
