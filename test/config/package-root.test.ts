import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPackageRoot, PROJECT_ROOT } from '../../server/config/package-root';

describe('findPackageRoot', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'taxii-package-root-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is the directory of our package.json, from the sources', () => {
    expect(findPackageRoot(join(PROJECT_ROOT, 'server', 'config'))).toBe(PROJECT_ROOT);
  });

  it('looks past dist/ and past a package.json of another package, as from an installed build', () => {
    const installed = join(scratch, 'installed');
    const built = join(installed, 'dist', 'server', 'config');
    mkdirSync(built, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'taxii-alliance-server' }));
    writeFileSync(join(installed, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
    expect(findPackageRoot(built)).toBe(installed);
  });

  it('names the start directory when no package.json of ours is above it', () => {
    const alone = join(scratch, 'alone');
    mkdirSync(alone);
    expect(() => findPackageRoot(alone)).toThrow(`no package.json of taxii-alliance-server in ${alone} or above it`);
  });
});
