import {
  assignableRoles, mayChangeGrants, mayChooseAuditOrganisation, mayManageUser, organisationsForNewUsers,
} from '../../console/src/admin-components/admin-rights';
import { ROLES } from '../../server/auth/principal';
import { decideAdmin, type AdminAction, type AdminActor } from '../../server/policy/admin-policy';

/**
 * The console hides what the admin policy would refuse (console/src/admin-components/admin-rights.ts);
 * these cases hold it to server/policy/admin-policy.ts for every role of actor and of target.
 */
const ORGANISATIONS = ['de-bka', 'fr-ofac'];
const USER_CHANGES: AdminAction[] = ['user.disable', 'user.enable', 'user.password'];
const actors: AdminActor[] = ROLES.map((role) => ({ username: 'someone@de-bka', organisation: 'de-bka', role }));

describe('console admin rights agree with the admin policy', () => {
  it.each(actors)('manage a user: $role', (actor) => {
    for (const organisation of ORGANISATIONS) {
      for (const role of ROLES) {
        const target = { organisation, role };
        const server = USER_CHANGES.every((action) => decideAdmin(actor, action, { kind: 'user', ...target }).allow);
        expect([organisation, role, mayManageUser(actor, target)]).toEqual([organisation, role, server]);
      }
    }
  });

  it.each(actors)('add a user with a role in an organisation: $role', (actor) => {
    for (const organisation of ORGANISATIONS) {
      for (const role of ROLES) {
        const offered = assignableRoles(actor).includes(role) && organisationsForNewUsers(actor, ORGANISATIONS).includes(organisation);
        expect([organisation, role, offered]).toEqual([organisation, role, decideAdmin(actor, 'user.add', { kind: 'user', organisation, role }).allow]);
      }
    }
  });

  it.each(actors)('change grants and choose the audit organisation: $role', (actor) => {
    for (const owner of ORGANISATIONS) {
      expect([owner, mayChangeGrants(actor, { owner })]).toEqual([owner, decideAdmin(actor, 'grant.change', { kind: 'collection', owner }).allow]);
    }
    expect(mayChooseAuditOrganisation(actor)).toBe(decideAdmin(actor, 'audit.read', { kind: 'alliance' }).allow);
  });

  it('offers a member no role to give', () => {
    expect(assignableRoles({ organisation: 'de-bka', role: 'member' })).toEqual([]);
  });
});
