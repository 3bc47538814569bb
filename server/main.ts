import { join } from 'node:path';
import type { Server } from 'node:http';
import { createApp, httpPolicyFrom } from './app';
import { createListener } from './listener';
import { createAdminDependencies, createRuntime } from './bootstrap';
import { ensureDemoUsers } from './auth/demo-users';
import { LoginLockout } from './auth/login-lockout';
import { watchUnlockRequests } from './auth/unlock-requests';
import { loadAllianceConfig } from './config/alliance';
import { loadCursorKeys } from './config/cursor-keys';
import { checkFeedCredentials, feedAuthorization } from './config/feed-credentials';
import { feedSecretSources, PROJECT_ROOT, readSettings, type ServerSettings } from './config/settings';
import type { AllianceConfig } from './config/types';
import { createProcessLogger, type Logger } from './logging';
import { ServerMetrics } from './http/metrics';
import { createMetricsApp } from './http/metrics-app';
import { FeedPoller } from './feeds/feed-poller';
import { loadFixtures } from './services/fixtures';
import { applyConfigDirectory } from './services/admin/config-apply';
import { watchAllianceConfig } from './services/admin/config-watch';
import { OPERATOR_ORGANISATION } from './policy/admin-policy';
import { openConfiguredStorage } from './storage/open-storage';
import type { Storage } from './storage/storage';
import { timedStorage } from './storage/timed-storage';

// How soon an apply made elsewhere (the admin CLI, another server) reaches this one.
const CONFIG_POLL_MS = 3000;
// How soon `npm run admin -- unlock` reaches this server.
const UNLOCK_POLL_MS = 2000;

async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const settings = readSettings();
  const logger = await createProcessLogger(settings.logLevel);
  // stdout is the JSON log (server/logging.ts); what is written for a person goes to stderr.
  const printLine = (line: string) => process.stderr.write(`${line}\n`);

  const config = await loadAllianceConfig(settings.configDir);
  // A feed whose secret is missing is a configuration error at start, not a poll that fails forever.
  checkFeedCredentials(config, feedSecretSources(settings.configDir));
  const opened = await openConfiguredStorage(settings, logger, 'server');
  // Metrics are kept only when METRICS_PORT asks for them (README, Monitoring).
  const metrics = settings.metrics ? new ServerMetrics() : undefined;
  const storage = metrics ? timedStorage(opened, metrics.observeStorage) : opened;
  try {
    await serve(settings, logger, printLine, demo, config, storage, metrics);
  } catch (error) {
    // A start that fails half-way must release the data directory and the connection.
    await storage.close().catch(() => undefined);
    throw error;
  }
}

