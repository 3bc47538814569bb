import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';

/** Published STIX 2.1 kept in the repository (fixtures/real/SOURCES.md), so a plain clone can run the tests. */
export const REAL_DATA_DIR = path.join(PROJECT_ROOT, 'fixtures', 'real');

export interface RealObject {
  /** Path of the file relative to REAL_DATA_DIR. */
  readonly file: string;
  readonly object: Record<string, unknown>;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return jsonFiles(full);
    return name.endsWith('.json') && name !== 'SOURCES.json' ? [full] : [];
  });
}

/** Every object of every published file: bundles (with or without "type": "bundle"), arrays and bare objects. */
export function loadRealObjects(): RealObject[] {
  return jsonFiles(REAL_DATA_DIR).flatMap((full) => {
    const data = JSON.parse(readFileSync(full, 'utf8')) as unknown;
    const file = path.relative(REAL_DATA_DIR, full);
    const objects = Array.isArray(data) ? data : (data as { objects?: unknown[] }).objects ?? [data];
    return objects.map((object) => ({ file, object: object as Record<string, unknown> }));
  });
}
