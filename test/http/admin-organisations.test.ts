import { adminClient, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

let server: AdminTestServer;

beforeAll(async () => {
  server = await startAdminTestServer('admin_organisations');
});
afterAll(() => server.close());

describe('admin API: organisations', () => {
  it('lists every declared organisation to an org-admin, so it can grant to a partner it has granted nothing yet', async () => {
    const response = await adminClient(server, 'lead@de-bka').get('/admin/organisations');
    expect(response.status).toBe(200);
    const ids = response.body.organisations.map((organisation: { id: string }) => organisation.id);
    expect(ids).toEqual(server.admin.live.config.organisations.map((organisation) => organisation.id));
    expect(ids).toEqual(expect.arrayContaining(['de-bka', 'sentinelgrid', 'europol']));
    expect(response.body.organisations.find((organisation: { id: string }) => organisation.id === 'de-bka')).toEqual({
      id: 'de-bka', name: expect.any(String), country: 'DE', kind: 'national-unit',
    });
  });

  it('refuses a member with 403 admin-forbidden and query parameters with 400', async () => {
    const member = await adminClient(server, 'analyst@de-bka').get('/admin/organisations');
    expect(member.status).toBe(403);
    expect(member.body).toMatchObject({ error_code: 'admin-forbidden' });
    const unknown = await adminClient(server, 'lead@de-bka').get('/admin/organisations?org=de-bka');
    expect(unknown.status).toBe(400);
  });
});
