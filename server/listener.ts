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
export function createListener(
  settings: Pick<ServerSettings, 'tlsCertFile' | 'tlsKeyFile'> & Partial<Pick<ServerSettings, 'tlsClientCert' | 'tlsClientCaFile'>>,
  app: RequestListener,
): Server {
  if (settings.tlsCertFile && settings.tlsKeyFile) {
    return createHttpsServer({
      cert: readFileSync(settings.tlsCertFile),
      key: readFileSync(settings.tlsKeyFile),
      minVersion: 'TLSv1.2',
      ciphers: TLS12_CIPHERS,
      ...clientCertificateOptions(settings),
    }, app);
  }
  return createHttpServer(app);
}

/**
 * TLS_CLIENT_CERT (docs/security.md, Client certificates). In `optional` mode the handshake takes
 * any certificate, or none (`rejectUnauthorized: false`), and the client-certificate strategy
 * checks `socket.authorized`: an untrusted certificate then gets a TAXII 401 error resource the
 * client can read and log, instead of a handshake failure that reaches it as a bare reset, and a
 * client without one can still use Basic or a token. In `required` mode the handshake itself
 * refuses a client without a certificate from TLS_CLIENT_CA.
 */
function clientCertificateOptions(settings: Partial<Pick<ServerSettings, 'tlsClientCert' | 'tlsClientCaFile'>>): { ca?: Buffer; requestCert?: boolean; rejectUnauthorized?: boolean } {
  const mode = settings.tlsClientCert ?? 'off';
  if (mode === 'off' || !settings.tlsClientCaFile) return {};
  return { ca: readFileSync(settings.tlsClientCaFile), requestCert: true, rejectUnauthorized: mode === 'required' };
}
