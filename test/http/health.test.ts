import supertest from 'supertest';
import { createApp } from '../../server/app';
import { createRuntime } from '../../server/bootstrap';
import { silentLogger } from '../../server/logging';
import { testAlliance } from '../support/alliance';
import { openTestStorage } from '../support/storage';

const PROBES = ['/health/live', '/health/ready', '/health'] as const;

/** The three probes' statuses and bodies, fetched without credentials. */
async function probe(app: ReturnType<typeof createApp>) {
  const answers: Record<string, { status: number; body: unknown }> = {};
  for (const path of PROBES) {
    const response = await supertest(app).get(path);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    answers[path] = { status: response.status, body: response.body };
  }
  return answers;
}

describe('health probes', () => {
  it('answers live, ready and /health with 200 without credentials while the database answers; ready and /health turn 503 once it does not', async () => {
    const storage = await openTestStorage('health');
    const runtime = await createRuntime(storage, testAlliance());
    const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase });
    expect(await probe(app)).toEqual({
      '/health/live': { status: 200, body: { status: 'ok' } },
      '/health/ready': { status: 200, body: { status: 'ok' } },
      '/health': { status: 200, body: { status: 'ok' } },
    });
    await runtime.stop();
    await storage.close();
    const down = { status: 503, body: { status: 'unavailable', reason: 'the database does not answer' } };
    expect(await probe(app)).toEqual({ '/health/live': { status: 200, body: { status: 'ok' } }, '/health/ready': down, '/health': down });
  });

  it('stays live while draining, so a shutdown is not cut short by a restart, but is no longer ready', async () => {
    const storage = await openTestStorage('health_draining');
    try {
      const runtime = await createRuntime(storage, testAlliance());
      const lifecycle = { draining: true };
      const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase, lifecycle });
      const draining = { status: 503, body: { status: 'draining', reason: 'the server is shutting down' } };
      expect(await probe(app)).toEqual({ '/health/live': { status: 200, body: { status: 'draining' } }, '/health/ready': draining, '/health': draining });
      await runtime.stop();
    } finally {
      await storage.close();
    }
  });

  it('answers other methods on a probe as any unauthenticated request: 401, never a probe answer', async () => {
    const storage = await openTestStorage('health_methods');
    try {
      const runtime = await createRuntime(storage, testAlliance());
      const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase });
      expect((await supertest(app).post('/health/ready')).status).toBe(401);
      await runtime.stop();
    } finally {
      await storage.close();
    }
  });
});
