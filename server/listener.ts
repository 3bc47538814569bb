import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServerSettings } from './config/settings';

/**
 * HTTPS when a certificate is configured (TAXII 2.1 §8.2.2 requires TLS 1.2 and recommends 1.3;
 * anything older is refused), plain HTTP otherwise, which is meant for loopback and a TLS proxy.
 */
export function createListener(settings: Pick<ServerSettings, 'tlsCertFile' | 'tlsKeyFile'>, app: RequestListener): Server {
  if (settings.tlsCertFile && settings.tlsKeyFile) {
    return createHttpsServer({ cert: readFileSync(settings.tlsCertFile), key: readFileSync(settings.tlsKeyFile), minVersion: 'TLSv1.2' }, app);
  }
  return createHttpServer(app);
}
