import type { Express } from 'express';
import supertest from 'supertest';
import { createApp, type AppDependencies, type HttpPolicy } from '../../server/app';
import { hashPassword, type ScryptParameters } from '../../server/auth/credentials';
import type { Role } from '../../server/auth/principal';
import type { AllianceConfig } from '../../server/config/types';
import { silentLogger } from '../../server/logging';
import type { TaxiiContext } from '../../server/services/context';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../server/bootstrap';
import type { ServerMetrics } from '../../server/http/metrics';
import type { CredentialRepository } from '../../server/storage/credential-repository';
import { timedStorage } from '../../server/storage/timed-storage';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { openTestStorage } from './storage';
import { testAlliance } from './alliance';

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_HASH_PARAMETERS: ScryptParameters = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

export interface TestServerOptions extends RuntimeOptions {
  /** A lockout with a test clock, say; defaults as in production otherwise. */
  authentication?: AppDependencies['authentication'];
  /** What main.ts passes beyond the defaults: the HTTP policy, and metrics wired as main.ts wires them. */
  http?: HttpPolicy;
  metrics?: ServerMetrics;
}

export interface TestServer {
  app: Express;
  context: TaxiiContext;
  runtime: Runtime;
  credentials: CredentialRepository;
  /** Basic credentials of `analyst@<org>` for each organisation of the alliance. */
  authFor(organisation: string): { Authorization: string };
  close(): Promise<void>;
}

function basic(username: string, password: string): { Authorization: string } {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** What main.ts passes beyond the defaults: the HTTP policy, and metrics wired as main.ts wires them. */
/** The real app on a database of its own; one user `analyst@<org>` per organisation. */
export async function startTestServer(label: string, config: AllianceConfig = testAlliance(), options: TestServerOptions = {}): Promise<TestServer> {
  const opened = await openTestStorage(label);
  const storage = options.metrics ? timedStorage(opened, options.metrics.observeStorage) : opened;
  const runtime = await createRuntime(storage, config, undefined, undefined, options);
  options.metrics?.watchIngest(runtime.context, runtime.worker);
  const credentials = storage.credentials;
  // Cheap scrypt parameters: the test is about HTTP behaviour, not hashing cost.
  const passwordHash = await hashPassword(TEST_PASSWORD, TEST_HASH_PARAMETERS);
  for (const organisation of config.organisations) {
    const role: Role = 'member';
    await credentials.addUser({ username: `analyst@${organisation.id}`, organisation: organisation.id, role, passwordHash, disabled: false, createdAt: new Date() });
  }
  // Small pages so pagination is exercised with little data; a POST answers once its envelope is stored,
  // so a test reads what it posted (asynchronous answers are tested in ingest-recovery.test.ts).
  const context: TaxiiContext = { ...runtime.context, pageSizes: { defaultLimit: 100, maxLimit: 500 }, ingestAnswerWaitMs: Infinity };
  // The same cheap parameters count as current, so a first login does not re-hash at production cost.
  const authentication = { passwordHashParameters: TEST_HASH_PARAMETERS, ...options.authentication };
  const app = createApp({ context, credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase, authentication, http: options.http, metrics: options.metrics });
  return {
    app,
    context,
    runtime,
    credentials,
    authFor: (organisation) => basic(`analyst@${organisation}`, TEST_PASSWORD),
    close: async () => {
      await runtime.stop();
      await opened.close();
    },
  };
}

/** A supertest agent whose requests carry the TAXII Accept header and one organisation's credentials. */
export function taxiiClient(server: TestServer, organisation: string) {
  const auth = server.authFor(organisation);
  const agent = supertest(server.app);
  return {
    get: (path: string) => agent.get(path).set(auth).set('Accept', TAXII_MEDIA_TYPE),
    delete: (path: string) => agent.delete(path).set(auth).set('Accept', TAXII_MEDIA_TYPE),
    post: (path: string, body: unknown) =>
      agent.post(path).set(auth).set('Accept', TAXII_MEDIA_TYPE).set('Content-Type', TAXII_MEDIA_TYPE).send(JSON.stringify(body)),
  };
}
