import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/config/settings';
import { generateRawConfigTypes, RAW_CONFIG_TYPES_PATH } from './config-types/raw-config-types';

/**
 * `npm run config-types` rewrites server/config/raw-config.ts from schemas/config/; with `--check`
 * it only says whether the file is up to date (exit 1 when not), as test/scripts/config-types does.
 */
function main(args: string[]): number {
  const target = join(PROJECT_ROOT, RAW_CONFIG_TYPES_PATH);
  const generated = generateRawConfigTypes(PROJECT_ROOT);
  if (args.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current === generated) return 0;
    process.stderr.write(`${RAW_CONFIG_TYPES_PATH} is out of date with schemas/config/: run npm run config-types\n`);
    return 1;
  }
  writeFileSync(target, generated);
  process.stdout.write(`wrote ${RAW_CONFIG_TYPES_PATH}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
