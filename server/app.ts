import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { createAuthenticator, type AuthenticationFailure } from './auth/strategies';
import type { AuditLog } from './storage/audit-log';
import { MethodNotAllowed } from './errors';
import { discoveryHandler } from './http/handlers/discovery';
import { createAdminRouter } from './http/admin/admin-routes';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { requireAcceptable } from './http/negotiation';
import { createRootRouter } from './http/routes';
import { withRequestId, type Logger } from './logging';
import type { AdminServices } from './services/admin/admin-services';
import type { TaxiiContext } from './services/context';
import type { CredentialRepository } from './storage/credential-repository';

export interface AppDependencies {
  context: TaxiiContext;
  /** Resolves when the database answers; /health reports 503 otherwise. */
  checkDatabase?: () => Promise<void>;
  credentials: CredentialRepository;
  logger: Logger;
  /** The admin API (docs/access-model.md); without it /admin is not mounted. */
  admin?: AdminServices;
  /** Set by a graceful shutdown: /health then answers 503 so a load balancer stops sending traffic. */
  lifecycle?: { draining: boolean };
}

/** Builds the Express application; it never listens (main.ts and tests do). */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // Query strings are parsed by taxii/query.ts; Express's `qs` would turn match[type][$ne] into operators.
  app.set('query parser', false);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = req.headers['x-request-id'];
        const requestId = typeof id === 'string' && /^[\w.-]{1,64}$/.test(id) ? id : randomUUID();
        res.setHeader('X-Request-Id', requestId);
        return requestId;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  // Every line logged while this request is handled, by any module, carries its id (server/logging.ts).
  app.use((req: Request, _res: Response, next: NextFunction) => withRequestId(String(req.id), next));

  app.get('/health', async (_req: Request, res: Response) => {
    if (deps.lifecycle?.draining) {
      res.status(503).set('Connection', 'close').json({ status: 'draining', reason: 'the server is shutting down' });
      return;
    }
    try {
      await deps.checkDatabase?.();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'the database does not answer' });
    }
  });

  // Authenticate before routing, so an unauthenticated caller learns nothing about which paths exist (checklist H-07).
  app.use(
    createAuthenticator(deps.credentials, {
      onFailure: (failure) => recordAuthenticationFailure(deps.context.audit, deps.logger, failure),
    }),
  );

  if (deps.admin) app.use('/admin', createAdminRouter(deps.admin));
  app.get('/taxii2/', requireAcceptable(false), discoveryHandler(deps.context));
  app.all('/taxii2/', (req: Request, _res: Response, next: NextFunction) => next(new MethodNotAllowed(req.method, ['GET'])));
  for (const root of deps.context.config.apiRoots) app.use(`/${root.path}`, createRootRouter(deps.context, root.path));

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}

/** The client only sees a 401; the reason goes to the log and the audit trail. */
function recordAuthenticationFailure(audit: AuditLog, logger: Logger, failure: AuthenticationFailure): void {
  logger.warn({ username: failure.username, reason: failure.reason }, 'authentication failed');
  audit
    .record({ at: new Date(), action: 'auth.failure', username: failure.username, details: { reason: failure.reason } })
    .catch((error: unknown) => logger.error({ err: error }, 'could not record an authentication failure'));
}
