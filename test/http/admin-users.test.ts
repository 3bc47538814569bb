import supertest from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { ADMIN_TEST_PASSWORD, adminClient, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

let server: AdminTestServer;

beforeAll(async () => {
  server = await startAdminTestServer('admin_users');
});
afterAll(() => server.close());

const NEW_PASSWORD = 'a brand new long password';

describe('admin API: users', () => {
  it('refuses an unauthenticated caller with 401, like TAXII', async () => {
    const response = await supertest(server.app).get('/admin/users');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error_code: 'unauthenticated' });
  });

  it('refuses a member with 403 and a reason', async () => {
    const response = await adminClient(server, 'analyst@de-bka').get('/admin/users');
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error_code: 'admin-forbidden', description: 'the member role has no administration rights' });
  });

  it('lists the own organisation for an org-admin, and everyone for an alliance-admin', async () => {
    const own = await adminClient(server, 'lead@de-bka').get('/admin/users');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/json/);
    expect(own.body.users.map((user: { username: string }) => user.username)).toEqual(['analyst@de-bka', 'lead@de-bka']);
    expect(JSON.stringify(own.body)).not.toContain('scrypt');
    expect((await adminClient(server, 'lead@de-bka').get('/admin/users?org=gb-nca')).status).toBe(403);
    const all = await adminClient(server, 'operator@europol').get('/admin/users');
    expect(all.body.users).toHaveLength(13);
  });

  it('shows one user as the list shows it: an org-admin its own organisation\'s, an alliance-admin anyone', async () => {
    const own = await adminClient(server, 'lead@europol').get('/admin/users/operator@europol');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/json/);
    expect(own.body).toEqual({ username: 'operator@europol', organisation: 'europol', role: 'alliance-admin', disabled: false, created_at: expect.stringMatching(/^\d{4}-/) });
    const any = await adminClient(server, 'operator@europol').get('/admin/users/lead@nl-police');
    expect(any.body).toMatchObject({ username: 'lead@nl-police', organisation: 'nl-police', role: 'org-admin' });
  });

  it('answers an org-admin about another organisation\'s user as about none, and refuses a member whether or not the user exists', async () => {
    const other = await adminClient(server, 'lead@gb-nca').get('/admin/users/lead@de-bka');
    const none = await adminClient(server, 'lead@gb-nca').get('/admin/users/ghost@gb-nca');
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error_code: 'not-found', description: "No user 'lead@de-bka' is available to you." });
    expect(none.status).toBe(404);
    const existing = await adminClient(server, 'analyst@de-bka').get('/admin/users/lead@de-bka');
    const missing = await adminClient(server, 'analyst@de-bka').get('/admin/users/ghost@de-bka');
    expect([existing.status, missing.status]).toEqual([403, 403]);
    expect(missing.body).toEqual(expect.objectContaining({ error_code: 'admin-forbidden', description: existing.body.description }));
  });

  it('refuses query parameters the user endpoints do not take (400 invalid-parameter)', async () => {
    const response = await adminClient(server, 'operator@europol').get('/admin/users/lead@de-bka?verbose=1');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'invalid-parameter', description: "unknown parameter 'verbose'; this endpoint takes none" });
  });

  it('adds a user of its own organisation, with one audit record and no password in it', async () => {
    const response = await adminClient(server, 'lead@de-bka')
      .post('/admin/users', { username: 'new@de-bka', organisation: 'de-bka', role: 'member', password: NEW_PASSWORD })
      .set('X-Request-Id', 'users-add-1');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ username: 'new@de-bka', organisation: 'de-bka', role: 'member', disabled: false });
    const records = await server.recordsFor('users-add-1');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'user.add', username: 'lead@de-bka', organisation: 'de-bka', requestId: 'users-add-1',
      details: { via: 'api', user: 'new@de-bka', userOrganisation: 'de-bka', role: 'member' },
    });
    expect(JSON.stringify(records[0])).not.toContain(NEW_PASSWORD);
    const login = await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).auth('new@de-bka', NEW_PASSWORD);
    expect(login.status).toBe(200);
  });

  it.each([
    ['an alliance-admin', { username: 'boss@de-bka', organisation: 'de-bka', role: 'alliance-admin', password: NEW_PASSWORD }, 403, 'admin-forbidden'],
    ['a user of another organisation', { username: 'spy@gb-nca', organisation: 'gb-nca', password: NEW_PASSWORD }, 403, 'admin-forbidden'],
    ['a short password', { username: 'short@de-bka', organisation: 'de-bka', password: 'too short' }, 400, 'invalid-body'],
    ['an existing username', { username: 'analyst@de-bka', organisation: 'de-bka', password: NEW_PASSWORD }, 409, 'conflict'],
    ['an unknown field', { username: 'x@de-bka', organisation: 'de-bka', password: NEW_PASSWORD, admin: true }, 400, 'invalid-body'],
  ])('refuses an org-admin adding %s', async (_label, body, status, code) => {
    const response = await adminClient(server, 'lead@de-bka').post('/admin/users', body).set('X-Request-Id', `users-refused-${code}-${status}`);
    expect(response.status).toBe(status);
    expect(response.body.error_code).toBe(code);
    expect(await server.recordsFor(`users-refused-${code}-${status}`)).toHaveLength(0);
  });

  it('disables and enables a user: the password stops and starts working, one record each', async () => {
    const lead = adminClient(server, 'lead@gb-nca');
    const disabled = await lead.post('/admin/users/analyst@gb-nca/disable').set('X-Request-Id', 'users-disable-1');
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ username: 'analyst@gb-nca', disabled: true });
    const refused = await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).auth('analyst@gb-nca', ADMIN_TEST_PASSWORD);
    expect(refused.status).toBe(401);
    expect(await server.recordsFor('users-disable-1')).toEqual([expect.objectContaining({ action: 'user.disable', organisation: 'gb-nca', details: { via: 'api', user: 'analyst@gb-nca', userOrganisation: 'gb-nca' } })]);
    expect((await lead.post('/admin/users/analyst@gb-nca/enable').set('X-Request-Id', 'users-enable-1')).status).toBe(200);
    expect(await server.recordsFor('users-enable-1')).toEqual([expect.objectContaining({ action: 'user.enable', username: 'lead@gb-nca' })]);
    const back = await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).auth('analyst@gb-nca', ADMIN_TEST_PASSWORD);
    expect(back.status).toBe(200);
  });

  it('answers an org-admin about another organisation\'s user exactly as about no user (404)', async () => {
    const other = await adminClient(server, 'lead@gb-nca').post('/admin/users/analyst@de-bka/disable');
    const none = await adminClient(server, 'lead@gb-nca').post('/admin/users/ghost@nowhere/disable');
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    expect(other.body.description).toBe("No user 'analyst@de-bka' is available to you.");
    expect(none.body.error_code).toBe(other.body.error_code);
  });

  it('sets a password with one user.password record that does not contain it', async () => {
    const response = await adminClient(server, 'operator@europol').put('/admin/users/analyst@fr-ofac/password', { password: NEW_PASSWORD }).set('X-Request-Id', 'users-password-1');
    expect(response.status).toBe(204);
    const records = await server.recordsFor('users-password-1');
    expect(records).toEqual([expect.objectContaining({ action: 'user.password', username: 'operator@europol', organisation: 'europol' })]);
    expect(JSON.stringify(records)).not.toContain(NEW_PASSWORD);
    const login = await supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).auth('analyst@fr-ofac', NEW_PASSWORD);
    expect(login.status).toBe(200);
  });

  it('answers 405 for a method the path does not take, and 415 for a body that is not JSON', async () => {
    expect((await adminClient(server, 'operator@europol').delete('/admin/users')).status).toBe(405);
    const response = await supertest(server.app).post('/admin/users').set(server.auth('operator@europol')).set('Content-Type', 'text/plain').send('x');
    expect(response.status).toBe(415);
  });
});
