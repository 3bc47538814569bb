import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityOfPem } from '../../server/auth/certificate-identity';
import type { TlsClientCertMode } from '../../server/config/settings';
import { createListener } from '../../server/listener';
import type { AuditRecord } from '../../server/storage/audit-log';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
let directory: string;
const listeners: Server[] = [];
const origins: Partial<Record<TlsClientCertMode, string>> = {};
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;

/** Runs openssl quietly; every key and certificate of this file is made here and lives one day. */
function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore', cwd: directory });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function makeCa(name: string, subject: string): void {
  openssl('req', '-x509', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '1', '-subj', subject);
}

function makeClient(name: string, subject: string, ca: string): void {
  openssl('req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '1');
}

async function listen(mode: TlsClientCertMode): Promise<void> {
  const listener = createListener(
    { tlsCertFile: join(directory, 'server.pem'), tlsKeyFile: join(directory, 'server.key'), tlsClientCert: mode, tlsClientCaFile: join(directory, 'partners-ca.pem') },
    server.app,
  );
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listeners.push(listener);
  origins[mode] = `https://127.0.0.1:${(listener.address() as AddressInfo).port}`;
}

async function fingerprintOf(name: string): Promise<string> {
  return identityOfPem(await readFile(join(directory, `${name}.pem`), 'utf8')).fingerprint;
}

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
}

