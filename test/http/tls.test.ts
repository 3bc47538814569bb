import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureVersion } from 'node:tls';
import { createListener } from '../../server/listener';
import { startTestServer, type TestServer } from '../support/taxii-app';

let server: TestServer;
let directory: string;
let origin: string;
let close: () => Promise<void>;

beforeAll(async () => {
  server = await startTestServer('tls');
  directory = await mkdtemp(join(tmpdir(), 'taxii-tls-'));
  const cert = join(directory, 'cert.pem');
  const key = join(directory, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const listener = createListener({ tlsCertFile: cert, tlsKeyFile: key }, server.app);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => { listener.closeAllConnections(); listener.close(() => resolve()); });
});
afterAll(async () => {
  await close();
  await rm(directory, { recursive: true, force: true });
  await server.close();
});

function get(path: string, version: SecureVersion, ciphers?: string): Promise<{ status: number; protocol: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${origin}${path}`, { rejectUnauthorized: false, minVersion: version, maxVersion: version, ...(ciphers && { ciphers }), headers: { ...server.authFor('de-bka'), Accept: 'application/taxii+json;version=2.1' } }, (response) => {
      response.resume();
      const socket = response.socket as import('node:tls').TLSSocket;
      resolve({ status: response.statusCode ?? 0, protocol: socket.getProtocol() ?? '' });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('HTTPS (TLS_CERT and TLS_KEY)', () => {
  it.each(['TLSv1.2', 'TLSv1.3'] as const)('H-01, H-02: serves TAXII over %s', async (version) => {
    expect(await get('/taxii2/', version)).toEqual({ status: 200, protocol: version });
  });

  it('H-04: refuses TLS 1.2 suites without forward secrecy or AEAD', async () => {
    await expect(get('/taxii2/', 'TLSv1.2', 'AES128-SHA256')).rejects.toThrow(/handshake failure/);
    await expect(get('/taxii2/', 'TLSv1.2', 'ECDHE-RSA-AES128-SHA256')).rejects.toThrow(/handshake failure/);
    expect((await get('/taxii2/', 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256')).status).toBe(200);
  });

  it('refuses TLS 1.1 with a protocol-version alert', async () => {
    await expect(get('/taxii2/', 'TLSv1.1')).rejects.toThrow(/alert protocol version/); // the server's alert, not a client-side refusal
  });
});
