import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { ServerSettings } from './config/settings';

// TLS 1.2 suites with forward secrecy and AEAD only: TAXII 2.1 §8.2.2 says a server SHOULD NOT accept the
// RFC 7540 Appendix A blacklist (CBC modes, static RSA key exchange). TLS 1.3 suites are all AEAD.
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * HTTPS when a certificate is configured (TAXII 2.1 §8.2.2 requires TLS 1.2 and recommends 1.3;
 * anything older is refused), plain HTTP otherwise, which is meant for loopback and a TLS proxy.
 * Node's TLS server never accepts 0-RTT early data, which §8.2.2 forbids.
 */
export function createListener(settings: Pick<ServerSettings, 'tlsCertFile' | 'tlsKeyFile'>, app: RequestListener): Server {
  if (settings.tlsCertFile && settings.tlsKeyFile) {
    return createHttpsServer({ cert: readFileSync(settings.tlsCertFile), key: readFileSync(settings.tlsKeyFile), minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS }, app);
  }
  return createHttpServer(app);
}
