import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError } from '../errors';
import type { CursorKeys } from '../taxii/cursor-seal';
import type { PageSizeSettings } from '../taxii/pagination';
import { parseCursorKeys } from './cursor-keys';
import { PROJECT_ROOT } from './package-root';
import type { SecretSources } from './feed-credentials';
import { DEFAULT_SIZE_LIMITS, type SizeLimits } from '../services/context';
import { DEFAULT_LOCKOUT_SETTINGS, type LockoutSettings } from '../auth/login-lockout';
import { DEFAULT_PASSWORD_CHECK_LIMITS, type PasswordCheckLimits } from '../auth/password-login';

/** Everything the process takes from its environment. This is the only file that reads process.env. */
export interface ServerSettings {
  host: string;
  port: number;
  /** Unset means: start the embedded FerretDB under `dataDir`. */
  mongodbUri?: string;
  databaseName: string;
  dataDir: string;
  toolsDir: string;
  configDir: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** How long a POST waits for its envelope to be processed before answering `pending` (INGEST_ANSWER_WAIT_MS). */
  ingestAnswerWaitMs: number;
  /** How long a shutdown waits for in-flight requests before cutting them (SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceMs: number;
  /** Objects per page when a client sends no `limit`, and the most a page may hold (TAXII 2.1 §3.4 lets the server cap). */
  pageSizes: PageSizeSettings;
  /** CURSOR_KEYS, `keyid:secret,...`: the first seals `next` cursors, all open them. Unset: a key file in `dataDir` (config/cursor-keys.ts). */
  cursorKeys?: CursorKeys;
  /** MAX_OBJECT_BYTES and MAX_PAGE_BYTES (docs/security.md §3): the largest object accepted and the content of one page. */
  limits: SizeLimits;
  /** Failed-login lockout and the bound on concurrent password checks (docs/security.md), AUTH_* variables. */
  authentication: { lockout: LockoutSettings; passwordChecks: PasswordCheckLimits };
  /** CORS_ORIGINS: browser origins allowed to call the API with credentials; empty means CORS is off (docs/security.md 6). */
  corsOrigins: string[];
  /** RATE_LIMIT_PER_SECOND: requests per second per credential, unless the API root sets its own (docs/security.md 6). */
  rateLimitPerSecond: number;
  /** METRICS_PORT and METRICS_HOST: the Prometheus listener; absent means no metrics are kept (README, Monitoring). */
  metrics?: { host: string; port: number };
  /**
   * PUBLIC_BASE_URL: the scheme, host and port partners reach this server at (behind a proxy, the
   * proxy's), without a trailing slash. Only `admin connect` reads it, to print absolute URLs.
   */
  publicBaseUrl?: string;
  /** Reads the variables a push target names in `password_env` / `token_env` (docs/federation.md), when a round needs them. */
  secretEnvironment: (name: string) => string | undefined;
}

/** PAGE_SIZE and MAX_PAGE_SIZE when unset; also what createRuntime uses when given no page sizes. */
export const DEFAULT_PAGE_SIZES: PageSizeSettings = { defaultLimit: 1000, maxLimit: 5000 };

/** INGEST_ANSWER_WAIT_MS when unset. */
export const DEFAULT_INGEST_ANSWER_WAIT_MS = 1000;

export { PROJECT_ROOT };

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function inProject(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const port = Number(env.PORT ?? '8000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got '${env.PORT}'`);
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${env.LOG_LEVEL}'`);
  }
  if (Boolean(env.TLS_CERT) !== Boolean(env.TLS_KEY)) throw new ConfigError('TLS_CERT and TLS_KEY must be set together');
  const defaultLimit = positiveInteger(env, 'PAGE_SIZE', DEFAULT_PAGE_SIZES.defaultLimit);
  const maxLimit = positiveInteger(env, 'MAX_PAGE_SIZE', DEFAULT_PAGE_SIZES.maxLimit);
  if (defaultLimit > maxLimit) throw new ConfigError(`PAGE_SIZE (${defaultLimit}) must not exceed MAX_PAGE_SIZE (${maxLimit})`);
  const maxObjectBytes = positiveInteger(env, 'MAX_OBJECT_BYTES', DEFAULT_SIZE_LIMITS.maxObjectBytes);
  const maxPageBytes = positiveInteger(env, 'MAX_PAGE_BYTES', DEFAULT_SIZE_LIMITS.maxPageBytes);
  // A page must be able to carry the largest object we accept, or that object could only come alone, over budget.
  if (maxObjectBytes > maxPageBytes) throw new ConfigError(`MAX_OBJECT_BYTES (${maxObjectBytes}) must not exceed MAX_PAGE_BYTES (${maxPageBytes})`);
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    mongodbUri: env.MONGODB_URI || undefined,
    databaseName: env.MONGODB_DATABASE ?? 'taxii_alliance',
    dataDir: inProject(env.DATA_DIR ?? '.data'),
    toolsDir: inProject(env.TOOLS_DIR ?? '.tools'),
    configDir: inProject(env.CONFIG_DIR ?? 'collections'),
    tlsCertFile: env.TLS_CERT || undefined,
    tlsKeyFile: env.TLS_KEY || undefined,
    logLevel: logLevel as ServerSettings['logLevel'],
    pageSizes: { defaultLimit, maxLimit },
    shutdownGraceMs: positiveInteger(env, 'SHUTDOWN_GRACE_SECONDS', 25) * 1000,
    ingestAnswerWaitMs: env.INGEST_ANSWER_WAIT_MS === '0' ? 0 : positiveInteger(env, 'INGEST_ANSWER_WAIT_MS', DEFAULT_INGEST_ANSWER_WAIT_MS),
    cursorKeys: env.CURSOR_KEYS ? parseCursorKeys(env.CURSOR_KEYS, 'CURSOR_KEYS') : undefined,
    limits: { maxObjectBytes, maxPageBytes },
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    rateLimitPerSecond: positiveInteger(env, 'RATE_LIMIT_PER_SECOND', DEFAULT_RATE_LIMIT_PER_SECOND),
    metrics: metricsListener(env),
    authentication: readAuthenticationSettings(env),
    publicBaseUrl: env.PUBLIC_BASE_URL ? parsePublicBaseUrl(env.PUBLIC_BASE_URL, 'PUBLIC_BASE_URL') : undefined,
    secretEnvironment: (name) => env[name],
  };
}

