import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { identityOfPem } from '../../server/auth/certificate-identity';
import { createListener } from '../../server/listener';
import { COLLECTION_IDS } from '../support/alliance';
import { ensurePythonVenv } from '../support/python-venv';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

// The OASIS taxii2-client logging in with `cert=(certfile, keyfile)` (docs/security.md, Client
// certificates), against the real app behind an HTTPS listener with TLS_CLIENT_CERT=optional.
jest.setTimeout(300_000);

const DRIVER = path.join(__dirname, 'taxii2_client_certificate_driver.py');
const shared = COLLECTION_IDS.shared;

let server: TestServer;
let python: string;
let directory: string;
let listener: Server;
let discoveryUrl: string;
const postedIds: string[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore', cwd: directory });
}

function client(name: string, subject: string): void {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1');
}

function runDriver(name: string): Promise<{ title?: string; object_ids?: string[]; http_status?: number }> {
  const plan = { discovery_url: discoveryUrl, server_ca: join(directory, 'server.pem'), collection: shared, cert: join(directory, `${name}.pem`), key: join(directory, `${name}.key`) };
  return new Promise((resolve, reject) => {
    const child = spawn(python, [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as { title?: string; object_ids?: string[] }) : reject(new Error(`driver exited with ${code}:\n${stderr}`))));
    child.stdin.end(JSON.stringify(plan));
  });
}

beforeAll(async () => {
  [server, python] = await Promise.all([startTestServer('interop-certificate'), ensurePythonVenv()]);
  directory = await mkdtemp(join(tmpdir(), 'taxii-interop-mtls-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1');
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Interop partners CA');
  client('mapped', '/O=BKA/CN=taxii2-client.bka.de');
  client('unmapped', '/O=BKA/CN=nobody');
  const fingerprint = identityOfPem(await readFile(join(directory, 'mapped.pem'), 'utf8')).fingerprint;
  await server.credentials.addClientCertificate({ match: 'fingerprint', value: fingerprint, username: 'analyst@de-bka', createdAt: new Date() });
  const objects = [indicator(), indicator()];
  postedIds.push(...objects.map((object) => String(object.id)));
  expect((await taxiiClient(server, 'de-bka').post(`/alliance/collections/${shared}/objects/`, { objects })).status).toBe(202);
  listener = createListener(
    { tlsCertFile: join(directory, 'server.pem'), tlsKeyFile: join(directory, 'server.key'), tlsClientCert: 'optional', tlsClientCaFile: join(directory, 'ca.pem') },
    server.app,
  );
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  discoveryUrl = `https://127.0.0.1:${(listener.address() as AddressInfo).port}/taxii2/`;
});

afterAll(async () => {
  listener?.closeAllConnections();
  await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
  await rm(directory, { recursive: true, force: true });
  await server?.close();
});

describe('taxii2-client with a client certificate', () => {
  it('discovers the server and polls a collection with cert= and no password', async () => {
    const seen = await runDriver('mapped');
    expect(seen).toEqual({ title: 'Test Alliance TAXII', object_ids: [...postedIds].sort() });
  });

  it('gets HTTPError 401 with a certificate mapped to nobody', async () => {
    expect(await runDriver('unmapped')).toEqual({ http_status: 401 });
  });
});
