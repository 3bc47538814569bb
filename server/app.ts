import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { pinoHttp } from 'pino-http';
import { join } from 'node:path';
import { ConsoleSessions } from './auth/console-sessions';
import { LoginLockout, type Lockout } from './auth/login-lockout';
import { PasswordLogin } from './auth/password-login';
import { SessionCookieStrategy } from './auth/session-cookie-strategy';
import { PROJECT_ROOT } from './config/settings';
import { createConsoleLoginRouter, createConsoleSessionRouter, type ConsoleSessionDependencies } from './http/console/console-session-routes';
import { createConsoleStaticRouter } from './http/console/console-static';
import { createAuthenticator, type AuthenticationFailure, type AuthenticatorOptions } from './auth/strategies';
import type { AuditLog } from './storage/audit-log';
import { MethodNotAllowed } from './errors';
import { discoveryHandler } from './http/handlers/discovery';
import { createAdminRouter } from './http/admin/admin-routes';
import { corsPolicy } from './http/cors';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { createHealthRouter } from './http/health';
import type { ServerMetrics } from './http/metrics';
import { observeRequests, routeMount } from './http/metrics-middleware';
import { requireAcceptable } from './http/negotiation';
import { createOpenApiRouter } from './http/openapi/openapi-router';
import { answerOptions } from './http/options';
import { createRateLimit, type RateLimitPolicy } from './http/rate-limit';
import { createRootRouter } from './http/routes';
import { securityHeaders } from './http/security-headers';
import type { ServerSettings } from './config/settings';
import { withRequestId, type Logger } from './logging';
import type { AdminDependencies } from './services/admin/admin-dependencies';
import { authenticationFailureRecord, lockoutRecord } from './services/audit-records';
import type { TaxiiContext } from './services/context';
import type { CredentialRepository } from './storage/credential-repository';

export interface AppDependencies {
  context: TaxiiContext;
  /** Resolves when the database answers; /health/ready (and /health) report 503 otherwise. */
  checkDatabase?: () => Promise<void>;
  credentials: CredentialRepository;
  logger: Logger;
  /** The admin API (docs/access-model.md); without it /admin is not mounted. */
  admin?: AdminDependencies;
  /** Set by a graceful shutdown: /health/ready (and /health) then answer 503 so a load balancer stops sending traffic. */
  lifecycle?: { draining: boolean };
  /** The lockout shared with the watch that lifts locks (main.ts), limits on password checks; defaults when absent. */
  authentication?: Pick<AuthenticatorOptions, 'lockout' | 'passwordChecks' | 'passwordHashParameters'>;
  /** Told of every refused request after the log and audit, e.g. to count it in a metric. */
  onAuthenticationFailure?: (failure: AuthenticationFailure) => void;
  /** The web console's sessions (docs/security.md, "Console sessions"); a fresh store when absent. */
  consoleSessions?: ConsoleSessions;
  /** Where the built console lives; console/dist by default (scripts/ensure-console.js builds it). */
  consoleDir?: string;
  /** Headers, CORS and rate limit (docs/security.md 6); absent: no HSTS, CORS off, no rate limit. */
  http?: HttpPolicy;
  /** Counts and times requests for /metrics (README, Monitoring); absent: nothing is counted. */
  metrics?: ServerMetrics;
}

export interface HttpPolicy {
  /** This process terminates TLS: HSTS is sent. */
  tls: boolean;
  /** Browser origins allowed to call the API with credentials; empty: CORS off. */
  corsOrigins: readonly string[];
  rateLimit?: RateLimitPolicy;
}

