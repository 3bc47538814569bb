import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors';
import type { CursorKeys } from '../taxii/cursor-seal';
import { parseCursorKeys } from './cursor-keys';
import { DEFAULT_SIZE_LIMITS, type SizeLimits } from '../services/context';

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
  pageSizes: { defaultLimit: number; maxLimit: number };
  /** CURSOR_KEYS, `keyid:secret,...`: the first seals `next` cursors, all open them. Unset: a key file in `dataDir` (config/cursor-keys.ts). */
  cursorKeys?: CursorKeys;
  /** MAX_OBJECT_BYTES and MAX_PAGE_BYTES (issue 10.3): the largest object accepted and the content of one page. */
  limits: SizeLimits;
  /** Reads the variables a push target names in `password_env` / `token_env` (docs/federation.md), when a round needs them. */
  secretEnvironment: (name: string) => string | undefined;
}

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

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
  const defaultLimit = positiveInteger(env, 'PAGE_SIZE', 1000);
  const maxLimit = positiveInteger(env, 'MAX_PAGE_SIZE', 5000);
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
    ingestAnswerWaitMs: env.INGEST_ANSWER_WAIT_MS === '0' ? 0 : positiveInteger(env, 'INGEST_ANSWER_WAIT_MS', 1000),
    cursorKeys: env.CURSOR_KEYS ? parseCursorKeys(env.CURSOR_KEYS, 'CURSOR_KEYS') : undefined,
    limits: { maxObjectBytes, maxPageBytes },
    secretEnvironment: (name) => env[name],
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got '${raw}'`);
  return value;
}
