import supertest from 'supertest';
import type { AuditRecord } from '../../server/storage/audit-log';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { COLLECTION_IDS } from '../support/alliance';
import { indicator } from '../support/stix-samples';
import { startTestServer, taxiiClient, type TestServer } from '../support/taxii-app';

let server: TestServer;
const shared = `/alliance/collections/${COLLECTION_IDS.shared}`;

beforeAll(async () => {
  server = await startTestServer('audit');
});
afterAll(() => server.close());

async function recordsFor(requestId: string): Promise<AuditRecord[]> {
  return (await server.context.audit.query({ limit: 100 })).filter((record) => record.requestId === requestId);
}

describe('the audit trail', () => {
  it('records one write with publisher, collection, object ids and request id', async () => {
    const objects = [indicator(), indicator()];
    const response = await taxiiClient(server, 'de-bka').post(`${shared}/objects/`, { objects: [...objects, { type: 'nonsense' }] }).set('X-Request-Id', 'audit-write-1');
    expect(response.status).toBe(202);
    const records = await recordsFor('audit-write-1');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'objects.add',
      username: 'analyst@de-bka',
      organisation: 'de-bka',
      apiRoot: 'alliance',
      collectionId: COLLECTION_IDS.shared,
      objectIds: objects.map((object) => object.id),
      details: { statusId: response.body.id, total: 3, accepted: 2, rejected: 1 },
    });
  });

  it('records one read per request with the filters and the count returned', async () => {
    const response = await taxiiClient(server, 'gb-nca').get(`${shared}/objects/?match[type]=indicator&limit=1`).set('X-Request-Id', 'audit-read-1');
    expect(response.status).toBe(200);
    const records = await recordsFor('audit-read-1');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'objects.read',
      username: 'analyst@gb-nca',
      organisation: 'gb-nca',
      collectionId: COLLECTION_IDS.shared,
      details: { endpoint: 'objects', query: 'match[type]=indicator&limit=1', returned: 1 },
    });
  });

  it('records one delete with the object id and how many versions went', async () => {
    const object = indicator();
    const client = taxiiClient(server, 'de-bka');
    await client.post(`${shared}/objects/`, { objects: [object] });
    expect((await client.delete(`${shared}/objects/${object.id}/`).set('X-Request-Id', 'audit-delete-1')).status).toBe(200);
    const records = await recordsFor('audit-delete-1');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ action: 'object.delete', organisation: 'de-bka', objectIds: [object.id], details: { versionsRemoved: 1 } });
  });

  it('records a failed authentication with the username tried, never the password', async () => {
    const before = (await server.context.audit.query({ actions: ['auth.failure'], limit: 100 })).length;
    const response = await supertest(server.app)
      .get('/taxii2/')
      .set('Accept', TAXII_MEDIA_TYPE)
      .set('Authorization', `Basic ${Buffer.from('analyst@gb-nca:not-the-password').toString('base64')}`);
    expect(response.status).toBe(401);
    // Recorded after the response is sent: wait for it.
    let failures: AuditRecord[] = [];
    for (let attempt = 0; attempt < 250 && failures.length <= before; attempt += 1) {
      failures = await server.context.audit.query({ actions: ['auth.failure'], limit: 100 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(failures).toHaveLength(before + 1);
    expect(failures[0]).toMatchObject({ action: 'auth.failure', username: 'analyst@gb-nca' });
    expect(JSON.stringify(failures[0])).not.toContain('not-the-password');
  });
});
