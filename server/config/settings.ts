import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors';

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
  };
}
