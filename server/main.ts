import { join } from 'node:path';
import { createApp } from './app';
import { createListener } from './listener';
import { createAdminServices, createRuntime } from './bootstrap';
import { ensureDemoUsers } from './auth/demo-users';
import { loadAllianceConfig } from './config/alliance';
import { loadCursorKeys } from './config/cursor-keys';
import { PROJECT_ROOT, readSettings, type ServerSettings } from './config/settings';
import type { AllianceConfig } from './config/types';
import { createLogger, type Logger } from './logging';
import { loadFixtures } from './services/fixtures';
import { applyConfigDirectory } from './services/admin/config-apply';
import { watchAllianceConfig } from './services/admin/config-watch';
import { OPERATOR_ORGANISATION } from './policy/admin-policy';
import { openConfiguredStorage } from './storage/open-storage';
import type { Storage } from './storage/storage';

// How soon an apply made elsewhere (the admin CLI, another server) reaches this one.
const CONFIG_POLL_MS = 3000;

async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const settings = readSettings();
  const logger = createLogger(settings.logLevel);
  const say = (line: string) => process.stdout.write(`${line}\n`);

  const config = await loadAllianceConfig(settings.configDir);
  const storage = await openConfiguredStorage(settings, logger, 'server');
  try {
    await serve(settings, logger, say, demo, config, storage);
  } catch (error) {
    // A start that fails half-way must release the data directory and the connection.
    await storage.close().catch(() => undefined);
    throw error;
  }
}

async function serve(
  settings: ServerSettings,
  logger: Logger,
  say: (line: string) => void,
  demo: boolean,
  config: AllianceConfig,
  storage: Storage,
): Promise<void> {
  const pushLog = logger.child({ module: 'push' });
  const runtime = await createRuntime(storage, config, settings.pageSizes, loadCursorKeys(settings), {
    environment: settings.secretEnvironment,
    onPushError: (target, error) => pushLog.warn({ target, err: error }, 'push round failed; retrying after a back-off'),
  });
  runtime.context.ingestAnswerWaitMs = settings.ingestAnswerWaitMs;
  runtime.context.limits = settings.limits;
  runtime.worker.onError = (error) => logger.error({ err: error }, 'ingest worker: an envelope failed and stays queued for a retry');
  const admin = createAdminServices(storage, settings.configDir, runtime.context);
  // collections/ applies on every start (issue 5): the stored configuration follows the files, and
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
    say(`Demo fixtures: ${accepted} objects accepted from ${reports.length} files; ${rejected} rejected, as fixtures/europol/alliance-indicators/90-deliberately-invalid.json intends.`);
  }

  const lifecycle = { draining: false };
  const app = createApp({ context: runtime.context, credentials: storage.credentials, logger, admin, checkDatabase: runtime.checkDatabase, lifecycle });
  const server = createListener(settings, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const scheme = settings.tlsCertFile ? 'https' : 'http';
  say(`TAXII 2.1 discovery: ${scheme}://${settings.host}:${port}/taxii2/`);
  if (demoUsers.length > 0) {
    say('Demo users (demo mode only; create real ones with `npm run admin -- user add`):');
    for (const user of demoUsers) say(`  ${user.username.padEnd(24)} ${user.password.padEnd(22)} ${user.organisation} (${user.role})`);
    const first = demoUsers[0];
    if (first) say(`Try: curl -u '${first.username}:${first.password}' -H 'Accept: application/taxii+json;version=2.1' ${scheme}://${settings.host}:${port}/taxii2/`);
  }

  const pruning = setInterval(() => void runtime.context.statuses.pruneExpired(), 3600_000);
  pruning.unref();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    watch.stop();
    lifecycle.draining = true;
    say(`${signal}: draining (up to ${settings.shutdownGraceMs / 1000} s for requests in flight), then shutting down`);
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
    await runtime.stop();
    await storage.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
