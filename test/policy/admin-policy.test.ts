import type { Role } from '../../server/auth/principal';
import {
  decideAdmin, decideUsername, defaultScope, organisationNamedBy, usernameUnavailable, type AdminAction, type AdminTarget,
} from '../../server/policy/admin-policy';

const actor = (role: Role) => ({ username: `someone@de-bka`, organisation: 'de-bka', role });

const ownOrg: AdminTarget = { kind: 'organisation', organisation: 'de-bka' };
const otherOrg: AdminTarget = { kind: 'organisation', organisation: 'gb-nca' };
const ownMember: AdminTarget = { kind: 'user', organisation: 'de-bka', role: 'member' };
const ownOrgAdmin: AdminTarget = { kind: 'user', organisation: 'de-bka', role: 'org-admin' };
const ownAllianceAdmin: AdminTarget = { kind: 'user', organisation: 'de-bka', role: 'alliance-admin' };
const otherMember: AdminTarget = { kind: 'user', organisation: 'gb-nca', role: 'member' };
const ownCollection: AdminTarget = { kind: 'collection', owner: 'de-bka' };
const otherCollection: AdminTarget = { kind: 'collection', owner: 'gb-nca' };
const alliance: AdminTarget = { kind: 'alliance' };

type Row = [AdminAction, string, AdminTarget, boolean, boolean, boolean];

// action, target description, target, member?, org-admin?, alliance-admin?
const TABLE: Row[] = [
  ['user.list', 'own org', ownOrg, false, true, true],
  ['user.list', 'other org', otherOrg, false, false, true],
  ['user.list', 'whole alliance', alliance, false, false, true],
  ['user.add', 'own org member', ownMember, false, true, true],
  ['user.add', 'own org org-admin', ownOrgAdmin, false, true, true],
  ['user.add', 'own org alliance-admin', ownAllianceAdmin, false, false, true],
  ['user.add', 'other org member', otherMember, false, false, true],
  ['user.disable', 'own org member', ownMember, false, true, true],
  ['user.disable', 'own org alliance-admin', ownAllianceAdmin, false, false, true],
  ['user.disable', 'other org member', otherMember, false, false, true],
  ['user.enable', 'own org member', ownMember, false, true, true],
  ['user.password', 'own org member', ownMember, false, true, true],
  ['user.password', 'other org member', otherMember, false, false, true],
  ['token.list', 'own org', ownOrg, false, true, true],
  ['token.list', 'other org', otherOrg, false, false, true],
  ['token.create', 'own org member', ownMember, false, true, true],
  ['token.create', 'own org alliance-admin', ownAllianceAdmin, false, false, true],
  ['token.create', 'other org member', otherMember, false, false, true],
  ['token.revoke', 'own org member', ownMember, false, true, true],
  ['token.revoke', 'other org member', otherMember, false, false, true],
  ['audit.read', 'own org', ownOrg, false, true, true],
  ['audit.read', 'other org', otherOrg, false, false, true],
  ['audit.read', 'own collection', ownCollection, false, true, true],
  ['audit.read', 'other collection', otherCollection, false, false, true],
  ['audit.read', 'whole alliance', alliance, false, false, true],
  ['provenance.read', 'own collection', ownCollection, false, true, true],
  ['provenance.read', 'other collection', otherCollection, false, false, true],
  ['publications.read', 'own org', ownOrg, false, true, true],
  ['publications.read', 'other org', otherOrg, false, false, true],
  ['collections.list', 'own org', ownOrg, false, true, true],
  ['collections.list', 'whole alliance', alliance, false, false, true],
  ['grant.change', 'own collection', ownCollection, false, true, true],
  ['grant.change', 'other collection', otherCollection, false, false, true],
  ['config.apply', 'whole alliance', alliance, false, false, true],
];

describe('decideAdmin', () => {
  describe.each([
    ['member', 3],
    ['org-admin', 4],
    ['alliance-admin', 5],
  ] as const)('as %s', (role, column) => {
    it.each(TABLE.map((row) => [row[0], row[1], row[2], row[column]] as const))('%s on %s -> allowed: %s', (action, _label, target, allowed) => {
      const decision = decideAdmin(actor(role), action, target);
      expect(decision.allow).toBe(allowed);
      if (!decision.allow) expect(decision.reason).toMatch(/\S/);
    });
  });

  it('gives the member a reason that names its role', () => {
    expect(decideAdmin(actor('member'), 'user.list', ownOrg)).toEqual({ allow: false, reason: 'the member role has no administration rights' });
  });

  it('tells an org-admin which organisation it may not touch', () => {
    expect(decideAdmin(actor('org-admin'), 'grant.change', otherCollection)).toEqual({
      allow: false,
      reason: 'an org-admin of de-bka may not grant.change on a collection owned by gb-nca',
    });
  });

  it.each<[AdminAction, AdminTarget]>([
    ['config.apply', ownOrg],
    ['provenance.read', ownOrg],
    ['user.add', ownOrg],
    ['grant.change', alliance],
  ])('denies %s on a target it does not apply to, even for an alliance-admin', (action, target) => {
    expect(decideAdmin(actor('alliance-admin'), action, target)).toEqual({ allow: false, reason: `${action} does not apply to a ${target.kind}` });
  });
});

describe('defaultScope', () => {
  it('is the whole alliance for an alliance-admin and the own organisation otherwise', () => {
    expect(defaultScope(actor('alliance-admin'))).toEqual({ kind: 'alliance' });
    expect(defaultScope(actor('org-admin'))).toEqual({ kind: 'organisation', organisation: 'de-bka' });
    expect(defaultScope(actor('member'))).toEqual({ kind: 'organisation', organisation: 'de-bka' });
  });
});

describe('usernames: each organisation its own part of the namespace (docs/security.md §5)', () => {
  it.each([
    ['new@de-bka', true],
    ['first.last+tag@de-bka', true],
    ['@de-bka', false],
    ['new@gb-nca', false],
    ['new@de-bka.example', false],
    ['new@DE-BKA', false],
    ['plainname', false],
  ])('an org-admin of de-bka may name a new user %s: %p', (username, allowed) => {
    const decision = decideUsername(actor('org-admin'), username);
    expect(decision.allow).toBe(allowed);
    if (!decision.allow) expect(decision.reason).toBe(usernameUnavailable(actor('org-admin'), username));
  });

  it('decides from the name alone, so the refusal is the same for a taken and a free name', () => {
    expect(usernameUnavailable(actor('org-admin'), 'x@gb-nca').replace('x@gb-nca', '<n>')).toBe(usernameUnavailable(actor('org-admin'), 'y@gb-nca').replace('y@gb-nca', '<n>'));
  });

  it('leaves alliance-admins free to name users', () => {
    expect(decideUsername(actor('alliance-admin'), 'anyone@gb-nca')).toEqual({ allow: true });
  });

  it.each([
    ['analyst@de-bka', 'de-bka'],
    ['analyst@GB-NCA', 'gb-nca'],
    ['a@b@europol', 'europol'],
    ['analyst@unknown-org', undefined],
    ['analyst', undefined],
  ])('reads the organisation %s names: %p', (username, organisation) => {
    expect(organisationNamedBy(username, ['de-bka', 'gb-nca', 'europol'])).toBe(organisation);
  });
});