function readAuthenticationSettings(env: NodeJS.ProcessEnv): ServerSettings['authentication'] {
  const lockout = DEFAULT_LOCKOUT_SETTINGS;
  const checks = DEFAULT_PASSWORD_CHECK_LIMITS;
  const baseLockMs = positiveInteger(env, 'AUTH_LOCKOUT_SECONDS', lockout.baseLockMs / 1000) * 1000;
  const maxLockMs = positiveInteger(env, 'AUTH_LOCKOUT_MAX_SECONDS', lockout.maxLockMs / 1000) * 1000;
  if (baseLockMs > maxLockMs) throw new ConfigError(`AUTH_LOCKOUT_SECONDS (${baseLockMs / 1000}) must not exceed AUTH_LOCKOUT_MAX_SECONDS (${maxLockMs / 1000})`);
  return {
    lockout: {
      userFailures: positiveInteger(env, 'AUTH_LOCKOUT_USER_FAILURES', lockout.userFailures),
      ipFailures: positiveInteger(env, 'AUTH_LOCKOUT_IP_FAILURES', lockout.ipFailures),
      baseLockMs,
      maxLockMs,
      forgetAfterMs: positiveInteger(env, 'AUTH_LOCKOUT_FORGET_SECONDS', lockout.forgetAfterMs / 1000) * 1000,
      maxKeys: lockout.maxKeys,
    },
    passwordChecks: {
      concurrency: positiveInteger(env, 'AUTH_PASSWORD_CHECKS', checks.concurrency),
      maxWaiting: positiveInteger(env, 'AUTH_PASSWORD_QUEUE', checks.maxWaiting),
    },
  };
}

/** Generous: a partner paging through a collection or publishing envelopes stays far below it. */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 200;

/**
 * Origins are compared as the browser sends them (scheme://host[:port]), so each entry must be
 * exactly that. `*` is refused: a wildcard cannot be combined with credentials (Fetch standard,
 * CORS protocol), and every TAXII request carries them.
 */
function corsOrigins(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    let origin: string | undefined;
    try {
      origin = new URL(entry).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== entry) throw new ConfigError(`CORS_ORIGINS entries must be origins such as https://portal.example.org, got '${entry}'`);
  }
  return entries;
}

function metricsListener(env: NodeJS.ProcessEnv): ServerSettings['metrics'] {
  if (env.METRICS_PORT === undefined || env.METRICS_PORT === '') return undefined;
  const port = Number(env.METRICS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`METRICS_PORT must be a port number, got '${env.METRICS_PORT}'`);
  return { host: env.METRICS_HOST || '127.0.0.1', port };
}

/**
 * An origin such as `https://taxii.example.org` or `https://taxii.example.org:8443`. TAXII 2.1 §4.1
 * puts discovery at `/taxii2/` on the server's root, and our API roots sit beside it, so a path
 * prefix, a query or a fragment would make every URL printed from it wrong.
 */
export function parsePublicBaseUrl(text: string, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL such as https://taxii.example.org, got '${text}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name} must use http or https, got '${text}'`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name} must be a scheme, host and optional port only (no path, query or credentials), got '${text}'`);
  }
  return url.origin;
}

/** Where feeds' credentials are read (config/feed-credentials.ts): this process's environment, and files beside the configuration. */
export function feedSecretSources(configDir: string, env: NodeJS.ProcessEnv = process.env): SecretSources {
  return { env, readFile: (path) => readFileSync(path, 'utf8'), baseDir: configDir };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got '${raw}'`);
  return value;
}
