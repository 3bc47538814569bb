import { join } from 'node:path';
import { verifyPassword } from '../../server/auth/credentials';
import { ensureDemoUsers } from '../../server/auth/demo-users';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import { openTestStorage } from '../support/storage';

describe('ensureDemoUsers', () => {
  it('creates one analyst per organisation and an alliance admin, once, with the documented passwords', async () => {
    const database = await openTestStorage('demo_users');
    try {
      const credentials = database.credentials;
      await database.prepare();
      const config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));

      const users = await ensureDemoUsers(credentials, config);
      expect(users).toHaveLength(config.organisations.length + 1);
      expect(users).toContainEqual({ username: 'analyst@de-bka', password: 'demo-de-bka-2026', organisation: 'de-bka', role: 'member' });
      expect(users).toContainEqual({ username: 'admin@europol', password: 'demo-admin-2026', organisation: 'europol', role: 'alliance-admin' });

      await credentials.setDisabled('analyst@gb-nca', true);
      await expect(ensureDemoUsers(credentials, config)).resolves.toEqual(users);
      const stored = await credentials.listUsers();
      expect(stored.map((user) => user.username).sort()).toEqual(users.map((user) => user.username).sort());
      // An existing account is left alone, not reset.
      expect((await credentials.findUser('analyst@gb-nca'))?.disabled).toBe(true);

      const admin = await credentials.findUser('admin@europol');
      await expect(verifyPassword('demo-admin-2026', admin?.passwordHash ?? '')).resolves.toBe(true);
    } finally {
      await database.close();
    }
  });
});
