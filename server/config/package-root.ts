import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'taxii-alliance-server';

/**
 * The directory holding our package.json, found by walking up from `start`: from the sources it is
 * two levels above this file, from the build (dist/server/config) three, and an installed copy may
 * sit anywhere. schemas/, collections/ and fixtures/ are read from here, never from the build output.
 */
export function findPackageRoot(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return directory;
    if (dirname(directory) === directory) throw new Error(`no package.json of ${PACKAGE_NAME} in ${start} or above it`);
  }
}

export const PROJECT_ROOT = findPackageRoot(__dirname);
