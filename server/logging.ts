import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

// The id of the request being served, so that a line logged anywhere below the HTTP layer (services,
// storage, the error handler) names its request without each caller passing a child logger along.
const requestIds = new AsyncLocalStorage<string>();

/** Runs `work`, the rest of one request's handling, so that every line it logs carries `reqId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestIds.run(requestId, work);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'taxii-alliance-server' },
    mixin: () => {
      const reqId = requestIds.getStore();
      return reqId === undefined ? {} : { reqId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The server process's logger. Its stdout carries JSON lines only, for a log collector; when a person
 * watches a terminal and pino-pretty (a dev dependency) is installed, the same records are printed
 * readably instead. Lines meant for a person (demo users, the discovery URL) go to stderr (server/main.ts).
 */
export async function createProcessLogger(level: string): Promise<Logger> {
  if (process.stdout.isTTY) {
    const pretty = await import('pino-pretty').then((module) => module.default, () => undefined);
    if (pretty) return createLogger(level, pretty({ colorize: true, destination: 1, sync: true }));
  }
  return createLogger(level);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
