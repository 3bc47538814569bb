import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../../server/auth/principal';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import { rightsOn } from '../../server/policy/access-policy';

/** The README's table of the demo alliance must say what collections/ actually grants. */
describe('the README access table', () => {
  it('matches the rights, ceilings and unmarked rules of collections/', async () => {
    const config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const header = readme.split('\n').find((line) => line.startsWith('| Collection (alias) |'));
    if (!header) throw new Error('README has no access table');
    const columns = header.split('|').map((cell) => cell.trim()).filter(Boolean);
    const organisations = columns.slice(2, -2);
    expect([...organisations].sort()).toEqual(config.organisations.map((organisation) => organisation.id).sort());
    const lines = readme.split('\n');
    const start = lines.indexOf(header) + 2; // the header, then the |---| line
    const end = lines.findIndex((line, index) => index >= start && !line.startsWith('|'));
    const rows = lines.slice(start, end);
    expect(rows).toHaveLength(config.collections.length);
    for (const row of rows) {
      const cells = row.split('|').map((cell) => cell.trim()).filter(Boolean);
      const collection = config.collections.find((candidate) => candidate.alias === cells[0]);
      if (!collection) throw new Error(`README lists an unknown collection ${cells[0]}`);
      expect(cells[1]).toBe(collection.apiRoot);
      organisations.forEach((organisation, index) => {
        const principal: Principal = { username: 'x', organisation, role: 'member', authenticatedBy: { method: 'password' } };
        const rights = rightsOn(principal, collection);
        const expected = collection.owner === organisation ? '**own**' : `${rights.canRead ? 'R' : ''}${rights.canWrite ? 'W' : ''}` || '—';
        expect({ collection: cells[0], organisation, cell: cells[2 + index] }).toEqual({ collection: cells[0], organisation, cell: expected });
      });
      expect(cells[cells.length - 2]).toBe((collection.maxTlp ?? 'none').toUpperCase());
      expect(cells[cells.length - 1]).toBe(collection.unmarked);
    }
  });
});
