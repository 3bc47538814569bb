import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import supertest from 'supertest';
import { createApp } from '../../../server/app';
import { hashPassword } from '../../../server/auth/credentials';
import type { Role } from '../../../server/auth/principal';
import { createAdminDependencies, createRuntime } from '../../../server/bootstrap';
import { loadAllianceConfig } from '../../../server/config/alliance';
import { silentLogger } from '../../../server/logging';
import { OPERATOR_ORGANISATION } from '../../../server/policy/admin-policy';
import type { AdminDependencies } from '../../../server/services/admin/admin-dependencies';
import { applyConfigDirectory } from '../../../server/services/admin/config-apply';
import type { TaxiiContext } from '../../../server/services/context';
import type { AuditRecord } from '../../../server/storage/audit-log';
import { TAXII_MEDIA_TYPE } from '../../../server/taxii/media-types';
import { openTestStorage } from '../../support/storage';

export const ADMIN_TEST_PASSWORD = 'correct horse battery staple';
/** A copy of the shipped demo alliance, frozen for tests: grant changes edit a temporary copy of it. */
export const FIXTURE_CONFIG = join(__dirname, 'fixtures', 'alliance');

export const IDS = {
  bkaRansomware: 'f4222732-c36e-4dbb-8662-bddae09ef71b',
  deGbBilateral: 'e4a204f6-57f8-4008-a841-744ba2d8fdea',
  allianceIndicators: 'e0073b23-5f9d-40cc-81d4-aa6b6a9693dd',
  privateSubmissions: '06b5c663-440a-4fda-a55b-23e7bbe50036',
  gbPhishing: 'c447fc24-e900-423b-9f5c-207f0aa5d433',
} as const;

export interface AdminTestServer {
  app: Express;
  context: TaxiiContext;
  admin: AdminDependencies;
  configDir: string;
  /** Basic credentials: `analyst@<org>` (member), `lead@<org>` (org-admin), `operator@europol` (alliance-admin). */
  auth(username: string): { Authorization: string };
  recordsFor(requestId: string): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** The real app with the admin API, on a database of its own and a temporary copy of the fixture configuration. */
export async function startAdminTestServer(label: string): Promise<AdminTestServer> {
  const configDir = await mkdtemp(join(tmpdir(), 'taxii-admin-config-'));
  await cp(FIXTURE_CONFIG, configDir, { recursive: true });
  const config = await loadAllianceConfig(configDir);
  const storage = await openTestStorage(label);
  const runtime = await createRuntime(storage, config);
  const passwordHash = await hashPassword(ADMIN_TEST_PASSWORD, { cost: 2 ** 10, blockSize: 8, parallelization: 1 });
  const add = (username: string, organisation: string, role: Role) =>
    storage.credentials.addUser({ username, organisation, role, passwordHash, disabled: false, createdAt: new Date() });
  for (const org of config.organisations) {
    await add(`analyst@${org.id}`, org.id, 'member');
    await add(`lead@${org.id}`, org.id, 'org-admin');
  }
  await add('operator@europol', 'europol', 'alliance-admin');
  const context: TaxiiContext = { ...runtime.context, pageSizes: { defaultLimit: 100, maxLimit: 500 } };
  const admin = createAdminDependencies(storage, configDir, context);
  await applyConfigDirectory(admin, { actor: { username: 'test', organisation: OPERATOR_ORGANISATION, role: 'alliance-admin' }, via: 'server' }, 'test start');
  const app = createApp({ context, credentials: storage.credentials, logger: silentLogger(), admin });
  return {
    app,
    context,
    admin,
    configDir,
    auth: (username) => ({ Authorization: `Basic ${Buffer.from(`${username}:${ADMIN_TEST_PASSWORD}`).toString('base64')}` }),
    recordsFor: async (requestId) => (await storage.audit.query({ limit: 1000 })).filter((record) => record.requestId === requestId),
    async close() {
      await storage.close();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}

/** supertest requests to the admin API as one user; each carries its own X-Request-Id for audit assertions. */
export function adminClient(server: AdminTestServer, username: string) {
  const agent = supertest(server.app);
  const auth = server.auth(username);
  return {
    get: (path: string) => agent.get(path).set(auth),
    delete: (path: string) => agent.delete(path).set(auth),
    post: (path: string, body?: unknown) => agent.post(path).set(auth).set('Content-Type', 'application/json').send(JSON.stringify(body ?? {})),
    put: (path: string, body: unknown) => agent.put(path).set(auth).set('Content-Type', 'application/json').send(JSON.stringify(body)),
  };
}

/** TAXII requests as one user, for checking what the TAXII side sees after an admin change. */
export function taxiiAs(server: AdminTestServer, username: string) {
  const agent = supertest(server.app);
  const auth = server.auth(username);
  return {
    get: (path: string) => agent.get(path).set(auth).set('Accept', TAXII_MEDIA_TYPE),
    post: (path: string, body: unknown) =>
      agent.post(path).set(auth).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE).send(JSON.stringify(body)),
  };
}