async function serve(
  settings: ServerSettings,
  logger: Logger,
  printLine: (line: string) => void,
  demo: boolean,
  config: AllianceConfig,
  storage: Storage,
  metrics: ServerMetrics | undefined,
): Promise<void> {
  const pushLog = logger.child({ module: 'push' });
  const runtime = await createRuntime(storage, config, settings.pageSizes, loadCursorKeys(settings), {
    environment: settings.secretEnvironment,
    onPushError: (target, error) => pushLog.warn({ target, err: error }, 'push round failed; retrying after a back-off'),
  });
  runtime.context.ingestAnswerWaitMs = settings.ingestAnswerWaitMs;
  runtime.context.limits = settings.limits;
  runtime.worker.onError = (error) => logger.error({ err: error }, 'ingest worker: an envelope failed and stays queued for a retry');
  metrics?.watchIngest(runtime.context, runtime.worker);
  const admin = createAdminDependencies(storage, settings.configDir, runtime.context);
  // collections/ applies on every start (docs/access-model.md, How configuration changes apply): the stored configuration follows the files, and
  // the change, if any, is one audited revision; later applies by the CLI reach us through the poll.
  const startup = { actor: { username: 'server', organisation: OPERATOR_ORGANISATION, role: 'alliance-admin' as const }, via: 'server' as const };
  const applied = await applyConfigDirectory(admin, startup, 'server start');
  if (applied.changed) logger.info({ revision: applied.revision, diff: applied.diff.lines }, 'alliance configuration applied');
  const watch = watchAllianceConfig(storage.configStore, runtime.context, {
    intervalMs: CONFIG_POLL_MS,
    revision: applied.revision,
    onChange: (revision, diff) => logger.info({ revision, diff }, 'alliance configuration reloaded'),
    onError: (error) => logger.error({ err: error }, 'could not poll the alliance configuration'),
  });

  const demoUsers = demo ? await ensureDemoUsers(storage.credentials, config) : [];
  if (demo) {
    const reports = await loadFixtures(runtime.context, join(PROJECT_ROOT, 'fixtures'));
    const accepted = reports.reduce((sum, report) => sum + report.accepted, 0);
    const rejected = reports.reduce((sum, report) => sum + report.rejected, 0);
    printLine(`Demo fixtures: ${accepted} objects accepted from ${reports.length} files; ${rejected} rejected, as fixtures/europol/alliance-indicators/90-deliberately-invalid.json intends.`);
  }

  const lockout = new LoginLockout(settings.authentication.lockout);
  const unlocks = watchUnlockRequests(storage.audit, lockout, {
    intervalMs: UNLOCK_POLL_MS,
    onUnlock: (request, lifted) => logger.info({ ...request, lifted }, 'login unlock applied'),
    onError: (error) => logger.error({ err: error }, 'could not poll for login unlocks'),
  });

  const lifecycle = { draining: false };
  const app = createApp({
    context: runtime.context, credentials: storage.credentials, logger, admin, checkDatabase: runtime.checkDatabase, lifecycle,
    authentication: { lockout, passwordChecks: settings.authentication.passwordChecks },
    http: httpPolicyFrom(settings), metrics,
  });
  const server = createListener(settings, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const scheme = settings.tlsCertFile ? 'https' : 'http';
  const discovery = `${scheme}://${settings.host}:${port}/taxii2/`;
  logger.info({ discovery, demo }, 'listening');
  printLine(`TAXII 2.1 discovery: ${discovery}`);
  const metricsServer = metrics && settings.metrics ? await listenForMetrics(metrics, settings.metrics, printLine) : undefined;
  if (demoUsers.length > 0) {
    printLine('Demo users (demo mode only; create real ones with `npm run admin -- user add`):');
    for (const user of demoUsers) printLine(`  ${user.username.padEnd(24)} ${user.password.padEnd(22)} ${user.organisation} (${user.role})`);
    const first = demoUsers[0];
    if (first) printLine(`Try: curl -u '${first.username}:${first.password}' -H 'Accept: application/taxii+json;version=2.1' ${scheme}://${settings.host}:${port}/taxii2/`);
  }

  // Upstream feeds (docs/federation.md): polled from the live configuration, so an applied change adds or drops feeds.
  const secrets = feedSecretSources(settings.configDir);
  const feeds = new FeedPoller(runtime.context, storage.feedStates, (feed) => feedAuthorization(feed, secrets), logger.child({ module: 'feeds' }));
  feeds.start();

  const pruning = setInterval(() => void runtime.context.statuses.pruneExpired(), 3600_000);
  pruning.unref();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    watch.stop();
    unlocks.stop();
    lifecycle.draining = true;
    logger.info({ signal, graceSeconds: settings.shutdownGraceMs / 1000 }, 'draining, then shutting down');
    printLine(`${signal}: draining (up to ${settings.shutdownGraceMs / 1000} s for requests in flight), then shutting down`);
    // Stop accepting, let requests in flight (an envelope being stored, a page being read) finish
    // and answer, and only then close the database: cutting them would leave stored versions
    // without their status and audit record, and a publisher without its answer.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), settings.shutdownGraceMs).unref());
    if ((await Promise.race([drained, deadline])) === 'deadline') {
      logger.warn('shutdown grace period over: closing the connections still open');
      server.closeAllConnections();
    }
    metricsServer?.close();
    await feeds.stop();
    await runtime.stop();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function listenForMetrics(metrics: ServerMetrics, where: { host: string; port: number }, printLine: (line: string) => void): Promise<Server> {
  const server = createListener({}, createMetricsApp(metrics));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, resolve);
  });
  const address = server.address();
  printLine(`Prometheus metrics: http://${where.host}:${typeof address === 'object' && address ? address.port : where.port}/metrics`);
  return server;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