/** The HTTP policy the settings describe; the rate limit window is one second (RATE_LIMIT_PER_SECOND). */
export function httpPolicyFrom(settings: Pick<ServerSettings, 'tlsCertFile' | 'corsOrigins' | 'rateLimitPerSecond'>): HttpPolicy {
  return {
    tls: Boolean(settings.tlsCertFile),
    corsOrigins: settings.corsOrigins,
    rateLimit: { defaultRequests: settings.rateLimitPerSecond, windowSeconds: 1 },
  };
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

  const policy = deps.http ?? { tls: false, corsOrigins: [] };
  const liveConfig = () => deps.context.config;
  if (deps.metrics) app.use(observeRequests(deps.metrics, liveConfig));
  app.use(securityHeaders({ tls: policy.tls }));
  if (policy.corsOrigins.length > 0) app.use(corsPolicy(policy.corsOrigins));
  app.use(createHealthRouter({ checkDatabase: deps.checkDatabase, lifecycle: deps.lifecycle }));
  app.use(answerOptions());

  const onFailure = (failure: AuthenticationFailure): void => {
    recordAuthenticationFailure(deps.context.audit, deps.logger, failure);
    deps.onAuthenticationFailure?.(failure);
  };
  const onLockout = (lockout: Lockout): void => recordLockout(deps.context.audit, deps.logger, lockout);
  // One password check for Basic and the console's login form, so both count against the same locks.
  const passwordLogin = new PasswordLogin(deps.credentials, {
    lockout: deps.authentication?.lockout ?? new LoginLockout(),
    limits: deps.authentication?.passwordChecks,
    hashParameters: deps.authentication?.passwordHashParameters,
    onLockout,
  });
  const consoleSessions: ConsoleSessionDependencies = {
    sessions: deps.consoleSessions ?? new ConsoleSessions(), passwordLogin, credentials: deps.credentials, onFailure,
  };
  // The console's shell and its login are public; everything it shows comes through the APIs below (docs/security.md).
  app.use(createConsoleStaticRouter(deps.consoleDir ?? join(PROJECT_ROOT, 'console', 'dist')));
  app.use(createConsoleLoginRouter(consoleSessions));

  // Authenticate before routing, so an unauthenticated caller learns nothing about which paths exist (checklist H-07).
  app.use(
    createAuthenticator(deps.credentials, {
      ...deps.authentication,
      passwordLogin,
      sessionStrategy: new SessionCookieStrategy(consoleSessions.sessions, deps.credentials),
      onFailure,
      onLockout,
    }),
  );
  if (policy.rateLimit) {
    const rateLimit = createRateLimit(policy.rateLimit, liveConfig);
    app.use(rateLimit.perAddressOnFailure);
    app.use(rateLimit.perCredential);
  }

  app.use(createConsoleSessionRouter(consoleSessions));

  app.use(createOpenApiRouter({ admin: deps.admin !== undefined }));
  if (deps.admin) app.use('/admin', routeMount('/admin'), createAdminRouter(deps.admin));
  // route().all rather than app.all, which registers each method by name: the route walk in
  // test/http/openapi.test.ts then tells the 405 answer from an operation, as for the routers' refuseUnlistedMethods.
  app
    .route('/taxii2/')
    .get(requireAcceptable(false), discoveryHandler(deps.context))
    .all((req: Request, _res: Response, next: NextFunction) => next(new MethodNotAllowed(req.method, ['GET'])));
  for (const root of deps.context.config.apiRoots) app.use(`/${root.path}`, routeMount('/{api-root}'), createRootRouter(deps.context, root.path));

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}

/** The client only sees a 401; the reason goes to the log and the audit trail. */
function recordAuthenticationFailure(audit: AuditLog, logger: Logger, failure: AuthenticationFailure): void {
  const facts = { username: failure.username, ip: failure.ip, reason: failure.reason, certificate: failure.certificate };
  // A flood against a locked key would otherwise add a warning and an audit row per attempt; the lock has its own.
  if (failure.refusedUnchecked) return logger.debug(facts, 'authentication refused unchecked');
  logger.warn(facts, 'authentication failed');
  audit
    .record(authenticationFailureRecord(failure))
    .catch((error: unknown) => logger.error({ err: error }, 'could not record an authentication failure'));
}

function recordLockout(audit: AuditLog, logger: Logger, lockout: Lockout): void {
  const record = lockoutRecord(lockout);
  logger.warn(record.details, 'login locked after repeated failures');
  audit
    .record(record)
    .catch((error: unknown) => logger.error({ err: error }, 'could not record a login lock'));
}
