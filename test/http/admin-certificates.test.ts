import { adminClient, startAdminTestServer, type AdminTestServer } from '../scripts/admin/admin-test-server';

let server: AdminTestServer;

beforeAll(async () => {
  server = await startAdminTestServer('admin_certificates');
});
afterAll(() => server.close());

const FINGERPRINT = '5D:36:8A:1B:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:FE:DC:BA:98';

describe('admin API: client certificates', () => {
  it('maps a certificate by fingerprint, in canonical form, and records one audit record naming it', async () => {
    const response = await adminClient(server, 'lead@nl-police')
      .post('/admin/certificates', { username: 'analyst@nl-police', fingerprint: FINGERPRINT.replace(/:/g, '').toLowerCase() })
      .set('X-Request-Id', 'certificates-add-1');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ username: 'analyst@nl-police', match: 'fingerprint', value: FINGERPRINT, created_at: expect.any(String) });
    expect(await server.recordsFor('certificates-add-1')).toEqual([
      expect.objectContaining({
        action: 'certificate.add', username: 'lead@nl-police', organisation: 'nl-police',
        details: { via: 'api', match: 'fingerprint', value: FINGERPRINT, user: 'analyst@nl-police', userOrganisation: 'nl-police' },
      }),
    ]);
    expect(await server.admin.credentials.findClientCertificate('fingerprint', FINGERPRINT)).toMatchObject({ username: 'analyst@nl-police' });
  });

  it('maps a certificate by subject, whatever order the DN is written in', async () => {
    const response = await adminClient(server, 'operator@europol').post('/admin/certificates', { username: 'analyst@de-bka', subject: 'CN=misp.bka.de, O=BKA, C=DE' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ match: 'subject', value: 'C=DE,CN=misp.bka.de,O=BKA' });
  });

  it('refuses a certificate mapped already (409), without naming its user', async () => {
    const response = await adminClient(server, 'lead@de-bka').post('/admin/certificates', { username: 'analyst@de-bka', fingerprint: FINGERPRINT });
    expect(response.status).toBe(409);
    expect(response.body.error_code).toBe('conflict');
    expect(JSON.stringify(response.body)).not.toContain('nl-police');
  });

  it.each([
    [{ username: 'analyst@nl-police' }, /exactly one of fingerprint, subject or pem/],
    [{ username: 'analyst@nl-police', fingerprint: FINGERPRINT, subject: 'CN=x' }, /exactly one of fingerprint, subject or pem/],
    [{ username: 'analyst@nl-police', fingerprint: 'AB:CD' }, /fingerprint must be a SHA-256 fingerprint/],
    [{ username: 'analyst@nl-police', subject: 'just a name' }, /subject must be a distinguished name/],
    [{ username: 'analyst@nl-police', pem: 'not a certificate' }, /pem must hold a PEM certificate/],
    [{ username: 'analyst@nl-police', fingerprint: FINGERPRINT, label: 'x' }, /unknown field\(s\) label/],
  ])('refuses %j with a 400 invalid-body that says why', async (body, description) => {
    const response = await adminClient(server, 'lead@nl-police').post('/admin/certificates', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'invalid-body', description: expect.stringMatching(description) });
  });

  it('lists the own organisation\'s mappings to an org-admin, all to an alliance-admin, none to a member', async () => {
    const own = await adminClient(server, 'lead@nl-police').get('/admin/certificates');
    expect(own.status).toBe(200);
    expect(own.body.certificates).toEqual([expect.objectContaining({ username: 'analyst@nl-police', value: FINGERPRINT })]);
    const all = await adminClient(server, 'operator@europol').get('/admin/certificates');
    expect(all.body.certificates.map((certificate: { username: string }) => certificate.username)).toEqual(['analyst@de-bka', 'analyst@nl-police']);
    expect((await adminClient(server, 'analyst@nl-police').get('/admin/certificates')).status).toBe(403);
  });

  it('hides another organisation\'s user and mapping from an org-admin (404)', async () => {
    expect((await adminClient(server, 'lead@de-bka').post('/admin/certificates', { username: 'analyst@nl-police', subject: 'CN=other' })).status).toBe(404);
    const foreign = await adminClient(server, 'lead@de-bka').delete(`/admin/certificates/fingerprint/${FINGERPRINT}`).set('X-Request-Id', 'certificates-remove-foreign');
    expect(foreign.status).toBe(404);
    expect(await server.recordsFor('certificates-remove-foreign')).toHaveLength(0);
  });

  it('removes a mapping by the value as the API lists it, once', async () => {
    const subject = encodeURIComponent('C=DE,CN=misp.bka.de,O=BKA');
    const removed = await adminClient(server, 'lead@de-bka').delete(`/admin/certificates/subject/${subject}`).set('X-Request-Id', 'certificates-remove-1');
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ username: 'analyst@de-bka', match: 'subject', value: 'C=DE,CN=misp.bka.de,O=BKA' });
    expect(await server.recordsFor('certificates-remove-1')).toEqual([expect.objectContaining({ action: 'certificate.remove', details: expect.objectContaining({ user: 'analyst@de-bka' }) })]);
    expect((await adminClient(server, 'lead@de-bka').delete(`/admin/certificates/subject/${subject}`)).status).toBe(404);
    expect((await adminClient(server, 'lead@de-bka').delete('/admin/certificates/serial/1234')).status).toBe(400);
  });
});
