import supertest from 'supertest';
import { createApp } from '../../server/app';
import { createRuntime } from '../../server/bootstrap';
import { silentLogger } from '../../server/logging';
import { testAlliance } from '../support/alliance';
import { openTestStorage } from '../support/storage';

describe('GET /health', () => {
  it('answers 200 without credentials while the database answers, and 503 once it does not', async () => {
    const storage = await openTestStorage('health');
    const runtime = await createRuntime(storage, testAlliance());
    const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase });
    const healthy = await supertest(app).get('/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({ status: 'ok' });
    await storage.close();
    const down = await supertest(app).get('/health');
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
  });
});
