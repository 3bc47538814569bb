import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../../server/auth/principal';
import { loadAllianceConfig } from '../../server/config/alliance';
import { PROJECT_ROOT } from '../../server/config/settings';
import type { AllianceConfig } from '../../server/config/types';
import { rightsOn } from '../../server/policy/access-policy';
import { INTEGRATION_TOOLS } from '../../scripts/admin/integration-profiles';

/** The integration guides quote the demo alliance; these checks keep them from drifting away from collections/. */
const GUIDES_DIR = join(PROJECT_ROOT, 'docs', 'integrations');
const UUID = /(?<!--)\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\b/g;

function guides(): Array<{ file: string; text: string }> {
  return readdirSync(GUIDES_DIR)
    .filter((file) => file.endsWith('.md'))
    .map((file) => ({ file, text: readFileSync(join(GUIDES_DIR, file), 'utf8') }));
}

function principalOf(username: string): Principal {
  const organisation = username.split('@')[1] ?? '';
  return { username, organisation, role: 'member', authenticatedBy: { method: 'password' } };
}

describe('docs/integrations', () => {
  let config: AllianceConfig;

  beforeAll(async () => {
    config = await loadAllianceConfig(join(PROJECT_ROOT, 'collections'));
  });

  it('has a guide for every tool admin connect knows, each linked from the index and the README', () => {
    const index = readFileSync(join(GUIDES_DIR, 'README.md'), 'utf8');
    for (const tool of INTEGRATION_TOOLS) {
      expect(guides().map((guide) => guide.file)).toContain(`${tool}.md`);
      expect(index).toContain(`](${tool}.md)`);
    }
    expect(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain('](docs/integrations/README.md)');
  });

  it('quotes only collection ids that exist in the demo alliance', () => {
    const ids = new Set(config.collections.map((collection) => collection.id));
    const quoted = guides().flatMap(({ file, text }) => [...text.matchAll(UUID)].map((match) => ({ file, id: match[0] })));
    expect(quoted.length).toBeGreaterThan(6);
    expect(quoted.filter(({ id }) => !ids.has(id))).toEqual([]);
  });

  it('puts ids, never aliases, in collection URLs, each under the API root that holds the collection', () => {
    const urls = guides().flatMap(({ file, text }) =>
      [...text.matchAll(/https?:\/\/[^/\s'"`]+\/([^\s'"`]+?)\/collections\/([^/\s'"`]+)\//g)].map((match) => ({ file, root: match[1], id: match[2] })));
    expect(urls.length).toBeGreaterThan(6);
    for (const url of urls) {
      const collection = config.collections.find((candidate) => candidate.id === url.id);
      expect({ ...url, known: collection !== undefined, root: collection?.apiRoot }).toEqual({ ...url, known: true });
    }
  });

  it('names only API roots the demo alliance declares', () => {
    const roots = new Set(config.apiRoots.map((root) => root.path));
    const quoted = guides().flatMap(({ text }) => [...text.matchAll(/http:\/\/127\.0\.0\.1:8000\/([a-z0-9/-]+?)\/(?:\s|'|`|\||$|collections\/)/g)].map((match) => match[1]));
    expect(quoted.length).toBeGreaterThan(3);
    expect(quoted.filter((root) => root !== 'taxii2' && !roots.has(root ?? ''))).toEqual([]);
  });

  it("gives OpenCTI's TAXII2_COLLECTIONS as <root>.<title> of a real collection", () => {
    const opencti = readFileSync(join(GUIDES_DIR, 'opencti.md'), 'utf8');
    const entries = [...opencti.matchAll(/`TAXII2_COLLECTIONS` \| `([^`]+)`/g)].map((match) => match[1] ?? '');
    expect(entries).toHaveLength(1);
    for (const entry of entries) {
      const [root, title] = entry.split('.');
      expect(config.collections.some((collection) => collection.apiRoot === root && collection.title === title)).toBe(true);
    }
  });

  it('pairs each demo user with a collection its organisation may use that way', () => {
    const scenarios = guides().flatMap(({ file, text }) =>
      [...text.matchAll(/`(analyst@[a-z-]+)` (polls|imports|publishes to) `([a-z0-9-]+)`/g)].map((match) => ({ file, user: match[1] ?? '', verb: match[2], alias: match[3] })));
    expect(scenarios.length).toBeGreaterThanOrEqual(INTEGRATION_TOOLS.length);
    for (const scenario of scenarios) {
      const collection = config.collections.find((candidate) => candidate.alias === scenario.alias);
      if (!collection) throw new Error(`${scenario.file}: no collection ${scenario.alias}`);
      const rights = rightsOn(principalOf(scenario.user), collection);
      const allowed = scenario.verb === 'publishes to' ? rights.canWrite : rights.canRead;
      expect({ ...scenario, allowed }).toEqual({ ...scenario, allowed: true });
    }
  });
});
