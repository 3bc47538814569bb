import type { CollectionRequest } from '../../server/services/context';
import { adminActionRecord, authenticationFailureRecord, lockoutRecord, collectionActionRecord } from '../../server/services/audit-records';
import type { ApiRootConfig, CollectionConfig } from '../../server/config/types';

const at = new Date('2026-11-30T12:00:00Z');
const request: CollectionRequest = {
  principal: { username: 'analyst@de-bka', organisation: 'de-bka', role: 'member', authenticatedBy: { method: 'password' } },
  root: { path: 'alliance' } as ApiRootConfig,
  collection: { id: '1c2d3e4f-0000-4000-8000-000000000001' } as CollectionConfig,
  requestId: 'req-1',
};

describe('audit records', () => {
  it('names the principal, API root, collection and request of a TAXII action', () => {
    expect(collectionActionRecord(request, 'object.delete', { objectIds: ['indicator--x'], details: { versionsRemoved: 2 } }, at)).toEqual({
      at, action: 'object.delete', username: 'analyst@de-bka', organisation: 'de-bka', apiRoot: 'alliance',
      collectionId: '1c2d3e4f-0000-4000-8000-000000000001', objectIds: ['indicator--x'], requestId: 'req-1', details: { versionsRemoved: 2 },
    });
  });

  it('leaves objectIds out of a read, which names no objects', () => {
    expect(collectionActionRecord(request, 'objects.read', { details: { returned: 0 } }, at)).not.toHaveProperty('objectIds');
  });

  it('names the actor and the door of an admin action, and a request id only when there is one', () => {
    const actor = { username: 'admin@europol', organisation: 'europol' };
    expect(adminActionRecord({ actor, via: 'api', requestId: 'req-2' }, 'user.add', { target: 'x' }, at)).toEqual({
      at, action: 'user.add', username: 'admin@europol', organisation: 'europol', requestId: 'req-2', details: { via: 'api', target: 'x' },
    });
    expect(adminActionRecord({ actor, via: 'cli' }, 'user.add', {}, at)).not.toHaveProperty('requestId');
  });

  it('records an authentication failure with its reason', () => {
    expect(authenticationFailureRecord({ username: 'nobody', reason: 'unknown user' }, at)).toEqual({ at, action: 'auth.failure', username: 'nobody', details: { reason: 'unknown user' } });
  });

  it('names the client address of an authentication failure when it is known', () => {
    expect(authenticationFailureRecord({ username: 'nobody', reason: 'wrong password', ip: '192.0.2.7' }, at).details).toEqual({ reason: 'wrong password', ip: '192.0.2.7' });
  });

  it('records a lockout under its key, not under a username', () => {
    const until = new Date('2026-01-01T00:01:00.000Z');
    const record = lockoutRecord({ kind: 'username', key: 'nobody', until, failures: 5 }, at);
    expect(record).toEqual({ at, action: 'auth.lockout', details: { kind: 'username', key: 'nobody', until: '2026-01-01T00:01:00.000Z', failures: 5 } });
    expect(record).not.toHaveProperty('username');
  });
});
