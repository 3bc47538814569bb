import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminClient, IDS, startAdminTestServer, taxiiAs, type AdminTestServer } from '../scripts/admin/admin-test-server';

let server: AdminTestServer;
const grantPath = (collection: string, organisation: string) => `/admin/collections/${collection}/grants/${organisation}`;
const collectionResource = `/alliance/collections/${IDS.bkaRansomware}/`;

beforeAll(async () => {
  server = await startAdminTestServer('admin_grants');
});
afterAll(() => server.close());

describe('admin API: collections and grants', () => {
  it('lists the own organisation\'s collections with their grants for an org-admin, all for an alliance-admin', async () => {
    const own = await adminClient(server, 'lead@de-bka').get('/admin/collections');
    expect(own.status).toBe(200);
    expect(own.body.collections.map((collection: { alias: string }) => collection.alias)).toEqual(['de-bka-ransomware', 'de-gb-bilateral', 'casework']);
    expect(own.body.collections[0]).toMatchObject({
      id: IDS.bkaRansomware, owner: 'de-bka', max_tlp: 'amber', unmarked: 'allow',
      grants: [{ organisation: 'europol', read: true, write: false }, { organisation: 'nl-police', read: true, write: false }],
    });
    expect((await adminClient(server, 'operator@europol').get('/admin/collections')).body.collections).toHaveLength(11);
    expect((await adminClient(server, 'analyst@de-bka').get('/admin/collections')).status).toBe(403);
  });

  it('grants a partner read: the TAXII side shows the collection at once, the YAML file keeps its layout, one config.apply record', async () => {
    const sentinel = taxiiAs(server, 'analyst@sentinelgrid');
    expect((await sentinel.get(collectionResource)).status).toBe(404);
    const before = await readFile(join(server.configDir, 'de-bka.yaml'), 'utf8');

    const response = await adminClient(server, 'lead@de-bka').put(grantPath(IDS.bkaRansomware, 'sentinelgrid'), { read: true }).set('X-Request-Id', 'grant-set-1');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      changed: true, revision: 2, needs_restart: false,
      diff: [`+ grant sentinelgrid read on de-bka-ransomware (${IDS.bkaRansomware})`],
    });

    const visible = await sentinel.get(collectionResource);
    expect(visible.status).toBe(200);
    expect(visible.body).toMatchObject({ id: IDS.bkaRansomware, can_read: true, can_write: false });

    const after = await readFile(join(server.configDir, 'de-bka.yaml'), 'utf8');
    expect(after).toBe(before.replace(
      '      - organisation: nl-police\n        access: [read]\n',
      '      - organisation: nl-police\n        access: [read]\n      - organisation: sentinelgrid\n        access: [read]\n',
    ));
    const records = await server.recordsFor('grant-set-1');
    expect(records).toEqual([expect.objectContaining({
      action: 'config.apply', username: 'lead@de-bka', organisation: 'de-bka',
      details: { via: 'api', source: `grant set ${IDS.bkaRansomware} sentinelgrid`, revision: 2, diff: response.body.diff, needsRestart: false },
    })]);
    expect((await server.admin.configStore.read())?.config.collections.find((c) => c.id === IDS.bkaRansomware)?.grants).toContainEqual({ organisation: 'sentinelgrid', read: true, write: false });
  });

  it('changes a grant to write-only: the partner keeps seeing the collection but may no longer read it (403)', async () => {
    const response = await adminClient(server, 'lead@de-bka').put(grantPath('de-bka-ransomware', 'sentinelgrid'), { write: true });
    expect(response.body.diff).toEqual([`~ grant sentinelgrid on de-bka-ransomware (${IDS.bkaRansomware}): read -> write`]);
    const sentinel = taxiiAs(server, 'analyst@sentinelgrid');
    expect((await sentinel.get(collectionResource)).body).toMatchObject({ can_read: false, can_write: true });
    expect((await sentinel.get(`${collectionResource}objects/`)).status).toBe(403);
  });

  it('removes a grant: the collection is hidden again (404) and the file is as it was', async () => {
    const response = await adminClient(server, 'lead@de-bka').delete(grantPath(IDS.bkaRansomware, 'sentinelgrid')).set('X-Request-Id', 'grant-revoke-1');
    expect(response.status).toBe(200);
    expect(response.body.diff).toEqual([`- grant sentinelgrid write on de-bka-ransomware (${IDS.bkaRansomware})`]);
    expect((await taxiiAs(server, 'analyst@sentinelgrid').get(collectionResource)).status).toBe(404);
    const original = await readFile(join(__dirname, '..', 'scripts', 'admin', 'fixtures', 'alliance', 'de-bka.yaml'), 'utf8');
    expect(await readFile(join(server.configDir, 'de-bka.yaml'), 'utf8')).toBe(original);
    expect(await server.recordsFor('grant-revoke-1')).toHaveLength(1);
  });

  it('changes nothing and records nothing when the grant is already as asked', async () => {
    const response = await adminClient(server, 'lead@de-bka').put(grantPath(IDS.bkaRansomware, 'europol'), { read: true }).set('X-Request-Id', 'grant-same');
    expect(response.body).toMatchObject({ changed: false, diff: [] });
    expect(await server.recordsFor('grant-same')).toHaveLength(0);
  });

  it.each([
    ['another organisation\'s collection it can see', 'lead@gb-nca', IDS.deGbBilateral, 'sentinelgrid', { read: true }, 403, 'admin-forbidden'],
    ['another organisation\'s collection it cannot see', 'lead@gb-nca', IDS.bkaRansomware, 'sentinelgrid', { read: true }, 404, 'collection-not-found'],
    ['a member', 'analyst@de-bka', IDS.bkaRansomware, 'sentinelgrid', { read: true }, 403, 'admin-forbidden'],
    ['a grant to the owner', 'lead@de-bka', IDS.bkaRansomware, 'de-bka', { read: true }, 422, 'unprocessable-entity'],
    ['an undeclared organisation', 'lead@de-bka', IDS.bkaRansomware, 'fr-anssi', { read: true }, 422, 'unprocessable-entity'],
    ['a grant with no right', 'lead@de-bka', IDS.bkaRansomware, 'sentinelgrid', { read: false }, 400, 'invalid-body'],
    ['a misspelt right', 'lead@de-bka', IDS.bkaRansomware, 'sentinelgrid', { raed: true }, 400, 'invalid-body'],
  ])('refuses %s', async (_label, username, collection, organisation, body, status, code) => {
    const revision = await server.admin.configStore.revision();
    const response = await adminClient(server, username).put(grantPath(collection, organisation), body);
    expect(response.status).toBe(status);
    expect(response.body.error_code).toBe(code);
    expect(await server.admin.configStore.revision()).toBe(revision);
  });
});
