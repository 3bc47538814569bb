import { Writable } from 'node:stream';
import supertest from 'supertest';
import { createApp } from '../server/app';
import { hashPassword } from '../server/auth/credentials';
import { createRuntime } from '../server/bootstrap';
import { createLogger } from '../server/logging';
import { TAXII_MEDIA_TYPE } from '../server/taxii/media-types';
import { testAlliance } from './support/alliance';
import { openTestStorage, type TestStorage } from './support/storage';

type LogLine = Record<string, unknown> & { msg?: string; reqId?: string };

describe('server/logging: every line of a request names it', () => {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  let storage: TestStorage;
  let agent: ReturnType<typeof supertest>;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    const config = testAlliance();
    storage = await openTestStorage('logging');
    const runtime = await createRuntime(storage, config);
    const organisation = config.organisations[0]?.id ?? 'missing';
    const passwordHash = await hashPassword(password, { cost: 2 ** 10, blockSize: 8, parallelization: 1 });
    await storage.credentials.addUser({ username: 'analyst@logging', organisation, role: 'member', passwordHash, disabled: false, createdAt: new Date() });
    const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: createLogger('info', sink) });
    agent = supertest(app);
  });
  afterAll(() => storage.close());

  const linesOf = (requestId: string) => lines.filter((line) => line.reqId === requestId);

  it('ties the authentication failure and the access line of one request to its id', async () => {
    await agent.get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set('X-Request-Id', 'log-test-auth').auth('analyst@logging', 'wrong').expect(401);
    const messages = linesOf('log-test-auth').map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['authentication failed', 'request completed']));
  });

  it('ties the error handler\'s line to the request that failed', async () => {
    await agent.get('/no-such-root/').set('Accept', TAXII_MEDIA_TYPE).set('X-Request-Id', 'log-test-404').auth('analyst@logging', password).expect(404);
    const messages = linesOf('log-test-404').map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['request refused', 'request completed']));
  });

  it('gives a generated id to a request that sent none, and no id to lines outside a request', async () => {
    const before = lines.length;
    const answer = await agent.get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).auth('analyst@logging', 'wrong').expect(401);
    const generated = answer.headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.slice(before).every((line) => line.reqId === generated)).toBe(true);
    const logger = createLogger('info', sink);
    logger.info('outside any request');
    expect(lines.at(-1)).not.toHaveProperty('reqId');
  });
});
