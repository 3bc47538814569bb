import supertest from 'supertest';
import { hashPassword } from '../../server/auth/credentials';
import { LoginLockout, DEFAULT_LOCKOUT_SETTINGS } from '../../server/auth/login-lockout';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { startTestServer, TEST_HASH_PARAMETERS, TEST_PASSWORD, type TestServer } from '../support/taxii-app';

const USERNAME = 'analyst@europol';

describe('console sessions over HTTP (/console/session)', () => {
  let server: TestServer;
  let agent: ReturnType<typeof supertest>;

  beforeEach(async () => {
    server = await startTestServer('console-session', undefined, {
      authentication: { lockout: new LoginLockout({ ...DEFAULT_LOCKOUT_SETTINGS, userFailures: 3 }) },
    });
    agent = supertest(server.app);
  });

  afterEach(async () => {
    await server.close();
  });

  async function logIn(password = TEST_PASSWORD) {
    return agent.post('/console/session').set('Content-Type', 'application/json').send({ username: USERNAME, password });
  }

  async function session(): Promise<{ cookie: string; csrfToken: string }> {
    const response = await logIn();
    expect(response.status).toBe(200);
    const setCookie = String(response.headers['set-cookie']);
    return { cookie: setCookie.split(';')[0] ?? '', csrfToken: String(response.body.csrf_token) };
  }

  const discovery = (headers: Record<string, string>) => agent.get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set(headers);

  it('sets an HttpOnly, SameSite=Strict session cookie and answers who logged in with a CSRF token', async () => {
    const response = await logIn();
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(String(response.headers['set-cookie'])).toMatch(/^tas_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(response.body).toEqual({ username: USERNAME, organisation: 'europol', role: 'member', csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('refuses a wrong password with 401, no cookie, and a challenge that does not open the browser\'s Basic dialog', async () => {
    const response = await logIn('wrong password');
    expect(response.status).toBe(401);
    expect(response.body.error_code).toBe('unauthenticated');
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['www-authenticate']).toBe('Session realm="taxii-alliance-console"');
  });

  it.each([
    ['no body', undefined],
    ['a missing password', { username: USERNAME }],
    ['an extra property', { username: USERNAME, password: TEST_PASSWORD, remember: true }],
    ['a number as username', { username: 7, password: TEST_PASSWORD }],
  ])('refuses %s with a 400 TAXII error', async (_case, body) => {
    const response = await agent.post('/console/session').set('Content-Type', 'application/json').send(body === undefined ? '' : JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(response.body.error_code).toBe('invalid-body');
  });

  it('counts console login failures against the same lock as Basic', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await logIn('wrong password')).status).toBe(401);
    expect((await discovery(server.authFor('europol'))).status).toBe(401);
    expect((await logIn()).status).toBe(401);
  });

  it('authenticates API requests with the cookie, and GET /console/session repeats the CSRF token', async () => {
    const { cookie, csrfToken } = await session();
    expect((await discovery({ Cookie: cookie })).status).toBe(200);
    const again = await agent.get('/console/session').set('Cookie', cookie);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ username: USERNAME, organisation: 'europol', role: 'member', csrf_token: csrfToken });
    expect((await agent.get('/console/session')).status).toBe(401);
  });

  it('leaves Basic and Bearer requests alone: a bad cookie beside Basic credentials changes nothing', async () => {
    expect((await discovery({ ...server.authFor('europol'), Cookie: 'tas_session=forged' })).status).toBe(200);
    const { cookie } = await session();
    const wrongBasic = `Basic ${Buffer.from(`${USERNAME}:wrong`).toString('base64')}`;
    expect((await discovery({ Authorization: wrongBasic, Cookie: cookie })).status).toBe(401);
  });

  it('answers a forged or unknown cookie with 401', async () => {
    const response = await discovery({ Cookie: 'tas_session=forged' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Session realm="taxii-alliance-console"');
  });

  it('logs out only with the CSRF token, and the cookie then stops working', async () => {
    const { cookie, csrfToken } = await session();
    const refused = await agent.delete('/console/session').set('Cookie', cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error_code).toBe('csrf-token-invalid');
    const done = await agent.delete('/console/session').set('Cookie', cookie).set('X-CSRF-Token', csrfToken);
    expect(done.status).toBe(204);
    expect(String(done.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await discovery({ Cookie: cookie })).status).toBe(401);
  });

  it('ends the session when the user is disabled, even once enabled again', async () => {
    const { cookie } = await session();
    await server.credentials.setDisabled(USERNAME, true);
    expect((await discovery({ Cookie: cookie })).status).toBe(401);
    await server.credentials.setDisabled(USERNAME, false);
    expect((await discovery({ Cookie: cookie })).status).toBe(401);
  });

  it('ends the session when the password is changed', async () => {
    const { cookie } = await session();
    await server.credentials.setPassword(USERNAME, await hashPassword('another long password', TEST_HASH_PARAMETERS));
    expect((await discovery({ Cookie: cookie })).status).toBe(401);
  });

  it('serves the console shell publicly with page security headers, and index.html for client routes', async () => {
    const page = await agent.get('/console/collections/alliance/some-id');
    if (page.status === 503) throw new Error('console/dist is not built: run node scripts/ensure-console.js');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.text).toContain('<div id="root"></div>');
    expect((await agent.get('/console')).headers.location).toBe('/console/');
  });
});