/** One request on a fresh connection (no agent, so no TLS session or certificate carries over between calls). */
async function get(mode: TlsClientCertMode, path: string, options: { client?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const identity = options.client
    ? { cert: await readFile(join(directory, `${options.client}.pem`)), key: await readFile(join(directory, `${options.client}.key`)) }
    : {};
  return new Promise((resolve, reject) => {
    const outgoing = request(`${origins[mode]}${path}`, {
      agent: false,
      rejectUnauthorized: false, // the server's own certificate is self-signed; the client's is what is under test
      ...identity,
      headers: { Accept: TAXII_MEDIA_TYPE, ...options.headers },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function objectIds(answer: Answer): string[] {
  return ((answer.body.objects ?? []) as { id: string }[]).map((object) => object.id).sort();
}

async function auditFor(requestId: string): Promise<AuditRecord[]> {
  return (await server.context.audit.query({ limit: 200 })).filter((record) => record.requestId === requestId);
}

async function failuresFor(fingerprint: string): Promise<AuditRecord[]> {
  return (await server.context.audit.query({ actions: ['auth.failure'], limit: 200 })).filter((record) => record.details?.certificate === fingerprint);
}

function expectUnauthenticated(answer: Answer): void {
  expect(answer.status).toBe(401);
  expect(answer.contentType).toContain('application/taxii+json');
  expect(answer.body).toMatchObject({ http_status: '401', error_code: 'unauthenticated' });
}

beforeAll(async () => {
  server = await startTestServer('client-certificates');
  directory = await mkdtemp(join(tmpdir(), 'taxii-mtls-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.pem', '-days', '1', '-subj', '/CN=127.0.0.1');
  makeCa('partners-ca', '/O=Alliance/CN=Alliance partners CA');
  makeCa('rogue-ca', '/O=Elsewhere/CN=Some other CA');
  makeClient('bka-misp', '/C=DE/O=BKA/CN=misp.bka.de', 'partners-ca');
  makeClient('nca-opencti', '/C=GB/O=NCA/CN=opencti.nca.gov.uk', 'partners-ca');
  makeClient('stranger', '/O=Alliance/CN=not mapped', 'partners-ca');
  makeClient('retired', '/O=Europol/CN=retired feed', 'partners-ca');
  // The same subject as a mapped one, from a CA nobody configured: a subject alone proves nothing.
  makeClient('impostor', '/C=GB/O=NCA/CN=opencti.nca.gov.uk', 'rogue-ca');
  await listen('optional');
  await listen('required');

  const createdAt = new Date();
  await server.credentials.addClientCertificate({ match: 'fingerprint', value: await fingerprintOf('bka-misp'), username: 'analyst@de-bka', createdAt });
  await server.credentials.addClientCertificate({ match: 'subject', value: 'C=GB,CN=opencti.nca.gov.uk,O=NCA', username: 'analyst@gb-nca', createdAt });
  await server.credentials.addUser({ username: 'feed@europol', organisation: 'europol', role: 'member', passwordHash: 'scrypt$unused', disabled: true, createdAt });
  await server.credentials.addClientCertificate({ match: 'fingerprint', value: await fingerprintOf('retired'), username: 'feed@europol', createdAt });

  const posted = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [indicator(), indicator()] });
  expect(posted.status).toBe(202);
});

afterAll(async () => {
  for (const listener of listeners) {
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
  await rm(directory, { recursive: true, force: true });
  await server.close();
});

describe('client certificates, TLS_CLIENT_CERT=optional', () => {
  it('lets a certificate mapped by fingerprint poll a collection and see what Basic sees', async () => {
    const byCertificate = await get('optional', `${shared}/objects/`, { client: 'bka-misp', headers: { 'X-Request-Id': 'mtls-poll-1' } });
    const byBasic = await get('optional', `${shared}/objects/`, { headers: server.authFor('de-bka') });
    expect(byCertificate.status).toBe(200);
    expect(byCertificate.contentType).toContain('application/taxii+json');
    expect(objectIds(byCertificate)).toHaveLength(2);
    expect(objectIds(byCertificate)).toEqual(objectIds(byBasic));
  });

  it('names the certificate by fingerprint as the credential in the audit record of the read', async () => {
    const fingerprint = await fingerprintOf('bka-misp');
    const records = await auditFor('mtls-poll-1');
    expect(records).toEqual([expect.objectContaining({ action: 'objects.read', username: 'analyst@de-bka', details: expect.objectContaining({ credential: { certificate: fingerprint } }) })]);
  });

  it('lets a certificate mapped by subject log in as that user', async () => {
    const answer = await get('optional', `${shared}/objects/`, { client: 'nca-opencti', headers: { 'X-Request-Id': 'mtls-subject-1' } });
    expect(answer.status).toBe(200);
    expect((await auditFor('mtls-subject-1'))[0]).toMatchObject({ username: 'analyst@gb-nca', details: { credential: { certificate: await fingerprintOf('nca-opencti') } } });
  });

  it('answers 401 with a TAXII error resource to a certificate of the trusted CA that is mapped to nobody, and audits its fingerprint', async () => {
    expectUnauthenticated(await get('optional', '/taxii2/', { client: 'stranger' }));
    const failures = await failuresFor(await fingerprintOf('stranger'));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.details?.reason).toMatch(/not mapped to a user/);
  });

  it('answers 401, not a handshake failure, to a certificate from another CA even when its subject is mapped', async () => {
    expectUnauthenticated(await get('optional', `${shared}/objects/`, { client: 'impostor' }));
    const failures = await failuresFor(await fingerprintOf('impostor'));
    expect(failures[0]?.details?.reason).toMatch(/not issued by a CA of TLS_CLIENT_CA/);
  });

  it('refuses the certificate of a disabled user', async () => {
    expectUnauthenticated(await get('optional', '/taxii2/', { client: 'retired' }));
    expect(await failuresFor(await fingerprintOf('retired'))).toEqual([expect.objectContaining({ username: 'feed@europol', details: expect.objectContaining({ reason: 'user is disabled' }) })]);
  });

  it('still takes Basic from a client without a certificate, and still refuses a client with neither', async () => {
    expect((await get('optional', '/taxii2/', { headers: server.authFor('europol') })).status).toBe(200);
    expectUnauthenticated(await get('optional', '/taxii2/'));
  });

  it('stops a certificate once its mapping is removed', async () => {
    const fingerprint = await fingerprintOf('nca-opencti');
    await server.credentials.addClientCertificate({ match: 'fingerprint', value: fingerprint, username: 'analyst@gb-nca', createdAt: new Date() });
    expect(await server.credentials.removeClientCertificate('subject', 'C=GB,CN=opencti.nca.gov.uk,O=NCA')).toBe(true);
    expect((await get('optional', '/taxii2/', { client: 'nca-opencti' })).status).toBe(200);
    expect(await server.credentials.removeClientCertificate('fingerprint', fingerprint)).toBe(true);
    expectUnauthenticated(await get('optional', '/taxii2/', { client: 'nca-opencti' }));
    await server.credentials.addClientCertificate({ match: 'subject', value: 'C=GB,CN=opencti.nca.gov.uk,O=NCA', username: 'analyst@gb-nca', createdAt: new Date() });
  });
});

describe('client certificates, TLS_CLIENT_CERT=required', () => {
  it('serves a mapped certificate', async () => {
    const answer = await get('required', `${shared}/objects/`, { client: 'bka-misp' });
    expect(answer.status).toBe(200);
    expect(objectIds(answer)).toHaveLength(2);
  });

  it('refuses in the handshake a client without a certificate, even with valid Basic credentials', async () => {
    await expect(get('required', '/taxii2/', { headers: server.authFor('de-bka') })).rejects.toThrow(/certificate required|socket hang up|ECONNRESET/);
  });

  it('refuses in the handshake a certificate from another CA', async () => {
    await expect(get('required', '/taxii2/', { client: 'impostor' })).rejects.toThrow(/unknown ca|socket hang up|ECONNRESET/);
  });

  it('answers 401 to a trusted certificate mapped to nobody', async () => {
    expectUnauthenticated(await get('required', '/taxii2/', { client: 'stranger' }));
  });
});
