import supertest from 'supertest';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { adminClient, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

let server: AdminTestServer;

beforeAll(async () => {
  server = await startAdminTestServer('admin_tokens');
});
afterAll(() => server.close());

const discovery = (token: string) => supertest(server.app).get('/taxii2/').set('Accept', TAXII_MEDIA_TYPE).set('Authorization', `Bearer ${token}`);

describe('admin API: tokens', () => {
  let token = '';
  let tokenId = '';

  it('creates a token once, which then authenticates; the audit record names its id, never the secret', async () => {
    const response = await adminClient(server, 'lead@nl-police')
      .post('/admin/tokens', { username: 'analyst@nl-police', label: 'misp-sync', expires_at: '2099-01-01T00:00:00Z' })
      .set('X-Request-Id', 'tokens-create-1');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ username: 'analyst@nl-police', label: 'misp-sync', expires_at: '2099-01-01T00:00:00.000Z' });
    token = String(response.body.token);
    tokenId = String(response.body.token_id);
    expect(token).toMatch(new RegExp(`^tas_${tokenId}_`));
    expect((await discovery(token)).status).toBe(200);
    const records = await server.recordsFor('tokens-create-1');
    expect(records).toEqual([
      expect.objectContaining({
        action: 'token.create', username: 'lead@nl-police', organisation: 'nl-police',
        details: { via: 'api', tokenId, user: 'analyst@nl-police', userOrganisation: 'nl-police', expiresAt: '2099-01-01T00:00:00.000Z', label: 'misp-sync' },
      }),
    ]);
    expect(JSON.stringify(records)).not.toContain(token.slice(-20));
  });

  it('lists tokens of the own organisation without secrets', async () => {
    const response = await adminClient(server, 'lead@nl-police').get('/admin/tokens');
    expect(response.status).toBe(200);
    expect(response.body.tokens).toEqual([expect.objectContaining({ token_id: tokenId, username: 'analyst@nl-police' })]);
    expect(JSON.stringify(response.body)).not.toMatch(/tas_|secret/i);
    expect((await adminClient(server, 'lead@de-bka').get('/admin/tokens')).body.tokens).toEqual([]);
    expect((await adminClient(server, 'analyst@nl-police').get('/admin/tokens')).status).toBe(403);
  });

  it('hides another organisation\'s token from an org-admin (404) and revokes it for its owner\'s org-admin', async () => {
    const foreign = await adminClient(server, 'lead@de-bka').delete(`/admin/tokens/${tokenId}`).set('X-Request-Id', 'tokens-revoke-foreign');
    expect(foreign.status).toBe(404);
    expect(await server.recordsFor('tokens-revoke-foreign')).toHaveLength(0);
    expect((await discovery(token)).status).toBe(200);

    const revoked = await adminClient(server, 'lead@nl-police').delete(`/admin/tokens/${tokenId}`).set('X-Request-Id', 'tokens-revoke-1');
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ token_id: tokenId, already_revoked: false });
    expect((await discovery(token)).status).toBe(401);
    expect(await server.recordsFor('tokens-revoke-1')).toEqual([
      expect.objectContaining({ action: 'token.revoke', username: 'lead@nl-police', details: { via: 'api', tokenId, user: 'analyst@nl-police', userOrganisation: 'nl-police' } }),
    ]);
    const again = await adminClient(server, 'lead@nl-police').delete(`/admin/tokens/${tokenId}`).set('X-Request-Id', 'tokens-revoke-2');
    expect(again.body.already_revoked).toBe(true);
    expect(await server.recordsFor('tokens-revoke-2')).toHaveLength(0);
  });

  it('refuses a token for an alliance-admin account to an org-admin, and an expiry in the past', async () => {
    const escalation = await adminClient(server, 'lead@europol').post('/admin/tokens', { username: 'operator@europol' });
    expect(escalation.status).toBe(403);
    const past = await adminClient(server, 'operator@europol').post('/admin/tokens', { username: 'analyst@europol', expires_at: '2001-01-01' });
    expect(past.status).toBe(400);
  });
});
