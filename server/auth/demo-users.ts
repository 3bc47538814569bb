import type { AllianceConfig } from '../config/types';
import { DuplicateUser, type CredentialRepository } from '../storage/credential-repository';
import { newUserRecord } from './credentials';
import type { Role } from './principal';

export interface DemoUser {
  username: string;
  password: string;
  organisation: string;
  role: Role;
}

const DEMO_YEAR = 2026;
const ADMIN_ORGANISATION = 'europol';

/**
 * The documented demo accounts: `analyst@<org>` / `demo-<org>-2026` for every organisation, and
 * `admin@europol` / `demo-admin-2026` as alliance administrator. Public passwords: demo mode only.
 */
export function demoUsers(config: AllianceConfig): DemoUser[] {
  const members = config.organisations.map((org): DemoUser => ({
    username: `analyst@${org.id}`,
    password: `demo-${org.id}-${DEMO_YEAR}`,
    organisation: org.id,
    role: 'member',
  }));
  const adminOrg = config.organisations.find((org) => org.id === ADMIN_ORGANISATION) ?? config.organisations[0];
  if (!adminOrg) return members;
  return [...members, { username: `admin@${adminOrg.id}`, password: `demo-admin-${DEMO_YEAR}`, organisation: adminOrg.id, role: 'alliance-admin' }];
}

/**
 * Creates the demo accounts that do not exist yet and returns the full list. An account that
 * already exists is left as it is, so a password someone changed in a demo is not reset.
 */
export async function ensureDemoUsers(credentials: CredentialRepository, config: AllianceConfig): Promise<DemoUser[]> {
  const users = demoUsers(config);
  for (const user of users) {
    if (await credentials.findUser(user.username)) continue;
    try {
      await credentials.addUser(await newUserRecord(user));
    } catch (error) {
      // Two demo servers starting on one database race here; the loser's account is the same one.
      if (!(error instanceof DuplicateUser)) throw error;
    }
  }
  return users;
}
