import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'taxii-alliance-server' } });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
